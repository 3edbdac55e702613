import * as React from "react";
import { Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowLeftRegular, ArrowReplyRegular, DismissRegular, OpenRegular, PeopleTeamRegular } from "@fluentui/react-icons";
import { useHost } from "../../app/host";
import { useStrings } from "../../app/strings";
import type { ChannelPost } from "../../domain/channels";
import type { Draft } from "../../domain/messages";
import { usePanel } from "../../store/context";
import type { LinkedChannel } from "../../store/channelTypes";
import { Composer } from "../composer/Composer";
import { MessageItem, OutgoingItemView } from "../conversation/MessageItem";
import { StateMessage } from "../StateMessage";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  header: { flexShrink: 0, display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  title: { flexGrow: 1, minWidth: 0, display: "flex", flexDirection: "column" },
  name: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  team: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  posts: { flexGrow: 1, minHeight: 0, overflowY: "auto", padding: tokens.spacingVerticalS, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  post: { border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingVerticalXS, margin: 0, listStyleType: "none" },
  list: { margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  replies: { margin: 0, marginLeft: tokens.spacingHorizontalXL, padding: 0, listStyleType: "none", borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}` },
  replyBar: { display: "flex", justifyContent: "flex-end" },
  replying: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, padding: `0 ${tokens.spacingHorizontalS}`, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  composer: { flexShrink: 0, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
});

export interface ChannelThreadViewProps {
  channel: LinkedChannel;
  onBack(): void;
}

/** A linked channel read in the panel: recent posts with their replies, a new post or a reply with the chat composer. */
export const ChannelThreadView: React.FC<ChannelThreadViewProps> = ({ channel, onBack }) => {
  const styles = useStyles();
  const { t, locale } = useStrings();
  const host = useHost();
  const thread = usePanel((s) => s.thread);
  const reload = usePanel((s) => s.openChannelThread);
  const post = usePanel((s) => s.postInChannel);
  const retry = usePanel((s) => s.retryChannelPost);
  const discard = usePanel((s) => s.discardChannelPost);
  const draftFor = usePanel((s) => s.draftFor);
  const saveDraft = usePanel((s) => s.saveDraft);
  const uploadFile = usePanel((s) => s.uploadFile);
  const loadHostedImage = usePanel((s) => s.loadHostedImage);
  const gifs = usePanel((s) => s.gifs);
  const meId = usePanel((s) => s.me?.aadObjectId);
  const graphRoot = usePanel((s) => s.env.graphRoot ?? "https://graph.microsoft.com/v1.0/");
  const [replyTo, setReplyTo] = React.useState<ChannelPost | undefined>();
  const backRef = React.useRef<HTMLButtonElement>(null);

  React.useEffect(() => {
    backRef.current?.focus();
  }, []);

  const name = channel.channelName ?? "";
  const archived = channel.state === "archived";
  const draftKey = `channel:${channel.channelId}${replyTo ? `:${replyTo.id}` : ""}`;
  const initialDraft = React.useMemo<Draft | undefined>(() => draftFor(draftKey), [draftFor, draftKey]);
  const openInTeams = channel.webUrl ? () => host.openUrl(channel.webUrl as string) : undefined;

  const people = React.useMemo(() => {
    const seen = new Map<string, string>();
    for (const p of thread?.posts ?? []) for (const m of [p, ...p.replies]) if (m.from && m.from.id !== meId) seen.set(m.from.id, m.from.displayName);
    return [...seen.entries()].map(([id, displayName]) => ({ id, displayName }));
  }, [thread?.posts, meId]);

  const body = (() => {
    if (!thread || thread.status === "loading") return <Spinner label={t("ChannelView_Loading")} />;
    if (thread.status === "error") {
      const cannotRead = thread.error === "forbidden" || thread.error === "auth";
      return (
        <StateMessage
          icon={<PeopleTeamRegular />}
          title={cannotRead ? t("ChannelView_NoReadTitle") : t("ChannelView_FailedTitle")}
          body={cannotRead ? t("ChannelView_NoReadBody") : thread.error === "throttled" ? t("Error_Throttled_Body") : t("ChannelView_FailedBody")}
          role={cannotRead ? "status" : "alert"}
          action={cannotRead ? (openInTeams ? { label: t("Channel_OpenInTeams"), onClick: openInTeams } : undefined) : { label: t("Action_Retry"), onClick: () => void reload(channel.teamId, channel.channelId) }}
          testId="channel-view-error"
        />
      );
    }
    if (thread.posts.length === 0 && thread.outgoing.length === 0) return <StateMessage icon={<PeopleTeamRegular />} title={t("ChannelView_EmptyTitle")} body={archived ? undefined : t("ChannelView_EmptyBody")} />;
    const outgoingOf = (replyToId?: string) =>
      thread.outgoing
        .filter((o) => o.replyToId === replyToId)
        .map((o) => (
          <li key={o.message.clientId} className={styles.post}>
            <OutgoingItemView
              item={{ message: o.message, state: o.state, failure: o.failure, sentAt: new Date().toISOString(), attempts: 1 }}
              chatId={channel.channelId}
              graphRoot={graphRoot}
              onRetry={() => void retry(o.message.clientId)}
              onDiscard={() => discard(o.message.clientId)}
            />
          </li>
        ));
    return (
      <ul className={styles.list} aria-label={t("ChannelView_PostsLabel", name)}>
        {thread.posts.map((p) => (
          <li key={p.id} className={styles.post} data-post-id={p.id}>
            <MessageItem message={p} mine={false} firstOfGroup locale={locale} graphRoot={graphRoot} loadHostedImage={loadHostedImage} />
            {(p.replies.length > 0 || thread.outgoing.some((o) => o.replyToId === p.id)) && (
              <ul className={styles.replies} aria-label={t("ChannelView_RepliesLabel", p.replies.length)}>
                {p.replies.map((r) => (
                  <li key={r.id} data-reply-id={r.id}>
                    <MessageItem message={r} mine={false} firstOfGroup locale={locale} graphRoot={graphRoot} loadHostedImage={loadHostedImage} />
                  </li>
                ))}
                {outgoingOf(p.id)}
              </ul>
            )}
            {!archived && (
              <div className={styles.replyBar}>
                <Button size="small" appearance="subtle" icon={<ArrowReplyRegular />} onClick={() => setReplyTo(p)} aria-label={t("ChannelView_ReplyTo", p.from?.displayName ?? t("Message_UnknownSender"))}>
                  {t("ChannelView_Reply")}
                </Button>
              </div>
            )}
          </li>
        ))}
        {outgoingOf(undefined)}
      </ul>
    );
  })();

  return (
    <div className={styles.root} data-testid="channel-view">
      <div className={styles.header}>
        <Button ref={backRef} appearance="subtle" icon={<ArrowLeftRegular />} aria-label={t("ChannelView_Back")} onClick={onBack} />
        <div className={styles.title}>
          <h2 className={styles.name}>{name}</h2>
          <span className={styles.team}>{channel.teamName}</span>
        </div>
        {openInTeams && <Button appearance="subtle" icon={<OpenRegular />} aria-label={t("Channel_OpenInTeamsNamed", name)} onClick={openInTeams} />}
      </div>
      {archived && (
        <MessageBar intent="info">
          <MessageBarBody>{t("ChannelView_Archived")}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.posts}>{body}</div>
      {!archived && thread?.status === "ready" && (
        <div className={styles.composer}>
          {replyTo && (
            <div className={styles.replying} role="status">
              <span>{t("ChannelView_Replying", replyTo.from?.displayName ?? t("Message_UnknownSender"))}</span>
              <Button size="small" appearance="subtle" icon={<DismissRegular />} aria-label={t("ChannelView_CancelReply")} onClick={() => setReplyTo(undefined)} />
            </div>
          )}
          <Composer
            key={draftKey}
            chatId={draftKey}
            chatName={replyTo ? t("ChannelView_ReplyTarget", name) : name}
            initialDraft={initialDraft}
            onDraftChange={(d) => saveDraft(draftKey, d)}
            onSend={(m) => {
              void post(m, replyTo?.id);
              // The composer empties itself after this call: leave reply mode (a new composer) only afterwards.
              if (replyTo) setTimeout(() => setReplyTo(undefined), 0);
            }}
            participants={people}
            upload={uploadFile}
            gifs={gifs}
            now={() => new Date()}
          />
        </div>
      )}
    </div>
  );
};
