/**
 * The PCF context the harness hands to the control. Every member listed in the harness
 * brief is implemented for real; the rest of ComponentFramework.Context is either a
 * minimal working version or rejects with a message naming the harness.
 */
import type { FluentGlobals, FluentTheme } from "./globals";
import type { ThemeName } from "./state";
import { localeFor } from "./state";
import type { DataverseClient, EntityDefinition } from "./webapi";
import { getString, type LoadedStrings } from "./resx";
import { alertDialog, confirmDialog, errorDialog } from "./dialogs";

export interface DirectoryUser {
  systemuserid: string;
  aadObjectId: string;
  fullname: string;
  upn: string;
  email: string;
  title: string;
  isdisabled: boolean;
  isSupervisor: boolean;
  /** Holds delete at organization depth on the link table (the Link Manager role). */
  orgDelete?: boolean;
}

export interface DirectoryRecord {
  table: string;
  id: string;
  name: string;
}

export interface Directory {
  users: DirectoryUser[];
  records: DirectoryRecord[];
}

export interface HostRecord {
  table: string;
  /** "" for a record that is not saved yet. */
  id: string;
  /** Primary name; "" for a new record. */
  name: string;
  definition?: EntityDefinition;
}

/** The manifest's inputs, typed loosely: the harness does not depend on generated files. */
export interface HarnessInputs {
  boundText: ComponentFramework.PropertyTypes.StringProperty;
  chatNaming: ComponentFramework.PropertyTypes.EnumProperty<string>;
  introMessage: ComponentFramework.PropertyTypes.TwoOptionsProperty;
  introFields: ComponentFramework.PropertyTypes.StringProperty;
  showSuggestions: ComponentFramework.PropertyTypes.TwoOptionsProperty;
  panelHeight: ComponentFramework.PropertyTypes.WholeNumberProperty;
  [name: string]: unknown;
}

export type HarnessContext = ComponentFramework.Context<HarnessInputs>;

export interface ContextConfig {
  user: DirectoryUser;
  record: HostRecord;
  theme: ThemeName;
  lang: number;
  /** Raw `p.*` overrides from the URL. */
  params: Record<string, string>;
  strings: LoadedStrings;
  dataverse: DataverseClient;
  fluent: FluentGlobals;
}

export interface ContextHooks {
  requestRender(updatedProperties: string[]): void;
  openForm(options: ComponentFramework.NavigationApi.EntityFormOptions): Promise<ComponentFramework.NavigationApi.OpenFormSuccessResponse>;
  setFullScreen(value: boolean): void;
  /** The control asked to track its container; the host starts reporting sizes. */
  trackContainerResize(value: boolean): void;
}

export function themeTokens(fluent: FluentGlobals, theme: ThemeName): FluentTheme {
  return theme === "dark" ? fluent.webDarkTheme : theme === "hc" ? fluent.teamsHighContrastTheme : fluent.webLightTheme;
}

/** Both dark and high contrast paint light text on a dark background. */
export function isDark(theme: ThemeName): boolean {
  return theme !== "light";
}

/** `(null)` in the URL stands for an unset property, which the platform passes as raw: null. */
const NULL = "(null)";

function labelFor(attribute: string): string {
  const known: Record<string, string> = { title: "Case Title", name: "Name", fullname: "Full Name", subject: "Subject" };
  return known[attribute] ?? attribute;
}

function text(raw: string | null, attributes?: Record<string, unknown>): ComponentFramework.PropertyTypes.StringProperty {
  return { raw, formatted: raw ?? "", error: false, errorMessage: "", type: "SingleLine.Text", attributes } as unknown as ComponentFramework.PropertyTypes.StringProperty;
}

function twoOptions(value: string | undefined, fallback: boolean): ComponentFramework.PropertyTypes.TwoOptionsProperty {
  const raw = value === undefined ? fallback : value === "true" || value === "1";
  return { raw, formatted: raw ? "Yes" : "No", error: false, errorMessage: "", type: "TwoOptions" } as unknown as ComponentFramework.PropertyTypes.TwoOptionsProperty;
}

/**
 * What the solution's roles grant on the link table (the simulator enforces the same): read at
 * organization depth, create and delete at user depth, delete at organization depth for Link
 * Managers. Other tables: the demo users may do everything.
 */
function linkPrivilege(user: DirectoryUser, table: string, type: number, depth: number): boolean {
  if (table.toLowerCase() !== "tcp_chatlink") return true;
  const READ = 2;
  const CREATE = 1;
  const WRITE = 3;
  const DELETE = 4;
  if (type === READ) return true;
  if (type === CREATE || type === WRITE) return depth <= 0;
  if (type === DELETE) return depth <= 0 || user.orgDelete === true;
  return depth <= 0;
}

