import * as React from "react";
import { Avatar, Field, Spinner, Tag, TagPicker, TagPickerControl, TagPickerGroup, TagPickerInput, TagPickerList, TagPickerOption } from "@fluentui/react-components";
import { useStrings } from "../app/strings";
import type { Person } from "../domain/types";
import { usePanel } from "../store/context";
import { MIN_QUERY_LENGTH } from "../store/peopleSlice";

const SEARCH_DEBOUNCE_MS = 250;

export interface PeoplePickerHandle {
  /** Moves focus to the search box. */
  focus(): void;
  /** Drops a search still waiting for typing to stop (the dialog is closing). */
  cancelSearch(): void;
}

export interface PeoplePickerProps {
  /** The field's visible label. */
  label: string;
  /** The search box's accessible name. */
  inputLabel: string;
  /** Shown in the empty search box while nobody is picked. */
  placeholder: string;
  /** Accessible name of the group of picked people. */
  pickedLabel: string;
  /** Accessible name of the action that takes a picked person out again. */
  unpickLabel(name: string): string;
  /** Whether that name is carried by the picked person's tag itself or by its dismiss icon. */
  unpickLabelOn: "tag" | "dismissIcon";
  /** The search text; the owner keeps it so it can clear it (after creating or adding). */
  query: string;
  onQueryChange(query: string): void;
  picked: Person[];
  onPickedChange(picked: Person[]): void;
  /** Ids of people never offered, such as those already in the chat. */
  leaveOut?: ReadonlySet<string>;
  /** The line shown when people were found but every one of them is picked or left out; otherwise "nobody found". */
  allLeftOutText?(query: string): string;
  disabled?: boolean;
}

/** People from the directory, searched as the user types, picked as removable tags. */
export const PeoplePicker = React.forwardRef<PeoplePickerHandle, PeoplePickerProps>((props, ref) => {
  const { label, inputLabel, placeholder, pickedLabel, unpickLabel, unpickLabelOn, query, onQueryChange, picked, onPickedChange, leaveOut, allLeftOutText, disabled } = props;
  const { t } = useStrings();
  const people = usePanel((s) => s.people);
  const peopleStatus = usePanel((s) => s.peopleStatus);
  const peopleError = usePanel((s) => s.peopleError);
  const searchPeople = usePanel((s) => s.searchPeople);
  const clearPeople = usePanel((s) => s.clearPeople);

  // Open while the user is searching; results arrive after typing stops, so the list is opened by us, not by a keystroke.
  const [listOpen, setListOpen] = React.useState(false);
  const timer = React.useRef<ReturnType<typeof setTimeout>>();
  const input = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => () => clearTimeout(timer.current), []);
  React.useImperativeHandle(ref, () => ({ focus: () => input.current?.focus(), cancelSearch: () => clearTimeout(timer.current) }), []);

  const onQuery = (value: string) => {
    onQueryChange(value);
    setListOpen(value.trim().length >= MIN_QUERY_LENGTH);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void searchPeople(value), SEARCH_DEBOUNCE_MS);
  };

  const onSelect = (_: unknown, data: { value: string; selectedOptions: string[] }) => {
    if (data.value === "") return; // the "nobody found" line
    const known = new Map([...picked, ...people].map((p) => [p.id, p] as const));
    onPickedChange(data.selectedOptions.map((id) => known.get(id)).filter((p): p is Person => !!p));
    onQueryChange("");
    setListOpen(false);
    clearPeople();
  };

  const options = people.filter((p) => !leaveOut?.has(p.id) && !picked.some((x) => x.id === p.id));
  const searching = peopleStatus === "loading";
  const noMatches = peopleStatus === "ready" && options.length === 0;
  const allLeftOut = allLeftOutText && noMatches && people.length > 0;
  const trimmed = query.trim().length;

  return (
    <Field
      label={label}
      hint={trimmed > 0 && trimmed < MIN_QUERY_LENGTH ? t("NewChat_TypeMore", MIN_QUERY_LENGTH) : undefined}
      validationState={peopleStatus === "error" ? "error" : "none"}
      validationMessage={peopleStatus === "error" ? (peopleError === "forbidden" ? t("NewChat_SearchForbidden") : t("NewChat_SearchFailed")) : undefined}
    >
      <TagPicker
        onOptionSelect={onSelect}
        selectedOptions={picked.map((p) => p.id)}
        disabled={disabled}
        open={listOpen && (options.length > 0 || noMatches)}
        onOpenChange={(_, d) => setListOpen(d.open)}
      >
        <TagPickerControl expandIcon={searching ? <Spinner size="extra-tiny" aria-label={t("NewChat_Searching")} /> : undefined}>
          <TagPickerGroup aria-label={pickedLabel}>
            {picked.map((p) => (
              <Tag
                key={p.id}
                value={p.id}
                shape="rounded"
                {...(unpickLabelOn === "tag" ? { "aria-label": unpickLabel(p.displayName) } : {})}
                media={<Avatar aria-hidden="true" name={p.displayName} color="colorful" />}
                dismissible
                dismissIcon={unpickLabelOn === "tag" ? { "aria-hidden": true } : { "aria-label": unpickLabel(p.displayName) }}
              >
                {p.displayName}
              </Tag>
            ))}
          </TagPickerGroup>
          <TagPickerInput ref={input} aria-label={inputLabel} placeholder={picked.length ? undefined : placeholder} value={query} onChange={(e) => onQuery(e.target.value)} />
        </TagPickerControl>
        <TagPickerList>
          {options.map((p) => (
            <TagPickerOption key={p.id} value={p.id} text={p.displayName} media={<Avatar aria-hidden="true" name={p.displayName} color="colorful" />} secondaryContent={p.jobTitle ?? p.email}>
              {p.displayName}
            </TagPickerOption>
          ))}
          {noMatches && (
            <TagPickerOption value="" text="">
              {allLeftOut ? allLeftOutText(query) : t("NewChat_NoMatches", query)}
            </TagPickerOption>
          )}
        </TagPickerList>
      </TagPicker>
    </Field>
  );
});
PeoplePicker.displayName = "PeoplePicker";
