import * as React from "react";
import { TeachingPopover, TeachingPopoverBody, TeachingPopoverFooter, TeachingPopoverHeader, TeachingPopoverSurface, TeachingPopoverTitle } from "@fluentui/react-components";
import { useStrings } from "../app/strings";
import { useTourTargets } from "../app/tourTargets";
import { usePanel } from "../store/context";
import { TOUR_STEPS, type TourStep } from "../store/types";

const STEP_KEYS: Record<TourStep, { title: string; body: string }> = {
  filter: { title: "Tour_Filter_Title", body: "Tour_Filter_Body" },
  newChat: { title: "Tour_NewChat_Title", body: "Tour_NewChat_Body" },
  sections: { title: "Tour_Sections_Title", body: "Tour_Sections_Body" },
  menu: { title: "Tour_Menu_Title", body: "Tour_Menu_Body" },
};

/** First-run walkthrough: one teaching popover per step, pointing at the part it explains. */
export const Tour: React.FC = () => {
  const { t } = useStrings();
  const step = usePanel((s) => s.tourStep);
  const next = usePanel((s) => s.nextTourStep);
  const end = usePanel((s) => s.endTour);
  const targets = useTourTargets();
  const surface = React.useRef<HTMLDivElement | null>(null);
  // Non-modal on purpose: a focus trap would hide the whole form from assistive technology.
  // Focus moves into the tip so keyboard users can act on it, and Escape closes it.
  React.useEffect(() => {
    if (!step) return;
    const id = setTimeout(() => surface.current?.querySelector<HTMLButtonElement>("button:not([aria-label])")?.focus(), 0);
    return () => clearTimeout(id);
  }, [step]);
  if (!step) return null;
  const target = targets[step];
  if (!target) return null;
  const index = TOUR_STEPS.indexOf(step);
  const last = index === TOUR_STEPS.length - 1;
  const keys = STEP_KEYS[step];
  return (
    <TeachingPopover open positioning={{ target, position: "below" }} onOpenChange={(_, d) => !d.open && end()}>
      <TeachingPopoverSurface ref={surface} aria-label={t(keys.title)} data-testid="tour">
        <TeachingPopoverHeader dismissButton={{ "aria-label": t("Tour_Dismiss") }}>{t("Tour_Header", index + 1, TOUR_STEPS.length)}</TeachingPopoverHeader>
        <TeachingPopoverBody>
          <TeachingPopoverTitle>{t(keys.title)}</TeachingPopoverTitle>
          <div>{t(keys.body)}</div>
        </TeachingPopoverBody>
        <TeachingPopoverFooter
          primary={{ children: last ? t("Tour_Done") : t("Tour_Next"), onClick: last ? end : next }}
          secondary={{ children: t("Tour_Skip"), onClick: end }}
        />
      </TeachingPopoverSurface>
    </TeachingPopover>
  );
};
