import { ServiceError, kindForStatus } from "../errors";

/** The platform rejects with an ErrorResponse-like object; normalise it to a ServiceError. */
export function toDataverseError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const e = (error ?? {}) as { errorCode?: number; code?: number | string; message?: string; status?: number; statusCode?: number };
  const status = e.status ?? e.statusCode;
  const hex = typeof e.errorCode === "number" ? `0x${(e.errorCode >>> 0).toString(16)}` : typeof e.code === "string" ? e.code : undefined;
  let kind = kindForStatus(status ?? 500);
  // Dataverse's own codes when no HTTP status comes through the platform's ErrorResponse.
  if (status === undefined && hex) {
    if (hex === "0x80040220" || hex === "0x80040225") kind = "forbidden";
    else if (hex === "0x80040217") kind = "notFound";
    else if (hex === "0x80040237" || hex === "0x80060892") kind = "conflict";
  }
  if (error instanceof TypeError) kind = "offline";
  return new ServiceError(kind, e.message ?? "Dataverse request failed", status, hex);
}

/** Escapes a string for an OData single-quoted literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
