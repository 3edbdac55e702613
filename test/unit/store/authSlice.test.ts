import type { OutgoingMessage } from "../../../TeamsChatPanel/domain/messages";
import { initialAuthState, type AuthState } from "../../../TeamsChatPanel/services/auth/session";
import { AuthRequiredError, ServiceError } from "../../../TeamsChatPanel/services/errors";
import type { Services } from "../../../TeamsChatPanel/services/ports";
import { createPanelStore } from "../../../TeamsChatPanel/store/createPanelStore";
import { FakeAuthSession } from "../../support/authFakes";
import { CASE, FakeServices, ME, chat, message } from "../../support/fakes";


const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setTimeout(r, 0));
};

function outgoing(text: string): OutgoingMessage {
  return { clientId: `c-${text}`, html: `<p>${text}</p>`, importance: "normal", mentions: [], hostedContents: [], files: [] };
}

function setup(state: Partial<AuthState> = { status: "signedIn" }) {
  const s = new FakeServices();
  const auth = new FakeAuthSession(state);
  (s as Services).auth = auth;
  const a = chat({ others: ["Alex Wilber"] });
  const b = chat({ topic: "Escalation", others: ["Lee Gu", "Adele Vance"] });
  s.pages = [[a, b]];
  s.messages.set(a.id, [message(a.id, { minutesAgo: 10, text: "hello a" })]);
  s.messages.set(b.id, [message(b.id, { minutesAgo: 10, text: "hello b" })]);
  const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
  return { s, auth, store, a, b };
}

describe("auth slice", () => {
  it("mirrors the session's state, and follows every change", () => {
    const { auth, store } = setup({ status: "starting" });
    expect(store.getState().auth).toEqual(auth.getState());
    auth.emit({ status: "needsUser", problem: "consentRequired", pendingScopes: ["ChatMessage.Send"] });
    expect(store.getState().auth).toEqual({ ...initialAuthState, status: "needsUser", problem: "consentRequired", pendingScopes: ["ChatMessage.Send"] });
    auth.emit({ status: "signingIn" });
    expect(store.getState().auth?.status).toBe("signingIn");
  });

  it("signIn() opens the session's window straight away (same call stack as the click)", () => {
    const { auth, store } = setup({ status: "needsUser" });
    store.getState().signIn();
    expect(auth.signIn).toHaveBeenCalledTimes(1);
    expect(auth.retrySilent).not.toHaveBeenCalled();
  });

  it("retrySignIn() tries the silent path again", () => {
    const { auth, store } = setup({ status: "needsUser", problem: "offline" });
    store.getState().retrySignIn();
    expect(auth.retrySilent).toHaveBeenCalledTimes(1);
    expect(auth.signIn).not.toHaveBeenCalled();
  });

  it("has no auth state and does nothing on sign-in when the host supplies tokens", () => {
    const s = new FakeServices();
    const store = createPanelStore(s, { record: CASE, userId: ME.systemUserId });
    expect(store.getState().auth).toBeUndefined();
    expect(() => store.getState().signIn()).not.toThrow();
    expect(() => store.getState().retrySignIn()).not.toThrow();
  });

  it("stops following the session once the panel is disposed", () => {
    const { auth, store } = setup({ status: "signedIn" });
    expect(auth.listenerCount).toBe(1);
    store.getState().dispose();
    expect(auth.listenerCount).toBe(0);
    auth.emit({ status: "needsUser" });
    expect(store.getState().auth?.status).toBe("signedIn");
  });
});

