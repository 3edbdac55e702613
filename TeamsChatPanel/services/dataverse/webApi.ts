import { type FailureKind, ServiceError, kindForStatus } from "../errors";

/** Dataverse error codes (the web service error codes reference) the panel treats differently. */
const DATAVERSE_CODES: Record<string, FailureKind> = {
  "0x80040220": "forbidden", // privilege check failed
  "0x80040225": "forbidden", // user disabled
  "0x80040217": "notFound", // record does not exist
  "0x80040237": "conflict", // duplicate record
  "0x80060892": "conflict", // alternate key violated
  "0x80060888": "invalid", // OData query error: a column or table that does not exist
  "0x80048d19": "invalid", // payload error
  "0x80044331": "invalid", // text longer than the column allows
  "0x8005f101": "auth", // token expired
  "0x80072322": "throttled", // service protection: requests
  "0x80072321": "throttled", // service protection: execution time
  "0x80072326": "throttled", // service protection: concurrent requests
};

/** The platform rejects with an ErrorResponse-like object; normalise it to a ServiceError. */
export function toDataverseError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const e = (error ?? {}) as { errorCode?: number; code?: number | string; message?: string; status?: number; statusCode?: number };
  const status = e.status ?? e.statusCode;
  const hex = typeof e.errorCode === "number" ? `0x${(e.errorCode >>> 0).toString(16)}` : typeof e.code === "string" ? e.code : undefined;
  const numeric = typeof e.errorCode === "number" ? e.errorCode : typeof e.code === "number" ? e.code : undefined;
  return new ServiceError(kindOf(error, status, numeric, hex), e.message ?? "Dataverse request failed", status, hex);
}

function kindOf(error: unknown, status: number | undefined, numeric: number | undefined, hex: string | undefined): FailureKind {
  if (error instanceof TypeError) return "offline";
  if (status !== undefined) return kindForStatus(status);
  // The platform's ErrorResponse carries Dataverse's own code, not the HTTP status: a code means the service
  // answered (so not "offline"); the codes the panel acts on are mapped, the rest are the service's failures.
  if (numeric !== undefined && numeric >= 0 && numeric < 600) return kindForStatus(numeric);
  if (hex && hex !== "0x0") return DATAVERSE_CODES[hex.toLowerCase()] ?? "service";
  return kindForStatus(500);
}

/** Escapes a string for an OData single-quoted literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