export function buildParameters(record: HostRecord, params: Record<string, string>, boundValue: string | null | undefined): HarnessInputs {
  const p = (name: string): string | undefined => params[name];
  const bound = boundValue !== undefined ? boundValue : p("boundText") === NULL ? null : (p("boundText") ?? record.name);
  const heightText = p("panelHeight");
  const height = heightText === undefined ? 640 : heightText === NULL || heightText === "" ? null : Number(heightText);
  const introFields = p("introFields");
  const naming = p("chatNaming");
  const attribute = record.definition?.PrimaryNameAttribute ?? "name";
  return {
    boundText: text(bound, { LogicalName: attribute, DisplayName: labelFor(attribute), RequiredLevel: 0, MaxLength: 200 }),
    chatNaming: { raw: naming === NULL ? null : (naming ?? "recordTitle"), type: "Enum" } as unknown as ComponentFramework.PropertyTypes.EnumProperty<string>,
    introMessage: twoOptions(p("introMessage"), true),
    channelReading: twoOptions(p("channelReading"), true),
    introFields: text(introFields === NULL ? null : (introFields ?? "")),
    showSuggestions: twoOptions(p("showSuggestions"), true),
    showDiagnostics: twoOptions(p("showDiagnostics"), false),
    suggestionRules: text(p("suggestionRules") === NULL ? null : (p("suggestionRules") ?? "")),
    suggestionMonths: { raw: p("suggestionMonths") ? Number(p("suggestionMonths")) : 12, type: "Whole.None" } as unknown as ComponentFramework.PropertyTypes.WholeNumberProperty,
    // The simulator's demo GIF provider (test/simulator/gif.ts) unless the URL says otherwise; "null" turns GIFs off.
    gifApiKey: text(p("gifApiKey") === NULL ? null : (p("gifApiKey") ?? "demo-gif-key")),
    gifApiUrl: text(p("gifApiUrl") === NULL ? null : (p("gifApiUrl") ?? `${location.origin}/gifapi/v2`)),
    // Sign-in overrides (blank = the environment variables in the demo data).
    clientId: text(p("clientId") ?? null),
    tenantId: text(p("tenantId") ?? null),
    authorityHost: text(p("authorityHost") ?? null),
    redirectPath: text(p("redirectPath") ?? null),
    panelHeight: {
      raw: height,
      formatted: height === null ? "" : String(height),
      error: height !== null && !Number.isFinite(height),
      errorMessage: "",
      type: "Whole.None",
    } as unknown as ComponentFramework.PropertyTypes.WholeNumberProperty,
  };
}

function monthNames(tag: string, month: "long" | "short"): string[] {
  const f = new Intl.DateTimeFormat(tag, { month, timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, m) => f.format(new Date(Date.UTC(2024, m, 15))));
}

function dayNames(tag: string, weekday: "long" | "short" | "narrow"): string[] {
  const f = new Intl.DateTimeFormat(tag, { weekday, timeZone: "UTC" });
  // 2024-09-01 is a Sunday: index 0 = Sunday like DayOfWeek.
  return Array.from({ length: 7 }, (_, d) => f.format(new Date(Date.UTC(2024, 8, 1 + d))));
}

function dateFormattingInfo(lcid: number): ComponentFramework.UserSettingApi.DateFormattingInfo {
  const { tag } = localeFor(lcid);
  const german = lcid === 1031;
  const patterns = german
    ? { short: "dd.MM.yyyy", long: "dddd, d. MMMM yyyy", shortTime: "HH:mm", longTime: "HH:mm:ss", sep: ".", am: "", pm: "", first: 1 }
    : { short: "M/d/yyyy", long: "dddd, MMMM d, yyyy", shortTime: "h:mm tt", longTime: "h:mm:ss tt", sep: "/", am: "AM", pm: "PM", first: 0 };
  return {
    amDesignator: patterns.am,
    pmDesignator: patterns.pm,
    abbreviatedDayNames: dayNames(tag, "short"),
    dayNames: dayNames(tag, "long"),
    shortestDayNames: dayNames(tag, "narrow"),
    abbreviatedMonthNames: monthNames(tag, "short"),
    abbreviatedMonthGenitiveNames: monthNames(tag, "short"),
    monthNames: monthNames(tag, "long"),
    monthGenitiveNames: monthNames(tag, "long"),
    calendarWeekRule: german ? 2 : 0,
    dateSeparator: patterns.sep,
    timeSeparator: ":",
    firstDayOfWeek: patterns.first,
    shortDatePattern: patterns.short,
    longDatePattern: patterns.long,
    shortTimePattern: patterns.shortTime,
    longTimePattern: patterns.longTime,
    fullDateTimePattern: `${patterns.long} ${patterns.longTime}`,
    monthDayPattern: german ? "d. MMMM" : "MMMM d",
    yearMonthPattern: german ? "MMMM yyyy" : "MMMM yyyy",
    sortableDateTimePattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    universalSortableDateTimePattern: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  } as unknown as ComponentFramework.UserSettingApi.DateFormattingInfo;
}

