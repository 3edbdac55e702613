import * as React from "react";
import { Button, Caption1, ProgressBar, Text, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, DismissRegular, DocumentRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { Translate } from "../../app/strings";
import type { UploadedFile } from "../../domain/messages";
import type { UploadProgress } from "../../services/ports";
import { failureKind } from "../../services/errors";

/** Teams refuses hosted contents much larger than this; we say so before sending. */
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

export type UploadFn = (file: File, onProgress: (p: UploadProgress) => void, signal: AbortSignal) => Promise<UploadedFile>;

export interface FileChip {
  key: string;
  name: string;
  size: number;
  status: "uploading" | "done" | "failed";
  sent: number;
  total: number;
  error?: string;
  file?: File;
  result?: UploadedFile;
}

export interface ImageChip {
  key: string;
  name: string;
  contentType: string;
  base64: string;
}

export function formatSize(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(n)} ${units[u]}`;
}

export function readAsBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? "");
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(blob);
  });
}

function uploadError(t: Translate, error: unknown): string {
  switch (failureKind(error)) {
    case "offline":
      return t("Composer_UploadOffline");
    case "forbidden":
    case "auth":
      return t("Composer_UploadForbidden");
    case "throttled":
      return t("Composer_UploadBusy");
    default:
      return t("Composer_UploadFailed");
  }
}

/** Files uploading or uploaded for the message being written, and its inline images. */
export function useAttachments(upload: UploadFn, initialFiles: UploadedFile[] | undefined) {
  const { t } = useStrings();
  const [files, setFiles] = React.useState<FileChip[]>(() =>
    (initialFiles ?? []).map((f, i) => ({ key: `d${i}`, name: f.name, size: f.size, status: "done", sent: f.size, total: f.size, result: f })),
  );
  const [images, setImages] = React.useState<ImageChip[]>([]);
  const [notice, setNotice] = React.useState<string | undefined>();
  const controllers = React.useRef(new Map<string, AbortController>());
  const seq = React.useRef(0);
  const uploadRef = React.useRef(upload);
  uploadRef.current = upload;

  React.useEffect(() => {
    const running = controllers.current;
    // An upload cannot outlive its composer: nothing would attach the result.
    return () => running.forEach((c) => c.abort());
  }, []);

  const patch = React.useCallback((key: string, change: Partial<FileChip>) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...change } : f))), []);

  const start = React.useCallback(
    (key: string, file: File) => {
      const controller = new AbortController();
      controllers.current.set(key, controller);
      patch(key, { status: "uploading", sent: 0, total: file.size, error: undefined });
      uploadRef
        .current(file, (p) => !controller.signal.aborted && patch(key, { sent: p.sent, total: p.total || file.size }), controller.signal)
        .then(
          (result) => {
            if (controller.signal.aborted) return;
            patch(key, { status: "done", result, sent: file.size, total: file.size });
          },
          (error: unknown) => {
            if (controller.signal.aborted) return;
            patch(key, { status: "failed", error: uploadError(t, error) });
          },
        )
        .finally(() => {
          if (controllers.current.get(key) === controller) controllers.current.delete(key);
        });
    },
    [patch, t],
  );

  const addFiles = React.useCallback(
    (list: File[]) => {
      const chips = list.map((file) => ({ key: `f${++seq.current}`, name: file.name, size: file.size, status: "uploading" as const, sent: 0, total: file.size, file }));
      setFiles((current) => [...current, ...chips]);
      chips.forEach((c) => start(c.key, c.file));
    },
    [start],
  );

  const addImage = React.useCallback(
    async (blob: Blob, name: string) => {
      if (blob.size > MAX_INLINE_IMAGE_BYTES) {
        setNotice(t("Composer_ImageTooLarge", name, 4));
        return false;
      }
      const base64 = await readAsBase64(blob);
      setNotice(undefined);
      setImages((list) => [...list, { key: `i${++seq.current}`, name, contentType: blob.type || "image/png", base64 }]);
      return true;
    },
    [t],
  );

  const remove = React.useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setFiles((list) => list.filter((f) => f.key !== key));
  }, []);

  const retry = React.useCallback(
    (key: string) => {
      const chip = files.find((f) => f.key === key);
      if (chip?.file) start(key, chip.file);
    },
    [files, start],
  );

  const removeImage = React.useCallback((key: string) => setImages((list) => list.filter((i) => i.key !== key)), []);

  const clear = React.useCallback(() => {
    setFiles([]);
    setImages([]);
    setNotice(undefined);
  }, []);

  return { files, images, notice, setNotice, addFiles, addImage, remove, retry, removeImage, clear };
}

const useStyles = makeStyles({
  area: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalXS} 0` },
  chip: {
    display: "grid",
    gridTemplateColumns: "auto minmax(0, 1fr) auto",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    width: "100%",
    maxWidth: "320px",
    boxSizing: "border-box",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  body: { display: "flex", flexDirection: "column", minWidth: 0, gap: "2px" },
  error: { color: tokens.colorPaletteRedForeground1 },
  actions: { display: "flex" },
  thumb: { position: "relative", width: "72px", height: "72px", borderRadius: tokens.borderRadiusMedium, overflow: "hidden", border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}` },
  thumbImg: { width: "100%", height: "100%", objectFit: "cover" },
  thumbRemove: { position: "absolute", top: "2px", right: "2px", backgroundColor: tokens.colorNeutralBackground1 },
});

export interface AttachmentsProps {
  files: FileChip[];
  images: ImageChip[];
  onCancel(key: string): void;
  onRetry(key: string): void;
  onRemoveImage(key: string): void;
}

/** The files and images that go with the message: progress, cancel, retry, remove. */
export const Attachments: React.FC<AttachmentsProps> = ({ files, images, onCancel, onRetry, onRemoveImage }) => {
  const styles = useStyles();
  const { t, locale } = useStrings();
  if (files.length === 0 && images.length === 0) return null;
  return (
    <div className={styles.area} role="group" aria-label={t("Composer_AttachmentsLabel")}>
      {images.map((img, i) => (
        <div key={img.key} className={styles.thumb}>
          <img className={styles.thumbImg} src={`data:${img.contentType};base64,${img.base64}`} alt={t("Composer_ImageAlt", i + 1, img.name)} />
          <Tooltip content={t("Composer_RemoveImage", img.name)} relationship="label">
            <Button className={styles.thumbRemove} size="small" appearance="subtle" icon={<DismissRegular />} onClick={() => onRemoveImage(img.key)} />
          </Tooltip>
        </div>
      ))}
      {files.map((f) => {
        const percent = f.total > 0 ? Math.min(100, Math.round((f.sent / f.total) * 100)) : 0;
        return (
          <div key={f.key} className={styles.chip} role="group" aria-label={f.name}>
            <DocumentRegular aria-hidden fontSize={20} />
            <div className={styles.body}>
              <Text size={200} className={styles.name} title={f.name}>
                {f.name}
              </Text>
              {f.status === "uploading" && (
                <ProgressBar
                  value={percent}
                  max={100}
                  thickness="medium"
                  aria-label={t("Composer_Uploading", f.name)}
                  aria-valuetext={t("Composer_UploadPercent", percent)}
                />
              )}
              {f.status === "failed" ? (
                <Caption1 className={styles.error} role="alert">
                  {f.error}
                </Caption1>
              ) : (
                <Caption1>{f.status === "uploading" ? t("Composer_UploadProgress", percent, formatSize(f.size, locale)) : formatSize(f.size, locale)}</Caption1>
              )}
            </div>
            <div className={styles.actions}>
              {f.status === "failed" && (
                <Tooltip content={t("Composer_RetryUpload", f.name)} relationship="label">
                  <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={() => onRetry(f.key)} />
                </Tooltip>
              )}
              <Tooltip content={f.status === "uploading" ? t("Composer_CancelUpload", f.name) : t("Composer_RemoveFile", f.name)} relationship="label">
                <Button size="small" appearance="subtle" icon={<DismissRegular />} onClick={() => onCancel(f.key)} />
              </Tooltip>
            </div>
          </div>
        );
      })}
    </div>
  );
};
