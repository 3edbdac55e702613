/**
 * Error bodies in each service's own shape. Codes and messages were taken from
 * Microsoft's public docs or from real responses quoted in public issues; the few
 * that could not be verified are marked "unverified" where they are used.
 */
import type { SimResponse } from "./util";

export interface GraphErrorContext {
  requestId: string;
  clientRequestId: string;
  now: Date;
}

/** Graph's innerError.date has no milliseconds and no zone suffix (e.g. "2021-10-18T13:16:26"). */
function graphDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}

export function graphError(
  ctx: GraphErrorContext,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: graphDate(ctx.now),
          "request-id": ctx.requestId,
          "client-request-id": ctx.clientRequestId,
        },
      },
    },
  };
}

/** Graph codes used by the simulator. */
export const G = {
  badRequest: "BadRequest",
  forbidden: "Forbidden",
  notFound: "NotFound",
  conflict: "Conflict",
  invalidAuth: "InvalidAuthenticationToken",
  tooMany: "TooManyRequests",
  directoryDenied: "Authorization_RequestDenied",
  directoryNotFound: "Request_ResourceNotFound",
  directoryUnsupported: "Request_UnsupportedQuery",
  directoryBadRequest: "Request_BadRequest",
  exchangeDenied: "ErrorAccessDenied",
  imageNotFound: "ImageNotFound",
  failedDependency: "FailedDependency",
  internal: "InternalServerError",
  unavailable: "ServiceUnavailable",
  badGateway: "BadGateway",
  gatewayTimeout: "GatewayTimeout",
} as const;

export function graphCodeForStatus(status: number): string {
  switch (status) {
    case 400:
      return G.badRequest;
    case 401:
      return G.invalidAuth;
    case 403:
      return G.forbidden;
    case 404:
      return G.notFound;
    case 409:
      return G.conflict;
    case 429:
      return G.tooMany;
    case 502:
      return G.badGateway;
    case 503:
      return G.unavailable;
    case 504:
      return G.gatewayTimeout;
    default:
      return status >= 500 ? G.internal : G.badRequest;
  }
}

export function dataverseError(status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: { error: { code, message } } };
}

/** Dataverse hex codes (web-service-error-codes in MicrosoftDocs/powerapps-docs, and the service-protection page). */
export const DV = {
  /** ObjectDoesNotExist */
  notFound: "0x80040217",
  /** SecLib::AccessCheckEx failed (privilege/depth check) */
  privilegeDenied: "0x80040220",
  /** DuplicateRecordEntityKey: "Entity Key {0} violated. A record with the same value for {1} already exists..." */
  duplicateKey: "0x80060892",
  /** OData URI/query parse errors ("Could not find a property named ...", syntax errors, unknown segment). */
  queryError: "0x80060888",
  /** Payload errors ("Error identified in Payload provided by the user ...") */
  payloadError: "0x80048d19",
  /** String longer than the column's maximum length. */
  maxLength: "0x80044331",
  /** Service protection: number of requests. */
  throttled: "0x80072322",
  /** Generic unexpected error. */
  unexpected: "0x80040216",
  /** AccessTokenExpired: "The requested resource requires authentication." */
  unauthenticated: "0x8005F101",
  /** UserNotEnabled / disabled user. */
  userDisabled: "0x80040225",
  /** Option set value out of range (unverified code). */
  optionOutOfRange: "0x8004431A",
} as const;
