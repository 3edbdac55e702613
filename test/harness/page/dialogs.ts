/**
 * Minimal stand-ins for the platform's alert / confirm / error dialogs. window.confirm would
 * block the page (and the test driving it), so the harness renders a small modal instead.
 */

interface DialogButton<T> {
  label: string;
  value: T;
  primary?: boolean;
}

interface DialogSpec<T> {
  title?: string;
  subtitle?: string;
  text: string;
  buttons: DialogButton<T>[];
  /** Value when the user presses Escape. */
  dismissValue: T;
  width?: number;
}

let counter = 0;

export function openDialog<T>(spec: DialogSpec<T>): Promise<T> {
  const id = `harness-dialog-${++counter}`;
  const previous = document.activeElement as HTMLElement | null;
  const backdrop = document.createElement("div");
  backdrop.className = "harness-dialog-backdrop";
  const dialog = document.createElement("div");
  dialog.className = "harness-dialog";
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-describedby", `${id}-text`);
  dialog.dataset.testid = "harness-dialog";
  if (spec.width) dialog.style.width = `${Math.min(spec.width, window.innerWidth - 32)}px`;

  const heading = document.createElement("h2");
  heading.id = `${id}-title`;
  heading.textContent = spec.title || document.title;
  dialog.setAttribute("aria-labelledby", heading.id);
  dialog.append(heading);
  if (spec.subtitle) {
    const sub = document.createElement("p");
    sub.className = "harness-dialog-subtitle";
    sub.textContent = spec.subtitle;
    dialog.append(sub);
  }
  const text = document.createElement("p");
  text.id = `${id}-text`;
  text.textContent = spec.text;
  dialog.append(text);

  const row = document.createElement("div");
  row.className = "harness-dialog-buttons";
  dialog.append(row);
  backdrop.append(dialog);

  return new Promise<T>((resolve) => {
    const close = (value: T) => {
      backdrop.remove();
      document.removeEventListener("keydown", onKey, true);
      if (previous && document.contains(previous)) previous.focus();
      resolve(value);
    };
    const buttons = spec.buttons.map((b) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.label;
      if (b.primary) button.className = "primary";
      button.addEventListener("click", () => close(b.value));
      row.append(button);
      return button;
    });
    // Modal: Escape dismisses, Tab stays inside the dialog.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        close(spec.dismissValue);
      } else if (e.key === "Tab" && buttons.length > 0) {
        const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
        const next = (index + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length;
        e.preventDefault();
        buttons[index < 0 ? 0 : next].focus();
      }
    };
    document.addEventListener("keydown", onKey, true);
    document.body.append(backdrop);
    (buttons.find((_, i) => spec.buttons[i].primary) ?? buttons[0])?.focus();
  });
}

export function alertDialog(strings: ComponentFramework.NavigationApi.AlertDialogStrings, options?: ComponentFramework.NavigationApi.AlertDialogOptions): Promise<void> {
  return openDialog({
    text: strings.text,
    buttons: [{ label: strings.confirmButtonLabel || "OK", value: undefined, primary: true }],
    dismissValue: undefined,
    width: options?.width,
  });
}

export async function confirmDialog(
  strings: ComponentFramework.NavigationApi.ConfirmDialogStrings,
  options?: ComponentFramework.NavigationApi.ConfirmDialogOptions,
): Promise<ComponentFramework.NavigationApi.ConfirmDialogResponse> {
  const confirmed = await openDialog({
    title: strings.title,
    subtitle: strings.subtitle,
    text: strings.text,
    buttons: [
      { label: strings.confirmButtonLabel || "OK", value: true, primary: true },
      { label: strings.cancelButtonLabel || "Cancel", value: false },
    ],
    dismissValue: false,
    width: options?.width,
  });
  return { confirmed };
}

export function errorDialog(options: ComponentFramework.NavigationApi.ErrorDialogOptions): Promise<void> {
  const text = options.message || (options.errorCode !== undefined ? `Error code ${options.errorCode} (0x${(options.errorCode >>> 0).toString(16)})` : "An error occurred.");
  return openDialog({
    title: "Error",
    text: options.details ? `${text}\n\n${options.details}` : text,
    buttons: [{ label: "OK", value: undefined, primary: true }],
    dismissValue: undefined,
  });
}
