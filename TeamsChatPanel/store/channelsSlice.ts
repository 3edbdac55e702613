import type { StateCreator } from "zustand/vanilla";
import { channelNameProblem } from "../domain/channelName";
import { type ChannelInfo, type ChannelPost, lastActivity } from "../domain/channels";
import { sameRecord } from "../domain/ids";
import type { ChatMessageItem } from "../domain/messages";
import type { ChatLink } from "../domain/types";
import { ServiceError, failureKind, type FailureKind } from "../services/errors";
import type { Services } from "../services/ports";
import type { ChannelThread, ChannelsSlice, LinkedChannel, PendingChannelLink } from "./channelTypes";
import { recordIntroHtml } from "./intro";
import { pendingBackoffSeconds } from "./linkActionsSlice";
import { recordKey, type IntroTexts, type PanelState } from "./types";

const byCreated = (a: ChatMessageItem, b: ChatMessageItem) => (a.createdDateTime < b.createdDateTime ? -1 : a.createdDateTime > b.createdDateTime ? 1 : 0);

function noticeKey(action: "Link" | "Unlink", kind: FailureKind): string {
  if (kind === "forbidden") return action === "Link" ? "Channel_LinkForbidden" : "Channel_UnlinkForbidden";
  if (kind === "offline") return "Action_Offline";
  if (kind === "auth") return "Error_Auth_Body";
  return action === "Link" ? "Channel_LinkFailed" : "Channel_UnlinkFailed";
}

