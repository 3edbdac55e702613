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

export function kindForStatus(status: number | undefined): FailureKind {
  if (status === undefined || status <= 0) return "offline";
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "throttled";
  if (status >= 400 && status < 500) return "invalid";
  return "service";
}
