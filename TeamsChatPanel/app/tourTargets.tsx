import * as React from "react";
import type { TourStep } from "../store/types";

type Targets = Partial<Record<TourStep, HTMLElement | null>>;

interface TourTargetsValue {
  targets: React.MutableRefObject<Targets>;
}

const TourTargetsContext = React.createContext<TourTargetsValue>({ targets: { current: {} } });

/**
 * Elements the walkthrough points at, registered by the components that own them. Kept in a ref, not state:
 * ref callbacks run on every commit and must not trigger renders. The tour reads them when it opens,
 * which is after the panel has rendered its toolbar and list.
 */
export const TourTargetsProvider: React.FC = ({ children }) => {
  const targets = React.useRef<Targets>({});
  const value = React.useMemo(() => ({ targets }), []);
  return <TourTargetsContext.Provider value={value}>{children}</TourTargetsContext.Provider>;
};

export function useTourTarget(step: TourStep): (el: HTMLElement | null) => void {
  const { targets } = React.useContext(TourTargetsContext);
  return React.useCallback(
    (el: HTMLElement | null) => {
      if (el) targets.current[step] = el;
      else if (targets.current[step] && !targets.current[step]?.isConnected) delete targets.current[step];
    },
    [targets, step],
  );
}

export function useTourTargets(): Targets {
  return React.useContext(TourTargetsContext).targets.current;
}
