/**
 * Measured quality of "Similar solved cases": the demo tenant's labelled resolved cases, each ranked against
 * all the other resolved cases (leave one out) exactly as the panel does, corpus read through the real
 * Dataverse reader over the simulator. precision@3 = right helpers among the top 3 / min(3, right helpers
 * other than the agent), averaged over the labelled cases.
 */
import { buildModel, rankResolvers } from "../../../TeamsChatPanel/domain/suggestions/textModel";
import { DataverseSuggestionReader } from "../../../TeamsChatPanel/services/dataverse/suggestionReader";
import { DataverseClient } from "../../harness/page/webapi";
import { LABELLED_CASES } from "../../simulator/suggest-demo";
import { type DirectoryUser, type SimClient, startClient } from "../../simulator/test-client";

let c: SimClient;
let users: DirectoryUser[];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  c = await startClient({ seed: "demo" });
  users = await c.directory();
  vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) =>
    realFetch(typeof input === "string" && input.startsWith("/") ? `${c.url}${input}` : input, init),
  );
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await c.close();
});

const key = (u: DirectoryUser) => u.upn.split(".")[0];

it("ranks the right helpers in the top 3 for the labelled cases (precision@3 >= 0.6)", async () => {
  const megan = users.find((u) => u.fullname === "Megan Pierce")!;
  const webAPI = new DataverseClient({ userId: () => megan.systemuserid }).webApi();
  const corpus = await new DataverseSuggestionReader(webAPI).resolvedCases(12, 5000);
  const model = buildModel(corpus);
  const keyOf = new Map(users.map((u) => [u.systemuserid, key(u)]));
  let sum = 0;
  const misses: string[] = [];
  for (const labelled of LABELLED_CASES) {
    const own = corpus.find((x) => x.title === labelled.title);
    expect(own, labelled.title).toBeDefined();
    const top = rankResolvers(model, { id: own!.id, title: own!.title, description: own!.description }, new Set([megan.systemuserid]))
      .slice(0, 3)
      .map((s) => keyOf.get(s.userId));
    const helpers = labelled.helpers.filter((h) => h !== "megan");
    const hits = top.filter((k) => k && helpers.includes(k)).length;
    sum += hits / Math.min(3, helpers.length);
    if (hits < Math.min(3, helpers.length)) misses.push(`${labelled.title}: ${top.join(", ")}`);
  }
  const precision = sum / LABELLED_CASES.length;
  console.log(`Suggested contacts precision@3 over ${LABELLED_CASES.length} labelled cases (corpus ${corpus.length}): ${precision.toFixed(2)}`);
  if (misses.length) console.log(`Not all right helpers in the top 3:\n  ${misses.join("\n  ")}`);
  expect(precision).toBeGreaterThanOrEqual(0.6);
});