describe("after the user signed in", () => {
  it("loads the chat list again when it was waiting on sign-in", async () => {
    const { s, auth, store } = setup({ status: "starting" });
    s.failChats = new AuthRequiredError();
    await store.getState().start();
    expect(store.getState().status).toBe("auth");
    s.failChats = undefined;
    const lists = () => s.calls.filter((c) => c.startsWith("listChats")).length;
    expect(lists()).toBe(1);
    auth.emit({ status: "needsUser", problem: "signInRequired", pendingScopes: ["Chat.Read"] });
    auth.emit({ status: "signingIn" });
    await settle();
    // State changes without a new sign-in do not reload anything.
    expect(lists()).toBe(1);
    auth.signedIn();
    await settle();
    expect(lists()).toBe(2);
    expect(store.getState().status).toBe("ready");
    expect(store.getState().chats).toHaveLength(2);
  });

  it("does not reload a chat list that loaded fine", async () => {
    const { s, auth, store } = setup();
    await store.getState().start();
    auth.signedIn();
    await settle();
    expect(s.calls.filter((c) => c.startsWith("listChats"))).toHaveLength(1);
  });

  it("reloads open conversations that failed for want of sign-in, and only those", async () => {
    const { s, auth, store, a, b } = setup();
    await store.getState().start();
    s.failMessages = new ServiceError("service", "boom", 500);
    await store.getState().openChat(b.id);
    s.failMessages = new AuthRequiredError();
    await store.getState().openChat(a.id);
    expect(store.getState().conversations[a.id]).toMatchObject({ status: "error", error: "auth" });
    expect(store.getState().conversations[b.id]).toMatchObject({ status: "error", error: "service" });
    s.failMessages = undefined;
    const loads = (id: string) => s.calls.filter((c) => c === `listMessages:${id}:`).length;
    const [beforeA, beforeB] = [loads(a.id), loads(b.id)];

    auth.signedIn();
    await settle();
    expect(loads(a.id)).toBe(beforeA + 1);
    expect(loads(b.id)).toBe(beforeB);
    expect(store.getState().conversations[a.id].status).toBe("ready");
    expect(store.getState().conversations[a.id].messages.map((m) => m.body.content)).toEqual(["<p>hello a</p>"]);
    expect(store.getState().conversations[b.id].status).toBe("error");
  });

  it("retries sends that never went out for want of a token, once, and no other failed send", async () => {
    const { s, auth, store, a, b } = setup();
    await store.getState().start();
    await store.getState().openChat(b.id);
    await store.getState().openChat(a.id);

    // 1: no token (never left the browser). 2: throttled. 3: a network failure (may have been posted).
    s.sendFailures = [new AuthRequiredError(), new ServiceError("throttled", "slow down", 429), new ServiceError("offline", "network")];
    await store.getState().sendMessage(a.id, outgoing("needs token"));
    await store.getState().sendMessage(a.id, outgoing("throttled"));
    await store.getState().sendMessage(b.id, outgoing("lost answer"));
    // 4: an auth failure whose outcome is unknown (it may have reached Teams): never re-posted blindly.
    store.setState((st) => ({
      conversations: {
        ...st.conversations,
        [b.id]: { ...st.conversations[b.id], outgoing: [...st.conversations[b.id].outgoing, { message: outgoing("unknown auth"), state: "failed", failure: "auth", outcomeUnknown: true, sentAt: "2026-11-28T10:00:00.000Z", attempts: 1 }] },
      },
    }));
    const itemsOf = (id: string) => store.getState().conversations[id].outgoing.map((i) => ({ text: i.message.clientId, state: i.state, failure: i.failure, outcomeUnknown: !!i.outcomeUnknown }));
    expect(itemsOf(a.id)).toEqual([
      { text: "c-needs token", state: "failed", failure: "auth", outcomeUnknown: false },
      { text: "c-throttled", state: "failed", failure: "throttled", outcomeUnknown: false },
    ]);
    expect(itemsOf(b.id)).toEqual([
      { text: "c-lost answer", state: "failed", failure: "offline", outcomeUnknown: true },
      { text: "c-unknown auth", state: "failed", failure: "auth", outcomeUnknown: true },
    ]);
    const sendsBefore = s.calls.filter((c) => c.startsWith("send:")).length;
    const checksBefore = s.calls.filter((c) => c.startsWith("listMessages:")).length;
    const postedBefore = s.posted.length;

    auth.signedIn();
    await settle();

    const sends = s.calls.filter((c) => c.startsWith("send:")).slice(sendsBefore);
    expect(sends).toEqual([`send:${a.id}`]);
    expect(s.posted.slice(postedBefore).map((p) => p.message.clientId)).toEqual(["c-needs token"]);
    // Nothing else was checked or re-sent.
    expect(s.calls.filter((c) => c.startsWith("listMessages:")).length).toBe(checksBefore);
    expect(itemsOf(a.id)).toEqual([{ text: "c-throttled", state: "failed", failure: "throttled", outcomeUnknown: false }]);
    expect(itemsOf(b.id)).toHaveLength(2);
    expect(store.getState().conversations[a.id].messages.some((m) => m.body.content === "<p>needs token</p>")).toBe(true);

    // Another sign-in later does not post it twice.
    auth.signedIn();
    await settle();
    expect(s.posted.filter((p) => p.message.clientId === "c-needs token")).toHaveLength(1);
  });
});
