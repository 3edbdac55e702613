/** What context.webAPI rejects with on the platform (Dataverse's code, no HTTP status) mapped to what the panel acts on. */
import { toDataverseError } from "../../../TeamsChatPanel/services/dataverse/webApi";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";

const platform = (code: number, message = "m") => ({ errorCode: code, code, message });

describe("Dataverse errors", () => {
  it.each([
    [0x80040220, "forbidden"],
    [0x80040225, "forbidden"],
    [0x80040217, "notFound"],
    [0x80060892, "conflict"],
    [0x80060888, "invalid"],
    [0x80048d19, "invalid"],
    [0x80044331, "invalid"],
    [0x8005f101, "auth"],
    [0x80072322, "throttled"],
    [0x80072326, "throttled"],
    [0x80040216, "service"],
  ] as const)("code 0x%s is %s", (code, kind) => {
    const e = toDataverseError(platform(code));
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(`0x${code.toString(16)}`);
  });

  it("a missing column is the caller's mistake, not a lost connection", () => {
    expect(toDataverseError(platform(0x80060888, "Could not find a property named 'x'")).kind).toBe("invalid");
  });

  it("no code at all, or a network failure, is offline", () => {
    expect(toDataverseError(platform(0, "Network error")).kind).toBe("offline");
    expect(toDataverseError(new TypeError("Failed to fetch")).kind).toBe("offline");
  });

  it("an HTTP status, when one comes through, wins; a bare status as the code is read as a status", () => {
    expect(toDataverseError({ status: 404, message: "x" }).kind).toBe("notFound");
    expect(toDataverseError(platform(412)).kind).toBe("conflict");
    expect(toDataverseError(platform(503)).kind).toBe("service");
  });
});
