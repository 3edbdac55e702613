/**
 * Suggested contacts: the cost of ranking one case over 5,000 resolved cases in the text model the panel runs
 * (target < 50 ms per case), and of building the model once per session. Synthetic but agent-like corpus:
 * titles and descriptions drawn from support vocabulary, some HTML, a few very long descriptions.
 * Run alone: BENCH_ONLY=suggest npm run bench
 */
import { buildModel, rankResolvers, type ResolvedCase } from "../../TeamsChatPanel/domain/suggestions/textModel";
import { prng } from "../simulator/util";

const SUBJECTS = ["printer", "MFP", "scanner", "VPN tunnel", "Wi-Fi access point", "DNS server", "invoice", "subscription", "license seat", "mailbox", "MFA", "password", "firewall", "laptop", "docking station", "Teams meeting", "SharePoint site", "OneDrive sync", "badge reader", "toner cartridge"];
const SYMPTOMS = ["offline", "jams", "drops every hour", "not recognized", "shows error 50.2", "charged twice", "cannot connect", "slow", "locked", "fails after update", "missing attachment", "reboots", "not syncing", "rejects sign-in", "overheats"];
const CONTEXT = ["since the firmware update", "after the driver update", "for remote staff", "on the 3rd floor", "in warehouse B", "for new users", "since Monday", "after the network change", "on every duplex job", "during month end"];
const FILLER = "Customer has restarted the device, cleared the cache and checked the cabling. Logs attached. Please advise on next steps and a workaround for the affected users.";

export function syntheticCorpus(n: number, seed = 7): ResolvedCase[] {
  const rand = prng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  return Array.from({ length: n }, (_, i) => {
    const subject = pick(SUBJECTS);
    const title = `${subject} ${pick(SYMPTOMS)} ${pick(CONTEXT)}`;
    const long = i % 250 === 0 ? ` ${FILLER.repeat(60)}` : "";
    const description = `<p>The <b>${subject}</b> ${pick(SYMPTOMS)} ${pick(CONTEXT)}.</p><p>${FILLER}</p>${long}`;
    return { id: `case-${i}`, title, description, resolverId: `user-${SUBJECTS.indexOf(subject) % 12}-${Math.floor(rand() * 3)}` };
  });
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function suggestFigures(n = Number(process.env.BENCH_RESOLVED ?? 5000)): Array<[string, string]> {
  const corpus = syntheticCorpus(n);
  const t0 = performance.now();
  const model = buildModel(corpus);
  const build = performance.now() - t0;
  const queries = syntheticCorpus(200, 99);
  // Warm up the JIT the way a page that has ranked once is warm.
  for (const q of queries.slice(0, 20)) rankResolvers(model, q);
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    rankResolvers(model, q);
    times.push(performance.now() - t);
  }
  return [
    ["resolved cases in the model", String(n)],
    ["build the model once per session (ms)", build.toFixed(1)],
    ["rank one case p50 / p95 / max (ms), target < 50", `${pct(times, 50).toFixed(2)} / ${pct(times, 95).toFixed(2)} / ${Math.max(...times).toFixed(2)}`],
  ];
}
