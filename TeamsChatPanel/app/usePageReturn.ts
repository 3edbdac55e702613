import * as React from "react";

/** Calls back when the page is shown again (another tab was in front) or the window gets the focus back. */
export function usePageReturn(onReturn: () => void): void {
  const latest = React.useRef(onReturn);
  latest.current = onReturn;
  React.useEffect(() => {
    if (typeof document === "undefined" || typeof window === "undefined") return undefined;
    const onVisibility = () => {
      if (document.visibilityState === "visible") latest.current();
    };
    const onFocus = () => latest.current();
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("focus", onFocus);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("focus", onFocus);
    };
  }, []);
}
