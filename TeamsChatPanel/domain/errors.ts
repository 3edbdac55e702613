/** Failures the UI distinguishes. Messages here are for logs; the UI shows resx strings by kind. */
export type FailureKind = "auth" | "forbidden" | "notFound" | "throttled" | "offline" | "invalid" | "conflict" | "service";

export class ServiceError extends Error {
  constructor(
    public readonly kind: FailureKind,
    message: string,
    public readonly status?: number,
    public readonly code?: string,
    public readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export class AuthRequiredError extends ServiceError {
  constructor(message = "Sign-in required") {
    super("auth", message, 401);
    this.name = "AuthRequiredError";
  }
}

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ServiceError) return error.kind;
  return "service";
}