/** The Channel tab: channels linked to the record, linking and creating them, and reading and posting in one. */
export const createChannelsSlice =
  (services: Services): StateCreator<PanelState, [], [], ChannelsSlice> =>
  (set, get) => {
    let generation = 0;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();

    const prefsKey = () => `pendingChannelLinks.v1.${get().env.userId.toLowerCase()}`;
    const loadPending = (): PendingChannelLink[] => {
      try {
        const raw = services.prefs.get(prefsKey());
        const list = raw ? (JSON.parse(raw) as PendingChannelLink[]) : [];
        return Array.isArray(list) ? list.filter((p) => p && typeof p.channelId === "string" && typeof p.teamId === "string" && typeof p.table === "string") : [];
      } catch {
        return [];
      }
    };
    const savePending = (list: PendingChannelLink[]) => services.prefs.set(prefsKey(), JSON.stringify(list));
    const isHere = (p: PendingChannelLink) => {
      const record = get().env.record;
      return !!record && recordKey(record) === recordKey({ table: p.table, id: p.id });
    };
    const setBusy = (key: string, busy: boolean) => {
      const next = { ...get().busyChannelLinks };
      if (busy) next[key] = true;
      else delete next[key];
      set({ busyChannelLinks: next });
    };
    const patchLinked = (channelId: string, patch: Partial<LinkedChannel>) =>
      set({ linkedChannels: get().linkedChannels.map((l) => (l.channelId === channelId ? { ...l, ...patch } : l)) });
    const patchThread = (patch: Partial<ChannelThread>) => {
      const t = get().thread;
      if (t) set({ thread: { ...t, ...patch } });
    };

    /** Team name, channel name, archived or unreachable, and the last activity of one linked channel. */
    const describe = async (l: LinkedChannel): Promise<Partial<LinkedChannel>> => {
      const team = get().teams.find((t) => t.id.toLowerCase() === l.teamId.toLowerCase());
      // Not in the user's teams: a link row alone never reveals the channel's name (privacy), only that it is there.
      if (!team) return { state: "unreachable", teamName: undefined, channelName: undefined };
      let channel: ChannelInfo;
      try {
        channel = await services.channels.getChannel(l.teamId, l.channelId);
      } catch (e) {
        const kind = failureKind(e);
        if (kind === "forbidden" || kind === "notFound") return { state: "unreachable", teamName: team.displayName };
        throw e;
      }
      const out: Partial<LinkedChannel> = { teamName: team.displayName, channelName: channel.displayName, webUrl: channel.webUrl, state: team.isArchived ? "archived" : l.state === "pending" ? "pending" : "ok" };
      if (get().env.channelReading !== false) {
        const newest = await services.channels.listPosts(l.teamId, l.channelId, 1).catch(() => [] as ChannelPost[]);
        out.lastActivity = lastActivity(newest);
      }
      return out;
    };

    const attemptLink = async (channelId: string, byUser: boolean): Promise<boolean> => {
      const p = loadPending().find((x) => x.channelId === channelId);
      if (!p || get().busyChannelLinks[channelId]) return false;
      setBusy(channelId, true);
      try {
        const link = await services.links.createChannelLink(p.teamId, p.channelId, { table: p.table, id: p.id });
        savePending(loadPending().filter((x) => x.channelId !== channelId));
        set({ linkedChannels: get().linkedChannels.map((l) => (l.channelId === channelId ? { ...l, linkId: link.id, state: l.state === "pending" ? "ok" : l.state } : l)) });
        if (byUser) set({ channelNotice: { intent: "success", key: "Channel_LinkDone", args: [p.name] } });
        return true;
      } catch (e) {
        const kind = failureKind(e);
        if (kind === "forbidden") {
          savePending(loadPending().filter((x) => x.channelId !== channelId));
          set({ linkedChannels: get().linkedChannels.filter((l) => l.channelId !== channelId), channelNotice: { intent: "error", key: "Channel_LinkForbidden", args: [p.name] } });
          return false;
        }
        const next = { ...p, attempts: p.attempts + 1 };
        savePending(loadPending().map((x) => (x.channelId === channelId ? next : x)));
        set({ channelNotice: { intent: byUser ? "error" : "warning", key: "Channel_Pending", args: [p.name] } });
        clearTimeout(timers.get(channelId));
        timers.set(channelId, setTimeout(() => void attemptLink(channelId, false), pendingBackoffSeconds(next.attempts) * 1000));
        return false;
      } finally {
        setBusy(channelId, false);
      }
    };

    const sendIntro = async (teamId: string, channelId: string, name: string, texts: IntroTexts) => {
      if (!get().env.record) return;
      try {
        const html = await recordIntroHtml(services, get(), texts);
        if (!html) return;
        await services.channels.postHtml(teamId, channelId, html);
      } catch {
        set({ channelNotice: { intent: "warning", key: "Intro_Failed", args: [name] } });
      }
    };

    const send = async (clientId: string): Promise<boolean> => {
      const t = get().thread;
      const item = t?.outgoing.find((o) => o.message.clientId === clientId);
      if (!t || !item) return false;
      const { teamId, channelId } = t;
      const mark = (patch: Partial<typeof item> | null) => {
        const cur = get().thread;
        if (!cur || cur.channelId !== channelId) return;
        patchThread({ outgoing: patch ? cur.outgoing.map((o) => (o.message.clientId === clientId ? { ...o, ...patch } : o)) : cur.outgoing.filter((o) => o.message.clientId !== clientId) });
      };
      mark({ state: "sending", failure: undefined });
      try {
        const sent = await services.channels.post(teamId, channelId, item.message, item.replyToId);
        const cur = get().thread;
        if (cur && cur.channelId === channelId) {
          const posts = item.replyToId
            ? cur.posts.map((p) => (p.id === item.replyToId ? { ...p, replies: [...p.replies.filter((r) => r.id !== sent.id), sent].sort(byCreated) } : p))
            : [...cur.posts.filter((p) => p.id !== sent.id), { ...sent, replies: [] }].sort(byCreated);
          patchThread({ posts, outgoing: cur.outgoing.filter((o) => o.message.clientId !== clientId) });
        }
        patchLinked(channelId, { lastActivity: sent.createdDateTime });
        return true;
      } catch (e) {
        // Never retried silently: a lost answer may mean Teams has it; the user decides with Retry or Delete.
        mark({ state: "failed", failure: failureKind(e) });
        return false;
      }
    };

    return {
      channelsStatus: "idle",
      linkedChannels: [],
      teams: [],
      teamsStatus: "idle",
      teamChannels: {},
      channelAction: "idle",
      busyChannelLinks: {},

      async loadTeams() {
        set({ teamsStatus: "loading", teamsError: undefined });
        try {
          const teams = await services.channels.joinedTeams();
          teams.sort((a, b) => a.displayName.localeCompare(b.displayName));
          set({ teams, teamsStatus: "ready" });
        } catch (e) {
          set({ teamsStatus: "error", teamsError: failureKind(e) });
          throw e;
        }
      },

      async loadLinkedChannels() {
        const gen = ++generation;
        const record = get().env.record;
        if (!record) return;
        set({ channelsStatus: "loading", channelsError: undefined });
        let links: ChatLink[];
        try {
          const [rows] = await Promise.all([services.links.linksFor({ record, chatIds: [] }), get().loadTeams()]);
          links = rows.filter((l) => l.kind === "channel" && l.teamId && sameRecord(l.record, record));
        } catch (e) {
          if (gen !== generation) return;
          set({ channelsStatus: "error", channelsError: failureKind(e) });
          return;
        }
        if (gen !== generation) return;
        const pending = loadPending().filter(isHere);
        const linked: LinkedChannel[] = links.map((l) => ({ linkId: l.id, teamId: l.teamId as string, channelId: l.chatId, state: "loading", ownerId: l.ownerId }));
        for (const p of pending) {
          if (!linked.some((l) => l.channelId === p.channelId)) linked.push({ linkId: `pending:${p.channelId}`, teamId: p.teamId, channelId: p.channelId, state: "pending", channelName: p.name });
        }
        set({ linkedChannels: linked, channelsStatus: "ready" });
        // One channel at a time: Teams allows 4 requests a second on one team or channel.
        for (const l of linked) {
          try {
            const info = await describe(l);
            if (gen !== generation) return;
            patchLinked(l.channelId, info);
          } catch {
            if (gen !== generation) return;
            patchLinked(l.channelId, { state: l.state === "pending" ? "pending" : "unreachable" });
          }
        }
        for (const p of pending) {
          if (links.some((l) => l.chatId === p.channelId)) savePending(loadPending().filter((x) => x.channelId !== p.channelId));
          else void attemptLink(p.channelId, false);
        }
      },

      async loadTeamChannels(teamId) {
        set({ teamChannels: { ...get().teamChannels, [teamId]: { status: "loading", channels: get().teamChannels[teamId]?.channels ?? [] } } });
        try {
          const channels = await services.channels.listChannels(teamId);
          channels.sort((a, b) => (a.displayName === "General" ? -1 : b.displayName === "General" ? 1 : a.displayName.localeCompare(b.displayName)));
          set({ teamChannels: { ...get().teamChannels, [teamId]: { status: "ready", channels } } });
        } catch (e) {
          set({ teamChannels: { ...get().teamChannels, [teamId]: { status: "error", error: failureKind(e), channels: [] } } });
        }
      },

      async createAndLinkChannel(teamId, name, intro) {
        const record = get().env.record;
        const clean = name.trim();
        if (!record || get().channelAction !== "idle") return false;
        if (channelNameProblem(clean)) {
          set({ channelActionError: { kind: "invalid" } });
          return false;
        }
        set({ channelAction: "creating", channelActionError: undefined });
        let channel: ChannelInfo;
        try {
          channel = await services.channels.createChannel(teamId, clean);
        } catch (e) {
          set({ channelAction: "idle", channelActionError: { kind: failureKind(e), code: e instanceof ServiceError ? e.code : undefined } });
          return false;
        }
        const team = get().teams.find((t) => t.id === teamId);
        const cached = get().teamChannels[teamId];
        if (cached) set({ teamChannels: { ...get().teamChannels, [teamId]: { ...cached, channels: [...cached.channels, channel] } } });
        // The channel exists in Teams now: the link is saved as pending first, so a reload or a failure loses nothing.
        savePending([...loadPending().filter((x) => x.channelId !== channel.id), { teamId, channelId: channel.id, table: record.table, id: record.id, name: channel.displayName, attempts: 0 }]);
        set({
          linkedChannels: [...get().linkedChannels.filter((l) => l.channelId !== channel.id), { linkId: `pending:${channel.id}`, teamId, channelId: channel.id, state: "pending", teamName: team?.displayName, channelName: channel.displayName, webUrl: channel.webUrl }],
        });
        const linked = await attemptLink(channel.id, false);
        if (linked) set({ channelNotice: { intent: "success", key: "Channel_CreateDone", args: [channel.displayName, team?.displayName ?? ""] } });
        if (intro && get().env.introMessage !== false) await sendIntro(teamId, channel.id, channel.displayName, intro);
        set({ channelAction: "idle" });
        return true;
      },

      async linkExistingChannel(teamId, channel) {
        const record = get().env.record;
        if (!record || get().channelAction !== "idle") return false;
        const team = get().teams.find((t) => t.id === teamId);
        if (get().linkedChannels.some((l) => l.channelId === channel.id)) {
          set({ channelNotice: { intent: "success", key: "Channel_AlreadyLinked", args: [channel.displayName] } });
          return true;
        }
        set({ channelAction: "linking", channelActionError: undefined });
        try {
          const link = await services.links.createChannelLink(teamId, channel.id, record);
          set({
            channelAction: "idle",
            linkedChannels: [...get().linkedChannels.filter((l) => l.channelId !== channel.id), { linkId: link.id, teamId, channelId: channel.id, state: team?.isArchived ? "archived" : "ok", teamName: team?.displayName, channelName: channel.displayName, webUrl: channel.webUrl }],
            channelNotice: { intent: "success", key: "Channel_LinkDone", args: [channel.displayName] },
          });
          void describe({ linkId: link.id, teamId, channelId: channel.id, state: "ok" })
            .then((info) => patchLinked(channel.id, info))
            .catch(() => undefined);
          return true;
        } catch (e) {
          const kind = failureKind(e);
          set({ channelAction: "idle", channelActionError: { kind }, channelNotice: { intent: "error", key: noticeKey("Link", kind), args: [channel.displayName] } });
          return false;
        }
      },

      retryChannelLink: (channelId) => attemptLink(channelId, true),

      async unlinkChannel(linkId) {
        const target = get().linkedChannels.find((l) => l.linkId === linkId);
        if (!target || get().busyChannelLinks[linkId]) return false;
        const name = target.channelName ?? "";
        const index = get().linkedChannels.indexOf(target);
        set({ linkedChannels: get().linkedChannels.filter((l) => l !== target), channelNotice: undefined });
        if (get().thread?.channelId === target.channelId) set({ thread: undefined });
        if (linkId.startsWith("pending:")) {
          // Not in Dataverse yet: forgetting the pending link is the whole unlink.
          clearTimeout(timers.get(target.channelId));
          savePending(loadPending().filter((x) => x.channelId !== target.channelId));
          set({ channelNotice: { intent: "success", key: "Channel_UnlinkDone", args: [name] } });
          return true;
        }
        setBusy(linkId, true);
        try {
          await services.links.deleteLink(linkId);
          set({ channelNotice: { intent: "success", key: name ? "Channel_UnlinkDone" : "Channel_UnlinkDoneUnnamed", args: [name] } });
          return true;
        } catch (e) {
          const list = [...get().linkedChannels];
          list.splice(Math.min(index, list.length), 0, target);
          set({ linkedChannels: list, channelNotice: { intent: "error", key: noticeKey("Unlink", failureKind(e)), args: [name] } });
          return false;
        } finally {
          setBusy(linkId, false);
        }
      },

      async openChannelThread(teamId, channelId) {
        const keep = get().thread?.channelId === channelId ? get().thread?.outgoing ?? [] : [];
        set({ thread: { teamId, channelId, status: "loading", posts: [], outgoing: keep } });
        if (get().env.channelReading === false) {
          patchThread({ status: "error", error: "forbidden" });
          return;
        }
        try {
          const posts = await services.channels.listPosts(teamId, channelId);
          if (get().thread?.channelId !== channelId) return;
          const ordered = [...posts].sort(byCreated);
          patchThread({ status: "ready", posts: ordered });
          const last = lastActivity(ordered);
          if (last) patchLinked(channelId, { lastActivity: last });
        } catch (e) {
          if (get().thread?.channelId !== channelId) return;
          patchThread({ status: "error", error: failureKind(e) });
        }
      },

      closeChannelThread: () => set({ thread: undefined }),

      async postInChannel(message, replyToId) {
        const t = get().thread;
        if (!t) return false;
        patchThread({ outgoing: [...t.outgoing, { message, replyToId, state: "sending" }] });
        return send(message.clientId);
      },

      retryChannelPost: (clientId) => send(clientId),

      discardChannelPost(clientId) {
        const t = get().thread;
        if (t) patchThread({ outgoing: t.outgoing.filter((o) => o.message.clientId !== clientId) });
      },

      resetChannelAction: () => set({ channelActionError: undefined }),
      dismissChannelNotice: () => set({ channelNotice: undefined }),
      disposeChannels() {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      },
    };
  };
