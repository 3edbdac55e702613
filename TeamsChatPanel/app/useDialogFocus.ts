import * as React from "react";

const FOCUSABLE = "input:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex='-1']):not([data-tabster-dummy])";

/**
 * A dialog opened right after a menu or another dialog closed can lose focus to that one's focus
 * restore, which on a slow machine lands well after the dialog opened; Fluent then treats the
 * dialog as inactive and hides it from assistive technology. While the dialog is open, focus that
 * lands on the page behind it (outside every portal: menus and pickers inside the dialog live in
 * portals of their own) is brought back inside.
 */
export function useDialogFocus(open: boolean): React.RefObject<HTMLDivElement> {
  const ref = React.useRef<HTMLDivElement>(null);
  // A layout effect, so the close stops it in the same commit, before any focus move the close makes.
  React.useLayoutEffect(() => {
    if (!open) return;
    let live = true;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const bringBack = () => {
      const surface = ref.current;
      // Closed meanwhile: focus now belongs to whatever the close handed it to.
      if (!live) return;
      const active = document.activeElement;
      // Focus left on the surface itself can leave the dialog marked inactive (hidden): move it to the first control.
      if (!surface || (surface.contains(active) && active !== surface)) return;
      if (active && active !== surface && active !== document.body && active.closest("[data-portal-node]")) return;
      surface.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    };
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as Element | null;
      if (!target || !ref.current || ref.current.contains(target) || target.closest?.("[data-portal-node]")) return;
      // Let the focus change finish before moving it again.
      timers.push(setTimeout(bringBack, 0));
    };
    document.addEventListener("focusin", onFocusIn, true);
    for (const ms of [0, 50, 150, 400, 1000]) timers.push(setTimeout(bringBack, ms));
    return () => {
      live = false;
      document.removeEventListener("focusin", onFocusIn, true);
      timers.forEach(clearTimeout);
    };
  }, [open]);
  return ref;
}
