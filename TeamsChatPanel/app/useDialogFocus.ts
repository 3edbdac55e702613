import * as React from "react";

/**
 * A dialog opened right after a menu or another dialog closed can lose focus to that one's focus
 * restore; Fluent then treats the dialog as inactive and hides it from assistive technology.
 * Bring focus back inside when that happens.
 */
export function useDialogFocus(open: boolean): React.RefObject<HTMLDivElement> {
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (!open) return;
    const check = () => {
      const surface = ref.current;
      if (!surface || surface.contains(document.activeElement)) return;
      surface.querySelector<HTMLElement>("input:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex='-1'])")?.focus();
    };
    const timers = [0, 50, 150].map((ms) => setTimeout(check, ms));
    return () => timers.forEach(clearTimeout);
  }, [open]);
  return ref;
}
