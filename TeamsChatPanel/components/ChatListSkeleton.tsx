import * as React from "react";
import { Skeleton, SkeletonItem, makeStyles, tokens } from "@fluentui/react-components";
import { useStrings } from "../app/strings";

const useStyles = makeStyles({
  row: { display: "grid", gridTemplateColumns: "32px 1fr", gap: tokens.spacingHorizontalS, alignItems: "center", padding: tokens.spacingHorizontalS },
  lines: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

/** First-load placeholder shaped like the list it stands for. */
export const ChatListSkeleton: React.FC = () => {
  const styles = useStyles();
  const { t } = useStrings();
  return (
    <div role="status" aria-live="polite" aria-label={t("ChatList_Loading")} data-testid="chat-skeleton">
      <Skeleton aria-hidden="true">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className={styles.row}>
            <SkeletonItem shape="circle" size={32} />
            <div className={styles.lines}>
              <SkeletonItem size={12} style={{ width: `${60 + ((i * 13) % 30)}%` }} />
              <SkeletonItem size={12} style={{ width: `${40 + ((i * 17) % 40)}%` }} />
            </div>
          </div>
        ))}
      </Skeleton>
    </div>
  );
};
