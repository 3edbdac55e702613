import type { StateCreator } from "zustand/vanilla";
import { diagnose, type DiagnosticLine, type Probe } from "../domain/diagnostics";
import { failureKind } from "../services/errors";
import type { Services } from "../services/ports";
import type { PanelState } from "./types";

export interface DiagnosticsSlice {
  diagnostics: { status: "idle" | "running" | "done"; lines: DiagnosticLine[] };
  /** Runs every check again (Dataverse and Graph are asked afresh). */
  runDiagnostics(): Promise<void>;
}

export const createDiagnosticsSlice =
  (services: Services): StateCreator<PanelState, [], [], DiagnosticsSlice> =>
  (set, get) => ({
    diagnostics: { status: "idle", lines: [] },

    async runDiagnostics() {
      set({ diagnostics: { status: "running", lines: get().diagnostics.lines } });
      const graph: Promise<Probe> = services.chats.listChats().then(
        () => ({ ok: true }) as const,
        (e: unknown) => ({ ok: false, kind: failureKind(e), message: e instanceof Error ? e.message : undefined }) as const,
      );
      const linkTable: Promise<Probe> = services.setup?.linkTable() ?? Promise.resolve({ ok: true });
      const privileges = services.setup?.linkPrivileges() ?? { read: true, create: true, deleteOwn: true, deleteAny: false };
      const [g, l] = await Promise.all([graph, linkTable]);
      // The Graph check may have changed the sign-in state: read it after.
      const info = get().liveInfo();
      const live = {
        state: info.status.state,
        reason: info.status.state === "paused" ? info.status.reason : undefined,
        relayUrl: info.relayUrl,
        invalidUrl: info.invalidUrl,
        lastFrameAt: info.lastFrameAt !== undefined ? new Date(info.lastFrameAt).toISOString() : undefined,
      };
      const lines = diagnose({ auth: services.auth?.getState(), linkTable: l, privileges, graph: g, live });
      set({ diagnostics: { status: "done", lines } });
    },
  });