function numberFormattingInfo(lcid: number): ComponentFramework.UserSettingApi.NumberFormattingInfo {
  const parts = new Intl.NumberFormat(localeFor(lcid).tag).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  return {
    numberDecimalSeparator: decimal,
    numberGroupSeparator: group,
    numberDecimalDigits: 2,
    numberGroupSizes: [3],
    negativeSign: "-",
    positiveSign: "+",
    currencyDecimalSeparator: decimal,
    currencyGroupSeparator: group,
    currencyDecimalDigits: 2,
    currencyGroupSizes: [3],
    currencySymbol: lcid === 1031 ? "€" : "$",
    percentDecimalSeparator: decimal,
    percentGroupSeparator: group,
    percentDecimalDigits: 2,
    percentGroupSizes: [3],
    percentSymbol: "%",
    nanSymbol: "NaN",
    positiveInfinitySymbol: "Infinity",
    negativeInfinitySymbol: "-Infinity",
  } as unknown as ComponentFramework.UserSettingApi.NumberFormattingInfo;
}

function formatting(lcid: number): ComponentFramework.Formatting {
  const { tag } = localeFor(lcid);
  const date = (d: Date, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, o).format(d);
  return {
    formatCurrency: (v, precision = 2, symbol) =>
      symbol ? `${symbol}${new Intl.NumberFormat(tag, { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(v)}` : new Intl.NumberFormat(tag, { style: "currency", currency: lcid === 1031 ? "EUR" : "USD", minimumFractionDigits: precision, maximumFractionDigits: precision }).format(v),
    formatDecimal: (v, precision = 2) => new Intl.NumberFormat(tag, { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(v),
    formatInteger: (v) => new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }).format(v),
    formatDateAsFilterStringInUTC: (v, includeTime) => (includeTime ? v.toISOString().slice(0, 19) : v.toISOString().slice(0, 10)),
    formatDateLong: (v) => date(v, { dateStyle: "full" }),
    formatDateLongAbbreviated: (v) => date(v, { weekday: "short", year: "numeric", month: "short", day: "numeric" }),
    formatDateShort: (v, includeTime) => date(v, includeTime ? { dateStyle: "short", timeStyle: "short" } : { dateStyle: "short" }),
    formatDateYearMonth: (v) => date(v, { year: "numeric", month: "long" }),
    formatTime: (v, behavior) => date(v, behavior === 3 ? { timeStyle: "short", timeZone: "UTC" } : { timeStyle: "short" }),
    formatLanguage: (v) => {
      try {
        return new Intl.DisplayNames([tag], { type: "language" }).of(localeFor(v).tag) ?? String(v);
      } catch {
        return String(v);
      }
    },
    getWeekOfYear: (v) => {
      const d = new Date(Date.UTC(v.getFullYear(), v.getMonth(), v.getDate()));
      d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
      return Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
    },
  } as ComponentFramework.Formatting;
}

function notInHarness(what: string): Promise<never> {
  return Promise.reject(new Error(`${what} is not available in the TeamsChatPanel harness`));
}

function readAsBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** device.pickFile: a real file chooser (tests answer it with Playwright's filechooser event). */
function pickFile(options?: ComponentFramework.DeviceApi.PickFileOptions): Promise<ComponentFramework.FileObject[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = !!options?.allowMultipleFiles;
    if (options?.accept) input.accept = ["image", "audio", "video"].includes(options.accept) ? `${options.accept}/*` : options.accept;
    input.style.display = "none";
    input.addEventListener("change", async () => {
      input.remove();
      const files = Array.from(input.files ?? []);
      const tooBig = files.find((f) => options?.maximumAllowedFileSize && f.size > options.maximumAllowedFileSize);
      if (tooBig) return reject(new Error(`${tooBig.name} is larger than ${options?.maximumAllowedFileSize} bytes`));
      try {
        resolve(await Promise.all(files.map(async (f) => ({ fileName: f.name, fileSize: f.size, mimeType: f.type || "application/octet-stream", fileContent: await readAsBase64(f) }))));
      } catch (e) {
        reject(e);
      }
    });
    input.addEventListener("cancel", () => {
      input.remove();
      resolve([]);
    });
    document.body.append(input);
    input.click();
  });
}

function openFile(file: ComponentFramework.FileObject): Promise<void> {
  const link = document.createElement("a");
  link.href = `data:${file.mimeType || "application/octet-stream"};base64,${file.fileContent}`;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  return Promise.resolve();
}

/**
 * One control instance's view of the host. The mutable parts (size, bound value,
 * theme, parameters) live here; every updateView gets a fresh context object, as
 * the platform builds a new property bag for each call.
 */
