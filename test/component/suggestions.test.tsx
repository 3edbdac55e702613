import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Candidate } from "../../TeamsChatPanel/domain/suggestions/merge";
import type { Rule } from "../../TeamsChatPanel/domain/suggestions/rules";
import type { ResolvedCase } from "../../TeamsChatPanel/domain/suggestions/textModel";
import { ServiceError } from "../../TeamsChatPanel/services/errors";
import type { SuggestionReader } from "../../TeamsChatPanel/services/ports";
import { CASE, FakeServices, ME, chat } from "../support/fakes";
import { renderPanel } from "./render";

const person = (key: string, name: string): Omit<Candidate, "reason"> => ({ systemUserId: `sys-${key}`, aadObjectId: `aad-${key}`, fullName: name, isDisabled: false });
const PEOPLE = {
  tomas: person("tomas", "Tomás Alvarez"),
  lucas: person("lucas", "Lucas Moreau"),
  noah: person("noah", "Noah Fischer"),
  hannah: person("hannah", "Hannah Becker"),
  kenji: person("kenji", "Kenji Watanabe"),
  daniel: person("daniel", "Daniel Okafor"),
  priya: person("priya", "Priya Raman"),
  me: { systemUserId: ME.systemUserId, aadObjectId: ME.aadObjectId, fullName: ME.fullName, isDisabled: false },
};

const CORPUS: ResolvedCase[] = [
  { id: "c1", title: "Printer offline after driver update", description: "Printer shows offline since the driver update", resolverId: "sys-tomas" },
  { id: "c2", title: "Printer offline on the network", description: "Printer lost its address and shows offline", resolverId: "sys-lucas" },
  { id: "c3", title: "Printer driver update failed", description: "Driver update for the printer fails", resolverId: "sys-noah" },
  { id: "c4", title: "Printer offline in queue", description: "Queue says printer offline", resolverId: "sys-hannah" },
  { id: "c5", title: "Offline printer after update", description: "printer offline", resolverId: ME.systemUserId },
  { id: "c6", title: "Invoice twice", description: "Duplicate charge", resolverId: "sys-kenji" },
];

class Reader implements SuggestionReader {
  corpusReads = 0;
  failCorpus?: ServiceError;
  admin = false;
  rulesSeen: Rule[][] = [];
  related: Candidate[] = [
    { ...PEOPLE.me, reason: "owner" },
    { ...PEOPLE.daniel, reason: "linkedChat" },
    { ...PEOPLE.priya, reason: "linkedChat" },
    { ...PEOPLE.daniel, reason: "activity" },
    { ...PEOPLE.lucas, reason: "activity" },
    { ...PEOPLE.kenji, reason: "customerOwner" },
  ];
  async resolvedCases() {
    this.corpusReads++;
    if (this.failCorpus) throw this.failCorpus;
    return CORPUS;
  }
  ownersSeen: Array<string[] | undefined> = [];
  skipped: Array<{ rule: number; column: string; table: string }> = [];
  async relatedPeople(_r: unknown, rules: Rule[], owners?: string[]) {
    this.rulesSeen.push(rules);
    this.ownersSeen.push(owners);
    return { people: this.related, skipped: this.skipped };
  }
  async users(ids: string[]) {
    return Object.values(PEOPLE).filter((p) => ids.includes(p.systemUserId));
  }
  async recordText(): Promise<{ title: string | null; description: string | null } | null> {
    return { title: "Printer offline after update", description: "<p>The <b>printer</b> is offline since the driver update</p>" };
  }
  async canCustomize() {
    return this.admin;
  }
}

/** The shared fakes with a suggestions reader (the port is optional: hosts without Dataverse have none). */
class SuggestServices extends FakeServices {
  suggestions?: SuggestionReader;
}

