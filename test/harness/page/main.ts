/**
 * The harness page: a simulated model-driven form with a side pane that hosts the
 * TeamsChatPanel control, driven by the state in the URL query (see state.ts).
 */
import type { ControlConstructor, FluentGlobals } from "./globals";
import type { HarnessApi } from "./api";
import type { Directory, DirectoryUser, HostRecord } from "./context";
import { isDark, themeTokens } from "./context";
import { ControlHost } from "./host";
import { renderForm, tableLabel } from "./form";
import { loadStrings } from "./resx";
import { createTokenProvider } from "./token";
import { DataverseClient } from "./webapi";
import { alertDialog } from "./dialogs";
import { scaledClock, type Clock } from "../../../TeamsChatPanel/services/realtime/clock";
import { clampWidth, localeFor, MAX_WIDTH, MIN_WIDTH, parseQuery, recordParam, toQuery, type HarnessQuery, type RecordKey, type ThemeName } from "./state";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`harness page is missing #${id}`);
  return el as T;
};

const ui = {
  user: $<HTMLSelectElement>("harness-user"),
  record: $<HTMLSelectElement>("harness-record"),
  theme: $<HTMLSelectElement>("harness-theme"),
  lang: $<HTMLSelectElement>("harness-lang"),
  reset: $<HTMLButtonElement>("harness-reset"),
  status: $("harness-status"),
  appUser: $("app-user"),
  pane: $("side-pane"),
  resizer: $("pane-resizer"),
  host: $("control-host"),
  error: $("control-error"),
  form: { title: $("record-title"), table: $("record-table"), fields: $("record-fields"), message: $("record-message") },
};

let readyResolve: () => void = () => undefined;
let readyReject: (e: Error) => void = () => undefined;
function newReady(): Promise<void> {
  const p = new Promise<void>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  p.catch(() => undefined); // a test may never await it
  return p;
}

let current: HarnessApi["state"];
let directory: Directory = { users: [], records: [] };
let generation = 0;

const dataverse = new DataverseClient({
  userId: () => current?.user ?? "",
  onRequest: (method, url) => harness.requests.dataverse.push(`${method} ${url}`),
});

const host = new ControlHost(ui.host, ui.error, {
  rendered: () => {
    harness.renders = host.renders;
    harness.mounts = host.mounts;
    document.body.dataset.harnessReady = "true";
    readyResolve();
  },
  failed: (message) => {
    harness.errors.push(message);
    document.body.dataset.harnessReady = "error";
    readyReject(new Error(message));
  },
  openForm: async (options) => {
    const table = options.entityName?.toLowerCase();
    const id = options.entityId?.replace(/[{}]/g, "").toLowerCase() ?? "";
    const known = !id || directory.records.some((r) => r.table === table && r.id.toLowerCase() === id);
    if (table && known) {
      // Later task: the control may still be inside the click handler that asked for it.
      setTimeout(() => void navigate({ record: { table, id } }), 0);
    } else {
      await alertDialog({ text: `The harness has no form for ${options.entityName} ${options.entityId ?? ""}: it is not in the demo data.` });
    }
    return { savedEntityReference: [] };
  },
  fullScreen: (value) => document.body.classList.toggle("pane-fullscreen", value),
  outputs: (outputs) => harness.outputs.push(outputs),
});

const harness: HarnessApi = {
  ready: newReady(),
  state: undefined as unknown as HarnessApi["state"],
  renders: 0,
  mounts: 0,
  directory,
  errors: [],
  warnings: [],
  outputs: [],
  requests: { dataverse: [], token: [] },
  navigate: (change) => navigate(change),
  update: async (change) => {
    const next = { ...current, ...change, params: change.params ?? current.params };
    current = next;
    harness.state = next;
    history.replaceState(null, "", toQuery(next));
    applyTheme(next.theme);
    syncToolbar();
    host.update({ theme: next.theme, params: next.params }, change.params ? Object.keys(change.params) : []);
  },
  unmount: () => {
    generation++; // an apply() still loading must not mount afterwards
    unmountControl();
    document.body.dataset.harnessReady = "unmounted";
  },
  control: () => host.current,
  context: () => host.hostContext?.snapshot([]) as ComponentFramework.Context<unknown> | undefined,
};
window.__harness = harness;

/** The host's own regions: a control must leave them as it found them when it is destroyed. */
const CHROME = [".app-bar", ".harness-bar", ".workspace > main", "#side-pane"];

