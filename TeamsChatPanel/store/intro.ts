import { buildIntroCard, introFieldsFor, recordUrl } from "../domain/introCard";
import type { Services } from "../services/ports";
import type { IntroTexts, PanelState } from "./types";

/**
 * The record's introduction card as HTML, with the fields this user may read; undefined without a
 * saved record. Shared by new linked chats and new channels.
 */
export async function recordIntroHtml(services: Services, state: PanelState, texts: IntroTexts): Promise<string | undefined> {
  const { env, record } = state;
  if (!env.record) return undefined;
  const fields = await services.records.introFields(env.record, introFieldsFor(env.record.table, env.introFields));
  return buildIntroCard({
    title: record?.title ?? "",
    recordUrl: recordUrl(env.clientUrl ?? "", env.record.table, env.record.id, env.appId),
    tableLabel: texts.tableLabel,
    fields,
    heading: texts.heading,
    openLabel: texts.openLabel,
  });
}
