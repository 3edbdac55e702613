/**
 * The control's lifecycle as the platform drives a virtual (React) control:
 * new Ctor(hostOptions) -> init(context, notifyOutputChanged, state) -> updateView(context)
 * whose element the host renders, again on every context change, and destroy() at the end.
 */
import type { ControlConstructor, ControlInstance } from "./globals";
import { HostContext, type ContextConfig } from "./context";
import type { Clock } from "../../../TeamsChatPanel/services/realtime/clock";
import type { TokenProvider } from "./token";

export interface HostOptions {
  graphBaseUrl: string;
  /** Absent: the control signs in itself (MSAL). */
  tokenProvider?: TokenProvider;
  /** Live updates' clock (the control's Clock port); absent = real time. */
  clock?: Clock;
}

export interface HostEvents {
  rendered(): void;
  failed(message: string): void;
  openForm(options: ComponentFramework.NavigationApi.EntityFormOptions): Promise<ComponentFramework.NavigationApi.OpenFormSuccessResponse>;
  fullScreen(value: boolean): void;
  outputs(outputs: Record<string, unknown>): void;
}

export class ControlHost {
  renders = 0;
  mounts = 0;
  private control?: ControlInstance;
  private context?: HostContext;
  private pending?: string[];
  private readonly observer: ResizeObserver;

  constructor(
    /** The element React renders into (the pane's control area). */
    readonly element: HTMLElement,
    private readonly errorBox: HTMLElement,
    private readonly events: HostEvents,
  ) {
    this.observer = new ResizeObserver(() => this.measure());
    this.observer.observe(element);
  }

  get current(): ControlInstance | undefined {
    return this.control;
  }

  get hostContext(): HostContext | undefined {
    return this.context;
  }

  /** Destroys any running instance, then creates, initialises and renders a new one. */
  mount(Ctor: ControlConstructor, config: ContextConfig, hostOptions: HostOptions): void {
    this.unmount();
    const context = new HostContext(config, {
      requestRender: (updated) => this.schedule(updated),
      openForm: (options) => this.events.openForm(options),
      setFullScreen: (value) => {
        context.fullScreen = value;
        this.events.fullScreen(value);
        this.schedule([value ? "fullscreen_open" : "fullscreen_close"]);
      },
      trackContainerResize: (value) => {
        context.tracking = value;
        if (value) this.measure(true);
        else {
          context.allocatedWidth = -1;
          context.allocatedHeight = -1;
        }
      },
    });
    this.context = context;
    try {
      const control = new Ctor(hostOptions);
      this.control = control;
      this.mounts++;
      control.init(context.snapshot([]), () => this.outputChanged(control, context), context.savedState());
      if (this.control !== control) return; // init navigated away (openForm) synchronously
      this.render([]);
    } catch (e) {
      this.fail("init", e);
    }
  }

  /** Re-renders with a changed configuration (theme, parameters) without re-creating the control. */
  update(change: Partial<Pick<ContextConfig, "theme" | "params">>, updatedProperties: string[]): void {
    if (!this.context) return;
    this.context.config = { ...this.context.config, ...change };
    this.render(updatedProperties);
  }

  unmount(): void {
    this.pending = undefined;
    const control = this.control;
    this.control = undefined;
    this.context = undefined;
    // Unmount the React tree first so component effects clean up while the control's
    // services still exist, then let the control dispose of them.
    Reactv16Dom().unmountComponentAtNode(this.element);
    if (control) {
      try {
        control.destroy();
      } catch (e) {
        this.fail("destroy", e);
      }
    }
    this.errorBox.hidden = true;
    this.errorBox.textContent = "";
  }

  /** Coalesces requests into one updateView on a later task, like the platform's render loop. */
  schedule(updatedProperties: string[]): void {
    if (this.pending) {
      this.pending.push(...updatedProperties);
      return;
    }
    this.pending = [...updatedProperties];
    setTimeout(() => {
      const updated = this.pending;
      this.pending = undefined;
      if (updated && this.control) this.render([...new Set(updated)]);
    }, 0);
  }

  private render(updatedProperties: string[]): void {
    const control = this.control;
    const context = this.context;
    if (!control || !context) return;
    try {
      const element = control.updateView(context.snapshot(updatedProperties));
      Reactv16Dom().render(element, this.element);
      this.renders++;
      this.events.rendered();
    } catch (e) {
      this.fail("updateView", e);
    }
  }

  private outputChanged(control: ControlInstance, context: HostContext): void {
    if (control !== this.control) return;
    const outputs = control.getOutputs?.() ?? {};
    this.events.outputs(outputs);
    if ("boundText" in outputs) {
      context.boundValue = (outputs.boundText as string | null | undefined) ?? null;
      this.schedule(["boundText"]);
    }
  }

  private measure(force = false): void {
    const context = this.context;
    if (!context?.tracking) return;
    const width = Math.round(this.element.clientWidth);
    const height = Math.round(this.element.clientHeight);
    if (!force && width === context.allocatedWidth && height === context.allocatedHeight) return;
    context.allocatedWidth = width;
    context.allocatedHeight = height;
    this.schedule(["layout"]);
  }

  private fail(stage: string, e: unknown): void {
    const message = `The control failed in ${stage}: ${e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e)}`;
    console.error(message);
    this.errorBox.hidden = false;
    this.errorBox.textContent = message.split("\n")[0];
    this.events.failed(message);
  }
}

function Reactv16Dom(): NonNullable<Window["ReactDOMv16"]> {
  const dom = window.ReactDOMv16;
  if (!dom) throw new Error("ReactDOMv16 is missing: /lib/react.js did not load");
  return dom;
}
