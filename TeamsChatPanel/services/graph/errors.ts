import { GraphError } from "@microsoft/microsoft-graph-client";
import { AuthRequiredError, ServiceError, kindForStatus } from "../errors";

/** Maps whatever the Graph client threw to a ServiceError the store can branch on. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof GraphError) {
    // The Graph client wraps what a middleware threw (no token: the user must sign in) in a GraphError named after it.
    if (error.statusCode <= 0 && error.code === "AuthRequiredError") return new AuthRequiredError(error.message);
    const status = error.statusCode > 0 ? error.statusCode : undefined;
    if (status === 401) return new AuthRequiredError(error.message);
    const retryAfter = Number(error.headers?.get?.("Retry-After") ?? NaN);
    return new ServiceError(kindForStatus(status), error.message || `Graph error ${error.statusCode}`, status, error.code ?? undefined, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  if (error instanceof TypeError) return new ServiceError("offline", error.message);
  return new ServiceError("service", error instanceof Error ? error.message : String(error));
}