function unmountControl(): void {
  const hadControl = !!host.current;
  host.unmount();
  if (!hadControl) return;
  // A modal (Fluent's tabster modalizer) aria-hides everything else; destroyed while open,
  // it can leave the form hidden from screen readers. The platform's page would suffer too.
  const hidden = CHROME.flatMap((sel) => Array.from(document.querySelectorAll<HTMLElement>(sel)))
    .map((el) => el.closest<HTMLElement>("[aria-hidden='true']"))
    .filter((el): el is HTMLElement => !!el);
  if (hidden.length > 0) {
    const names = [...new Set(hidden.map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`))].join(", ");
    const message = `After destroy() the page is still aria-hidden: ${names} (a modal of the control was open?)`;
    console.warn(`Harness: ${message}`);
    harness.warnings.push(message);
  }
}

function fluent(): FluentGlobals {
  const f = window.FluentUIReactv940;
  if (!f) throw new Error("FluentUIReactv940 is missing: /lib/fluent.js did not load");
  return f;
}

/** The page chrome takes its colours from the same Fluent tokens the control gets, as CSS variables. */
function applyTheme(theme: ThemeName): void {
  const tokens = themeTokens(fluent(), theme);
  const root = document.documentElement;
  for (const [name, value] of Object.entries(tokens)) root.style.setProperty(`--${name}`, String(value));
  root.dataset.theme = theme;
  root.style.colorScheme = isDark(theme) ? "dark" : "light";
}

function applyWidth(width: number): void {
  document.documentElement.style.setProperty("--pane-width", `${width}px`);
  ui.resizer.setAttribute("aria-valuenow", String(width));
}

function userLabel(u: DirectoryUser): string {
  return `${u.fullname}${u.title ? ` (${u.title})` : ""}${u.isdisabled ? " [disabled]" : ""}`;
}

async function buildToolbar(): Promise<void> {
  ui.user.replaceChildren(
    ...directory.users.map((u) => {
      const o = new Option(userLabel(u), u.systemuserid.toLowerCase());
      return o;
    }),
  );
  const tables = [...new Set(["incident", ...directory.records.map((r) => r.table)])];
  const labels = new Map(
    await Promise.all(tables.map(async (t) => [t, await dataverse.definition(t).then((d) => d.DisplayName, () => t)] as const)),
  );
  const groups = tables.map((table) => {
    const group = document.createElement("optgroup");
    group.label = labels.get(table) ?? table;
    for (const r of directory.records.filter((x) => x.table === table)) group.append(new Option(r.name, recordParam({ table, id: r.id.toLowerCase() })));
    return group;
  });
  ui.record.replaceChildren(new Option(`New ${(labels.get("incident") ?? "case").toLowerCase()} (not saved)`, "new:incident"), ...groups.filter((g) => g.children.length > 0));
}

function syncToolbar(): void {
  ui.user.value = current.user;
  ui.record.value = recordParam(current.record);
  ui.theme.value = current.theme;
  ui.lang.value = String(current.lang);
  if (ui.lang.value !== String(current.lang)) {
    // A language from the URL that the select does not list: show it rather than lie.
    ui.lang.append(new Option(`LCID ${current.lang}`, String(current.lang)));
    ui.lang.value = String(current.lang);
  }
}

/** Fills what the URL left out: the first enabled user, the first case. */
function resolveState(q: HarnessQuery): HarnessApi["state"] {
  const user = directory.users.find((u) => u.systemuserid.toLowerCase() === q.user) ?? directory.users.find((u) => !u.isdisabled) ?? directory.users[0];
  if (!user) throw new Error("The simulator's directory has no users (seed 'empty'?): nothing to sign in as.");
  const known = q.record && (q.record.id === "" || directory.records.some((r) => r.table === q.record?.table && r.id.toLowerCase() === q.record.id));
  const fallback = directory.records.find((r) => r.table === "incident") ?? directory.records[0];
  const record: RecordKey = known && q.record ? q.record : fallback ? { table: fallback.table, id: fallback.id.toLowerCase() } : { table: "incident", id: "" };
  return { ...q, user: user.systemuserid.toLowerCase(), record };
}

function controlConstructor(): ControlConstructor {
  const ctor = window.TeamsChatPanel?.TeamsChatPanel;
  if (!ctor) throw new Error("The control bundle did not load (window.TeamsChatPanel.TeamsChatPanel is missing): run npm run build");
  return ctor;
}

async function apply(state: HarnessApi["state"]): Promise<void> {
  const mine = ++generation;
  const isCurrent = () => mine === generation;
  current = state;
  harness.state = state;
  harness.ready = newReady();
  document.body.dataset.harnessReady = "false";
  // The old instance goes first: it must not make calls as the next user (cookie below).
  unmountControl();
  syncToolbar();
  applyTheme(state.theme);
  applyWidth(state.width);

  const user = directory.users.find((u) => u.systemuserid.toLowerCase() === state.user) as DirectoryUser;
  // The simulator's Dataverse identifies the caller by this cookie (the control's own calls included).
  document.cookie = `tcp_sim_user=${encodeURIComponent(user.systemuserid)}; path=/; SameSite=Strict`;
  ui.appUser.textContent = user.fullname;
  const { tag } = localeFor(state.lang);
  ui.pane.lang = tag;

  const dir = directory.records.find((r) => r.table === state.record.table && r.id.toLowerCase() === state.record.id);
  const record: HostRecord = { table: state.record.table, id: state.record.id, name: dir?.name ?? "" };
  const [definition, strings] = await Promise.all([dataverse.definition(record.table).catch(() => undefined), loadStrings(state.lang)]);
  if (!isCurrent()) return;
  record.definition = definition;
  document.title = `${record.id ? record.name : `New ${tableLabel(record)}`} - ${tableLabel(record)} - Contoso Service Hub (harness)`;
  const form = renderForm(ui.form, record, dataverse, isCurrent);

  if (!state.mount) {
    document.body.dataset.harnessReady = "unmounted";
    readyResolve();
    await form;
    return;
  }
  // On https the control signs in itself, with MSAL, at the harness's OpenID Connect provider
  // (as it would at Entra ID); on plain http the page hands it simulator tokens.
  const signIn = location.protocol === "https:";
  const tokenProvider = signIn ? undefined : createTokenProvider(user.systemuserid, (scopes) => harness.requests.token.push(scopes));
  const params = signIn ? { authorityHost: `${location.origin}/oidc`, ...state.params } : state.params;
  host.mount(
    controlConstructor(),
    { user, record, theme: state.theme, lang: state.lang, params, strings, dataverse, fluent: fluent() },
    { graphBaseUrl: `${location.origin}/graph`, tokenProvider, clock: clockFromUrl() },
  );
  await form;
}

/** `?clock=60` runs live updates 60× faster than real time (the benchmark's hour in a minute). */
// Read when the page loads, before the harness rewrites the address with its own state.
const CLOCK_FACTOR = Number(new URLSearchParams(location.search).get("clock"));

function clockFromUrl(): Clock | undefined {
  return Number.isFinite(CLOCK_FACTOR) && CLOCK_FACTOR > 1 ? scaledClock(CLOCK_FACTOR) : undefined;
}

async function navigate(change: Partial<HarnessQuery>): Promise<void> {
  const next = resolveState({ ...current, ...change, params: change.params ?? current.params });
  history.pushState(null, "", toQuery(next));
  await apply(next).catch(fatal);
}

function fatal(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`Harness: ${message}`);
  harness.errors.push(message);
  ui.error.hidden = false;
  ui.error.textContent = message;
  document.body.dataset.harnessReady = "error";
  readyReject(new Error(message));
}

function wireToolbar(): void {
  ui.user.addEventListener("change", () => void navigate({ user: ui.user.value }));
  ui.record.addEventListener("change", () => {
    const [left, right] = ui.record.value.split(":");
    void navigate({ record: left === "new" ? { table: right, id: "" } : { table: left, id: right } });
  });
  ui.theme.addEventListener("change", () => void navigate({ theme: ui.theme.value as ThemeName }));
  ui.lang.addEventListener("change", () => void navigate({ lang: Number(ui.lang.value) }));
  ui.reset.addEventListener("click", async () => {
    ui.reset.disabled = true;
    ui.status.textContent = "Resetting demo data…";
    try {
      const r = await fetch("/__sim/reset", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ seed: "demo" }) });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      location.reload();
    } catch (e) {
      ui.status.textContent = `Reset failed: ${(e as Error).message}`;
      ui.reset.disabled = false;
    }
  });
  window.addEventListener("popstate", () => void apply(resolveState(parseQuery(location.search))).catch(fatal));
}

/** Drag or arrow keys resize the pane; the URL keeps the width, the control sees it via allocatedWidth. */
function wireResizer(): void {
  ui.resizer.setAttribute("aria-valuemin", String(MIN_WIDTH));
  ui.resizer.setAttribute("aria-valuemax", String(MAX_WIDTH));
  const setWidth = (width: number) => {
    const w = clampWidth(width);
    current = { ...current, width: w };
    harness.state = current;
    applyWidth(w);
    history.replaceState(null, "", toQuery(current));
  };
  ui.resizer.addEventListener("keydown", (e) => {
    const step = e.shiftKey ? 64 : 16;
    // The pane is on the right: moving the splitter left widens it.
    if (e.key === "ArrowLeft") setWidth(current.width + step);
    else if (e.key === "ArrowRight") setWidth(current.width - step);
    else if (e.key === "Home") setWidth(MAX_WIDTH);
    else if (e.key === "End") setWidth(MIN_WIDTH);
    else return;
    e.preventDefault();
  });
  ui.resizer.addEventListener("pointerdown", (e) => {
    ui.resizer.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const startWidth = current.width;
    const move = (m: PointerEvent) => setWidth(startWidth + (startX - m.clientX));
    const up = () => {
      ui.resizer.removeEventListener("pointermove", move);
      ui.resizer.removeEventListener("pointerup", up);
    };
    ui.resizer.addEventListener("pointermove", move);
    ui.resizer.addEventListener("pointerup", up);
  });
}

async function boot(): Promise<void> {
  const q = parseQuery(location.search);
  applyTheme(q.theme);
  applyWidth(q.width);
  const response = await fetch("/__sim/directory", { cache: "no-store" });
  if (!response.ok) throw new Error(`GET /__sim/directory failed: HTTP ${response.status}`);
  directory = (await response.json()) as Directory;
  harness.directory = directory;
  const state = resolveState(q);
  current = state;
  await buildToolbar();
  history.replaceState(null, "", toQuery(state));
  wireToolbar();
  wireResizer();
  await apply(state);
}

boot().catch(fatal);
