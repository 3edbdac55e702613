import * as React from "react";
import { Button, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", alignItems: "center", textAlign: "center", gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`, color: tokens.colorNeutralForeground2 },
  icon: { fontSize: "40px", color: tokens.colorBrandForeground1, display: "flex" },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  body: { margin: 0, fontSize: tokens.fontSizeBase300, maxWidth: "320px" },
});

export interface StateMessageProps {
  icon: React.ReactElement;
  title: string;
  body?: string;
  action?: { label: string; onClick(): void; appearance?: "primary" | "secondary" };
  role?: "status" | "alert";
  testId?: string;
}

/** A designed state (empty, error, sign-in, unsaved record): what happened and what to do. */
export const StateMessage: React.FC<StateMessageProps> = ({ icon, title, body, action, role = "status", testId }) => {
  const styles = useStyles();
  return (
    <div className={styles.root} role={role} data-testid={testId}>
      <span className={styles.icon} aria-hidden="true">
        {icon}
      </span>
      <h2 className={styles.title}>{title}</h2>
      {body && <p className={styles.body}>{body}</p>}
      {action && (
        <Button appearance={action.appearance ?? "primary"} onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </div>
  );
};
