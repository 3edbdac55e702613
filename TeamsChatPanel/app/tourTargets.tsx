import * as React from "react";
import type { TourStep } from "../store/types";

type Targets = Partial<Record<TourStep, HTMLElement | null>>;

interface TourTargetsValue {
  targets: Targets;
  register(step: TourStep, el: HTMLElement | null): void;
}

const TourTargetsContext = React.createContext<TourTargetsValue>({ targets: {}, register: () => undefined });

/** Elements the walkthrough points at, registered by the components that own them. */
export const TourTargetsProvider: React.FC = ({ children }) => {
  const [targets, setTargets] = React.useState<Targets>({});
  const register = React.useCallback((step: TourStep, el: HTMLElement | null) => {
    setTargets((t) => (t[step] === el ? t : { ...t, [step]: el }));
  }, []);
  const value = React.useMemo(() => ({ targets, register }), [targets, register]);
  return <TourTargetsContext.Provider value={value}>{children}</TourTargetsContext.Provider>;
};

export function useTourTarget(step: TourStep): (el: HTMLElement | null) => void {
  const { register } = React.useContext(TourTargetsContext);
  return React.useCallback((el: HTMLElement | null) => register(step, el), [register, step]);
}

export function useTourTargets(): Targets {
  return React.useContext(TourTargetsContext).targets;
}
