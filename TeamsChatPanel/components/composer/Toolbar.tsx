import * as React from "react";
import { Button, Field, Input, Popover, PopoverSurface, PopoverTrigger, Toolbar, ToolbarDivider, ToolbarToggleButton, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import {
  CodeRegular,
  LinkRegular,
  TextBoldRegular,
  TextBulletListLtrRegular,
  TextItalicRegular,
  TextNumberListLtrRegular,
  TextQuoteRegular,
  TextStrikethroughRegular,
  TextUnderlineRegular,
} from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { ActiveFormats, BlockFormat, InlineFormat, LinkDraft } from "./editor";
import { validLinkUrl } from "./linkUrl";

const useStyles = makeStyles({
  bar: { flexWrap: "wrap", padding: 0 },
  linkForm: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, width: "min(280px, calc(100vw - 48px))" },
  linkActions: { display: "flex", gap: tokens.spacingHorizontalS, justifyContent: "flex-end" },
});

const INLINE: Array<{ value: InlineFormat; label: string; icon: React.ReactElement }> = [
  { value: "bold", label: "Composer_Bold", icon: <TextBoldRegular /> },
  { value: "italic", label: "Composer_Italic", icon: <TextItalicRegular /> },
  { value: "underline", label: "Composer_Underline", icon: <TextUnderlineRegular /> },
  { value: "strikethrough", label: "Composer_Strikethrough", icon: <TextStrikethroughRegular /> },
];

const BLOCK: Array<{ value: BlockFormat; label: string; icon: React.ReactElement }> = [
  { value: "bullet", label: "Composer_BulletList", icon: <TextBulletListLtrRegular /> },
  { value: "number", label: "Composer_NumberList", icon: <TextNumberListLtrRegular /> },
  { value: "quote", label: "Composer_Quote", icon: <TextQuoteRegular /> },
];

export interface FormatToolbarProps {
  formats: ActiveFormats;
  disabled?: boolean;
  onInline(format: InlineFormat): void;
  onBlock(block: BlockFormat): void;
  link: {
    open: boolean;
    draft: LinkDraft;
    onOpen(): void;
    onSave(url: string, text: string): void;
    onRemove(): void;
    onClose(): void;
  };
}

const keepEditorFocus = (e: React.MouseEvent) => e.preventDefault();

/** Bold, italic, underline, strike, lists, link, inline code, quote: pressed when active at the caret. */
export const FormatToolbar: React.FC<FormatToolbarProps> = ({ formats, disabled, onInline, onBlock, link }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const checked = {
    inline: (Object.keys(formats.inline) as InlineFormat[]).filter((k) => formats.inline[k]),
    block: formats.block ? [formats.block] : [],
    link: formats.link ? ["link"] : [],
  };
  return (
    <Toolbar aria-label={t("Composer_FormatToolbar")} size="small" className={styles.bar} checkedValues={checked}>
      {INLINE.map((b) => (
        <Tooltip key={b.value} content={t(b.label)} relationship="label">
          <ToolbarToggleButton appearance="subtle" name="inline" value={b.value} icon={b.icon} disabled={disabled} onMouseDown={keepEditorFocus} onClick={() => onInline(b.value)} />
        </Tooltip>
      ))}
      <ToolbarDivider />
      {BLOCK.slice(0, 2).map((b) => (
        <Tooltip key={b.value} content={t(b.label)} relationship="label">
          <ToolbarToggleButton appearance="subtle" name="block" value={b.value} icon={b.icon} disabled={disabled} onMouseDown={keepEditorFocus} onClick={() => onBlock(b.value)} />
        </Tooltip>
      ))}
      <ToolbarDivider />
      <LinkPopover {...link} disabled={disabled} />
      <Tooltip content={t("Composer_Code")} relationship="label">
        <ToolbarToggleButton appearance="subtle" name="inline" value="code" icon={<CodeRegular />} disabled={disabled} onMouseDown={keepEditorFocus} onClick={() => onInline("code")} />
      </Tooltip>
      <Tooltip content={t(BLOCK[2].label)} relationship="label">
        <ToolbarToggleButton appearance="subtle" name="block" value="quote" icon={BLOCK[2].icon} disabled={disabled} onMouseDown={keepEditorFocus} onClick={() => onBlock("quote")} />
      </Tooltip>
    </Toolbar>
  );
};

const LinkPopover: React.FC<FormatToolbarProps["link"] & { disabled?: boolean }> = ({ open, draft, disabled, onOpen, onSave, onRemove, onClose }) => {
  const styles = useStyles();
  const { t } = useStrings();
  const [url, setUrl] = React.useState("");
  const [text, setText] = React.useState("");
  const [error, setError] = React.useState(false);

  React.useEffect(() => {
    if (open) {
      setUrl(draft.url);
      setText(draft.text);
      setError(false);
    }
  }, [open, draft]);

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const valid = validLinkUrl(url);
    if (!valid) {
      setError(true);
      return;
    }
    onSave(valid, text);
  };

  return (
    <Popover open={open} onOpenChange={(_, d) => (d.open ? onOpen() : onClose())} trapFocus positioning="above">
      <PopoverTrigger disableButtonEnhancement>
        <Tooltip content={t("Composer_Link")} relationship="label">
          <ToolbarToggleButton appearance="subtle" name="link" value="link" icon={<LinkRegular />} disabled={disabled} onMouseDown={keepEditorFocus} />
        </Tooltip>
      </PopoverTrigger>
      <PopoverSurface aria-label={t("Composer_LinkTitle")}>
        <form className={styles.linkForm} onSubmit={save} noValidate>
          <Field label={t("Composer_LinkUrl")} validationState={error ? "error" : "none"} validationMessage={error ? t("Composer_LinkInvalid") : undefined}>
            <Input
              value={url}
              type="url"
              placeholder="https://"
              onChange={(_, d) => {
                setUrl(d.value);
                if (error && validLinkUrl(d.value)) setError(false);
              }}
            />
          </Field>
          <Field label={t("Composer_LinkText")}>
            <Input value={text} onChange={(_, d) => setText(d.value)} />
          </Field>
          <div className={styles.linkActions}>
            {draft.existing && (
              <Button appearance="subtle" onClick={onRemove}>
                {t("Composer_LinkRemove")}
              </Button>
            )}
            <Button onClick={onClose}>{t("Action_Cancel")}</Button>
            <Button appearance="primary" type="submit">
              {t("Composer_LinkSave")}
            </Button>
          </div>
        </form>
      </PopoverSurface>
    </Popover>
  );
};
