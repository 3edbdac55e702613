import * as React from "react";
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualizerOptions } from "@tanstack/virtual-core";

type Options = Omit<VirtualizerOptions<HTMLDivElement, Element>, "observeElementRect" | "observeElementOffset" | "scrollToFn" | "onChange">;

/**
 * The framework-free TanStack virtualiser bound to React 16 state. (@tanstack/react-virtual
 * imports react-dom, which the platform does not share with virtual controls: it would be bundled.)
 */
export function useVirtualizer(options: Options): Virtualizer<HTMLDivElement, Element> {
  const [, rerender] = React.useReducer((x: number) => x + 1, 0);
  const resolved: VirtualizerOptions<HTMLDivElement, Element> = {
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
    onChange: () => rerender(),
  };
  const [instance] = React.useState(() => new Virtualizer<HTMLDivElement, Element>(resolved));
  instance.setOptions(resolved);
  React.useLayoutEffect(() => instance._didMount(), [instance]);
  React.useLayoutEffect(() => {
    instance._willUpdate();
  });
  return instance;
}