function setup(reader = new Reader()) {
  const s = new SuggestServices();
  s.pages = [[chat({ id: "one-daniel", others: ["Daniel Okafor"] })]];
  s.pages[0][0].members = [
    { membershipId: "m1", userId: ME.aadObjectId, displayName: ME.fullName },
    { membershipId: "m2", userId: "aad-daniel", displayName: "Daniel Okafor" },
  ];
  s.people = [{ id: "aad-lucas", displayName: "Lucas Moreau" }];
  s.suggestions = reader;
  return { s, reader };
}

const similarList = () => screen.findByRole("list", { name: "Similar solved cases" });
const relatedList = () => screen.findByRole("list", { name: "Related to this record" });

describe("Suggested contacts", () => {
  it("shows the top 3 of each group with reasons, never me, and the rest behind Show more", async () => {
    const { s } = setup();
    renderPanel(s);
    const similar = await similarList();
    const items = within(similar).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("Tomás Alvarez");
    expect(items[0]).toHaveTextContent("Printer offline after driver update");
    expect(similar).not.toHaveTextContent(ME.fullName);

    const related = await relatedList();
    const rows = within(related).getAllByRole("listitem");
    ["Daniel Okafor", "Priya Raman", "Lucas Moreau"].forEach((name, i) => expect(rows[i]).toHaveTextContent(name));
    expect(rows[0]).toHaveTextContent("Linked a chat to this record · Recent activity on this record");
    expect(related).not.toHaveTextContent(ME.fullName);
    const more = screen.getAllByRole("button", { name: "Show 1 more" });
    await userEvent.click(more[more.length - 1]);
    expect(within(related).getAllByRole("listitem")).toHaveLength(4);
    expect(within(related).getByText("Kenji Watanabe")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Show fewer" })).toHaveAttribute("aria-expanded", "true");
  });

  it("explains the confidence on keyboard focus and opens the similar case", async () => {
    const { s } = setup();
    const { host } = renderPanel(s);
    const similar = await similarList();
    const badge = within(similar).getAllByTestId("suggest-confidence")[0];
    expect(badge.textContent).toMatch(/^\d+%$/);
    act(() => badge.focus());
    const tip = await screen.findByText(/^Resolved 'Printer offline after driver update', \d+% similar: shared terms /);
    expect(tip.textContent).toMatch(/printer|offline|driver/);
    await userEvent.click(within(similar).getByRole("button", { name: "Open case Printer offline after driver update" }));
    expect(host.openRecord).toHaveBeenCalledWith({ table: "incident", id: "c1" });
  });

  it("starts a linked chat with the person already picked", async () => {
    const { s } = setup();
    renderPanel(s);
    await relatedList();
    await userEvent.click(screen.getAllByRole("button", { name: "Start a linked chat with Lucas Moreau" })[0]);
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Lucas Moreau")).toBeInTheDocument();
  });

  it("opens an existing one-to-one chat, or starts one", async () => {
    const { s } = setup();
    const { store } = renderPanel(s);
    await relatedList();
    await userEvent.click(screen.getByRole("button", { name: "Chat with Daniel Okafor" }));
    await waitFor(() => expect(store.getState().activeChatId).toBe("one-daniel"));
    expect(s.created).toHaveLength(0);
    act(() => store.getState().showList());
    await userEvent.click(screen.getByRole("button", { name: "Chat with Priya Raman" }));
    await waitFor(() => expect(s.created).toEqual([{ meId: "aad-me", memberIds: ["aad-priya"], topic: undefined }]));
  });

  it("says when similar cases cannot load, keeps the rules group, and retries", async () => {
    const reader = new Reader();
    reader.failCorpus = new ServiceError("service", "boom", 500);
    const { s } = setup(reader);
    renderPanel(s);
    expect(await screen.findByText(/Similar solved cases could not be loaded/)).toBeInTheDocument();
    expect(within(await relatedList()).getAllByRole("listitem")).toHaveLength(3);
    reader.failCorpus = undefined;
    await userEvent.click(within(screen.getByTestId("suggest-similar-error")).getByRole("button", { name: "Try again" }));
    expect(within(await similarList()).getAllByRole("listitem")).toHaveLength(3);
  });

  it("tells an admin which rule is wrong and why; agents get the defaults without a word", async () => {
    const bad = '[{"path":"ownerid"},{"path":"owner id"},{"source":"emails"}]';
    const admin = new Reader();
    admin.admin = true;
    const a = setup(admin);
    const first = renderPanel(a.s, { env: { suggestRules: bad } });
    const box = await screen.findByTestId("suggest-rule-errors");
    expect(box).toHaveTextContent('Rule 2: "owner id" is not a lookup path');
    expect(box).toHaveTextContent('Rule 3: unknown source "emails"');
    expect(admin.rulesSeen[0].map((r) => r.reason)).toEqual(["owner", "linkedChat", "customerOwner", "activity"]);
    first.unmount();

    const agent = new Reader();
    const b = setup(agent);
    renderPanel(b.s, { env: { suggestRules: bad } });
    await relatedList();
    expect(screen.queryByTestId("suggest-rule-errors")).not.toBeInTheDocument();
    expect(agent.rulesSeen[0].map((r) => r.reason)).toEqual(["owner", "linkedChat", "customerOwner", "activity"]);
  });

  it("names a rule whose column the table lacks to an admin and keeps the other rules' people; a default rule that does not fit is silent", async () => {
    const own = '[{"path":"ownerid"},{"path":"new_accountmanager"}]';
    const admin = new Reader();
    admin.admin = true;
    admin.skipped = [{ rule: 1, column: "new_accountmanager", table: "incident" }];
    const a = setup(admin);
    const first = renderPanel(a.s, { env: { suggestRules: own } });
    const box = await screen.findByTestId("suggest-rule-errors");
    expect(box).toHaveTextContent("Some suggested contacts rules could not be followed");
    expect(box).toHaveTextContent("Rule 2: the table incident has no lookup column new_accountmanager.");
    expect(within(await relatedList()).getAllByRole("listitem").length).toBeGreaterThan(0);
    first.unmount();

    // The same skip under the defaults (an organisation-owned table has no owner column) is nobody's mistake.
    const defaults = new Reader();
    defaults.admin = true;
    defaults.skipped = [{ rule: 0, column: "ownerid", table: "incident" }];
    const b = setup(defaults);
    renderPanel(b.s);
    expect(within(await relatedList()).getAllByRole("listitem").length).toBeGreaterThan(0);
    expect(screen.queryByTestId("suggest-rule-errors")).not.toBeInTheDocument();
  });

  it("is hidden when the admin turns it off, and the similar group is hidden on tables that are not case-like", async () => {
    const { s, reader } = setup();
    const off = renderPanel(s, { env: { showSuggestions: false } });
    await screen.findByRole("button", { name: /^Daniel Okafor/ });
    expect(screen.queryByTestId("suggestions")).not.toBeInTheDocument();
    expect(reader.corpusReads).toBe(0);
    off.unmount();

    const other = new Reader();
    other.recordText = async () => null;
    const b = setup(other);
    renderPanel(b.s);
    await relatedList();
    expect(screen.queryByRole("heading", { name: "Similar solved cases" })).not.toBeInTheDocument();
  });

  it("starts collapsed once chats are linked here, reads nothing until opened, then reuses the panel's links", async () => {
    const { s, reader } = setup();
    s.linkRows = [{ id: "l1", kind: "chat", chatId: "one-daniel", record: CASE, ownerId: "sys-daniel" }];
    renderPanel(s);
    const toggle = await screen.findByRole("button", { name: "Suggested contacts" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(reader.rulesSeen).toHaveLength(0);
    expect(reader.corpusReads).toBe(0);
    toggle.focus();
    await userEvent.keyboard("{Enter}");
    await relatedList();
    expect(reader.ownersSeen).toEqual([["sys-daniel"]]);
    expect(reader.corpusReads).toBe(1);
  });

  it("collapses with the heading button", async () => {
    const { s } = setup();
    renderPanel(s);
    await relatedList();
    const toggle = screen.getByRole("button", { name: "Suggested contacts" });
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("list", { name: "Related to this record" })).not.toBeInTheDocument();
  });
});
