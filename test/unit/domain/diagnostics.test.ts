import { describe, expect, it } from "vitest";
import { diagnose, reportText, type DiagnosticsFacts } from "../../../TeamsChatPanel/domain/diagnostics";
import { initialAuthState } from "../../../TeamsChatPanel/services/auth/session";

const allOk: DiagnosticsFacts = {
  auth: { ...initialAuthState, status: "signedIn", account: { username: "megan@contoso.com" }, grantedScopes: ["Chat.Read"] },
  linkTable: { ok: true },
  privileges: { read: true, create: true, deleteOwn: true, deleteAny: false },
  graph: { ok: true },
};

const byId = (facts: DiagnosticsFacts) => Object.fromEntries(diagnose(facts).map((l) => [l.id, l]));

describe("diagnostics", () => {
  it("reports every check in order, all ok when everything works", () => {
    const lines = diagnose(allOk);
    expect(lines.map((l) => l.id)).toEqual(["config", "signIn", "scopes", "linkTable", "linkPrivileges", "graph"]);
    expect(lines.every((l) => l.status === "ok")).toBe(true);
    expect(byId(allOk).signIn.args).toEqual(["megan@contoso.com"]);
    expect(byId(allOk).scopes).toMatchObject({ key: "Diag_Scopes_Ok", args: ["Chat.Read"] });
  });

  it("a misconfigured sign-in fails the configuration and blocks sign-in, without a scopes line", () => {
    const lines = byId({ ...allOk, auth: { ...initialAuthState, status: "misconfigured", configProblems: [{ setting: "clientId", issue: "missing" }] } });
    expect(lines.config.status).toBe("error");
    expect(lines.signIn).toMatchObject({ status: "error", key: "Diag_SignIn_Blocked" });
    expect(lines.scopes).toBeUndefined();
  });

  it("waiting permissions are a warning naming what is granted and what is waited for", () => {
    const lines = byId({ ...allOk, auth: { ...initialAuthState, status: "needsUser", problem: "consentRequired", grantedScopes: ["Chat.Read"], pendingScopes: ["ChatMessage.Send"] } });
    expect(lines.signIn).toMatchObject({ status: "warning", key: "Diag_SignIn_Needed", args: ["consentRequired"] });
    expect(lines.scopes).toMatchObject({ status: "warning", key: "Diag_Scopes_Pending", args: ["Chat.Read", "ChatMessage.Send"] });
  });

  it("names the fix for a missing table, a refused read, missing privileges and Graph failures", () => {
    expect(byId({ ...allOk, linkTable: { ok: false, kind: "notFound" } }).linkTable.key).toBe("Diag_Links_Missing");
    expect(byId({ ...allOk, linkTable: { ok: false, kind: "forbidden" } }).linkTable.key).toBe("Diag_Links_Forbidden");
    expect(byId({ ...allOk, linkTable: { ok: false, kind: "service", message: "boom" } }).linkTable).toMatchObject({ key: "Diag_Links_Failed", args: ["boom"] });
    expect(byId({ ...allOk, privileges: { read: true, create: false, deleteOwn: false, deleteAny: false } }).linkPrivileges).toMatchObject({ status: "error", args: ["Create, Delete"] });
    expect(byId({ ...allOk, privileges: { ...allOk.privileges, deleteAny: true } }).linkPrivileges.key).toBe("Diag_Privileges_Manager");
    expect(byId({ ...allOk, graph: { ok: false, kind: "forbidden" } }).graph).toMatchObject({ status: "error", key: "Diag_Graph_Forbidden" });
    expect(byId({ ...allOk, graph: { ok: false, kind: "offline" } }).graph.key).toBe("Diag_Graph_Offline");
    expect(byId({ ...allOk, graph: { ok: false, kind: "auth" } }).graph.status).toBe("warning");
  });

  it("with tokens from the host there is no sign-in of ours to check", () => {
    const lines = byId({ ...allOk, auth: undefined });
    expect(lines.config.key).toBe("Diag_Config_Host");
    expect(lines.signIn.key).toBe("Diag_SignIn_Host");
    expect(lines.scopes).toBeUndefined();
  });

  it("writes a plain-text report with the status of each line", () => {
    expect(reportText([{ status: "ok", text: "a" }, { status: "error", text: "b" }])).toBe("[OK] a\n[ERROR] b");
  });
});