export class HostContext {
  allocatedWidth = -1;
  allocatedHeight = -1;
  tracking = false;
  fullScreen = false;
  /** Value written back through notifyOutputChanged/getOutputs (undefined: not changed). */
  boundValue: string | null | undefined = undefined;
  private readonly stable: Omit<HarnessContext, "parameters" | "mode" | "updatedProperties" | "fluentDesignLanguage">;

  constructor(
    public config: ContextConfig,
    private readonly hooks: ContextHooks,
  ) {
    const { user, lang, strings, dataverse } = config;
    const { rtl } = localeFor(lang);
    this.stable = {
      client: {
        disableScroll: false,
        getClient: () => "Web",
        getFormFactor: () => 1,
        isOffline: () => false,
        isNetworkAvailable: () => navigator.onLine,
      },
      device: {
        captureAudio: () => notInHarness("device.captureAudio"),
        captureImage: () => notInHarness("device.captureImage"),
        captureVideo: () => notInHarness("device.captureVideo"),
        getBarcodeValue: () => notInHarness("device.getBarcodeValue"),
        getCurrentPosition: () => notInHarness("device.getCurrentPosition"),
        pickFile,
      },
      factory: {
        requestRender: () => hooks.requestRender([]),
        getPopupService: () => {
          throw new Error("factory.getPopupService is not available in the TeamsChatPanel harness");
        },
      },
      formatting: formatting(lang),
      navigation: {
        openAlertDialog: alertDialog,
        openConfirmDialog: confirmDialog,
        openErrorDialog: errorDialog,
        openFile,
        openForm: (options) => hooks.openForm(options),
        openUrl: (url) => {
          window.open(url, "_blank", "noopener,noreferrer");
        },
        openWebResource: (name, _options, data) => {
          window.open(`/WebResources/${encodeURIComponent(name)}${data ? `?data=${encodeURIComponent(data)}` : ""}`, "_blank", "noopener");
        },
      },
      resources: {
        getString: (id) => getString(strings, id),
        getResource: (id, success, failure) => {
          fetch(`/control/${id.split("/").map(encodeURIComponent).join("/")}`)
            .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
            .then(readAsBase64)
            .then(success, () => failure());
        },
      },
      userSettings: {
        // The platform gives the systemuserid upper-case in braces ("{GUID}"), as Xrm does.
        userId: `{${user.systemuserid.toUpperCase()}}`,
        userName: user.fullname,
        languageId: lang,
        isRTL: rtl,
        securityRoles: [],
        dateFormattingInfo: dateFormattingInfo(lang),
        numberFormattingInfo: numberFormattingInfo(lang),
        getTimeZoneOffsetMinutes: (date?: Date) => -(date ?? new Date()).getTimezoneOffset(),
      },
      utils: {
        getEntityMetadata: (table, attributes) => dataverse.getEntityMetadata(table, attributes),
        hasEntityPrivilege: (table: string, type: number, depth: number) => linkPrivilege(user, table, type, depth),
        lookupObjects: () => notInHarness("utils.lookupObjects"),
      },
      webAPI: dataverse.webApi(),
      events: {},
      copilot: {} as ComponentFramework.Copilot,
    };
  }

  private stateKey(): string {
    const { record, user } = this.config;
    return `tcp-harness-state:${user.systemuserid}:${record.table}:${record.id || "new"}`;
  }

  /** What setControlState stored earlier in this browser session (passed to init). */
  savedState(): ComponentFramework.Dictionary | undefined {
    const text = sessionStorage.getItem(this.stateKey());
    return text ? (JSON.parse(text) as ComponentFramework.Dictionary) : undefined;
  }

  snapshot(updatedProperties: string[]): HarnessContext {
    const { record, theme, params, fluent } = this.config;
    const mode = {
      allocatedWidth: this.allocatedWidth,
      allocatedHeight: this.allocatedHeight,
      isControlDisabled: false,
      isVisible: true,
      label: "Teams",
      contextInfo: { entityTypeName: record.table, entityId: record.id, entityRecordName: record.name },
      setControlState: (state: ComponentFramework.Dictionary) => {
        sessionStorage.setItem(this.stateKey(), JSON.stringify(state));
        return true;
      },
      setFullScreen: (value: boolean) => this.hooks.setFullScreen(value),
      trackContainerResize: (value: boolean) => this.hooks.trackContainerResize(value),
    };
    return {
      ...this.stable,
      parameters: buildParameters(record, params, this.boundValue),
      mode: mode as ComponentFramework.Mode,
      updatedProperties,
      fluentDesignLanguage: { tokenTheme: themeTokens(fluent, theme), isDarkTheme: isDark(theme) } as ComponentFramework.FluentDesignState,
    } as HarnessContext;
  }
}
