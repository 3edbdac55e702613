import * as React from "react";
import { Avatar, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useStrings } from "../../app/strings";

export interface MentionCandidate {
  id: string;
  displayName: string;
}

const useStyles = makeStyles({
  list: {
    position: "absolute",
    bottom: "100%",
    left: 0,
    right: 0,
    zIndex: 10,
    maxHeight: "220px",
    overflowY: "auto",
    margin: 0,
    marginBottom: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalXS,
    listStyleType: "none",
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow16,
    borderRadius: tokens.borderRadiusMedium,
  },
  option: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    cursor: "pointer",
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected, outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
});

export interface MentionPickerProps {
  id: string;
  items: MentionCandidate[];
  active: number;
  onPick(person: MentionCandidate): void;
}

export function mentionOptionId(listId: string, index: number): string {
  return `${listId}-o${index}`;
}

/** The people matching "@…", shown above the box; the box keeps focus and points at the active one (aria-activedescendant). */
export const MentionPicker: React.FC<MentionPickerProps> = ({ id, items, active, onPick }) => {
  const styles = useStyles();
  const { t } = useStrings();
  return (
    <ul id={id} role="listbox" aria-label={t("Composer_MentionList")} className={styles.list}>
      {items.map((p, i) => (
        <li
          key={p.id}
          id={mentionOptionId(id, i)}
          role="option"
          aria-selected={i === active}
          className={mergeClasses(styles.option, i === active && styles.active)}
          // Keep the caret in the box: the pick happens on click without moving focus.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(p)}
        >
          <Avatar name={p.displayName} size={24} aria-hidden />
          <span>{p.displayName}</span>
        </li>
      ))}
    </ul>
  );
};
