import type { FailureKind } from "../domain/errors";

/**
 * The failure vocabulary lives in domain/errors.ts (domain rules such as sendRules classify failures);
 * adapters, the store and the tests keep importing it from here.
 */
export { AuthRequiredError, ServiceError, failureKind, type FailureKind } from "../domain/errors";

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
