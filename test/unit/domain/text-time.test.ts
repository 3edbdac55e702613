import { chatTypeFor, proposedChatName, topicProblem } from "../../../TeamsChatPanel/domain/chatRules";
import { fillPlaceholders } from "../../../TeamsChatPanel/domain/format";
import { isGuid, normaliseGuid } from "../../../TeamsChatPanel/domain/ids";
import { foldForSearch, htmlToPreviewText, matchesFilter } from "../../../TeamsChatPanel/domain/text";
import { formatListTime, localeFromLcid } from "../../../TeamsChatPanel/domain/time";

describe("htmlToPreviewText", () => {
  it("keeps the words of Teams HTML and drops tags, scripts and entities", () => {
    expect(htmlToPreviewText('<p>Hi <b>Alex</b>,<br>see <a href="x">this</a> &amp; <at id="0">Lee</at></p><script>alert(1)</script>')).toBe("Hi Alex, see this & Lee");
    expect(htmlToPreviewText("<div>&#128512; &#x1F600; &lt;tag&gt;</div>")).toBe("😀 😀 <tag>");
  });
  it("gives an empty string for a message that is only an attachment", () => {
    expect(htmlToPreviewText('<attachment id="abc"></attachment>')).toBe("");
  });
});

describe("filters", () => {
  it("folds accents and case", () => {
    expect(foldForSearch("  ÉCOLE Müller ")).toBe("ecole muller");
    expect(matchesFilter("Müller escalation", "MULL esc")).toBe(true);
    expect(matchesFilter("Müller escalation", "printer")).toBe(false);
    expect(matchesFilter("anything", "   ")).toBe(true);
  });
});

describe("chat rules", () => {
  it("enforces Teams' topic rules", () => {
    expect(topicProblem("x".repeat(250))).toBeNull();
    expect(topicProblem("x".repeat(251))).toBe("tooLong");
    expect(topicProblem("Case: 1")).toBe("colon");
  });
  it("proposes a linked chat's name by the admin's rule, valid for Teams", () => {
    const people = [{ displayName: "Alex Wilber" }, { displayName: " Lee Gu " }];
    expect(proposedChatName("recordTitle", "CAS-01001: Printer offline", people)).toBe("CAS-01001 - Printer offline");
    expect(proposedChatName(undefined, "Printer offline", people)).toBe("Printer offline");
    expect(proposedChatName("participants", "Printer offline", people)).toBe("Alex Wilber, Lee Gu");
    const long = proposedChatName("recordTitle", "x".repeat(300), []);
    expect(long).toHaveLength(250);
    expect(topicProblem(long)).toBeNull();
  });
  it("makes a oneOnOne chat for one other person and a group beyond", () => {
    expect(chatTypeFor(1)).toBe("oneOnOne");
    expect(chatTypeFor(2)).toBe("group");
  });
});

describe("ids and strings", () => {
  it("normalises Dataverse guids", () => {
    expect(normaliseGuid("{AAAAAAAA-0000-0000-0000-000000000001}")).toBe("aaaaaaaa-0000-0000-0000-000000000001");
    expect(isGuid("{AAAAAAAA-0000-0000-0000-000000000001}")).toBe(true);
    expect(isGuid("")).toBe(false);
  });
  it("fills placeholders and leaves unknown ones", () => {
    expect(fillPlaceholders("{0} and {1} more {2}", "A", 3)).toBe("A and 3 more {2}");
  });
});

describe("formatListTime", () => {
  const now = new Date(2026, 10, 28, 15, 0);
  const labels = { yesterday: "Yesterday" };
  it("shows the time today, 'Yesterday', a weekday this week, then a date", () => {
    expect(formatListTime(new Date(2026, 10, 28, 9, 5).toISOString(), now, "en-US", labels)).toBe("9:05 AM");
    expect(formatListTime(new Date(2026, 10, 27, 9, 5).toISOString(), now, "en-US", labels)).toBe("Yesterday");
    expect(formatListTime(new Date(2026, 10, 24, 9, 5).toISOString(), now, "en-US", labels)).toBe("Tue");
    expect(formatListTime(new Date(2026, 9, 2, 9, 5).toISOString(), now, "en-US", labels)).toBe("10/2");
    expect(formatListTime(new Date(2025, 9, 2, 9, 5).toISOString(), now, "en-US", labels)).toBe("10/2/2025");
  });
  it("speaks the user's language", () => {
    expect(formatListTime(new Date(2026, 10, 24, 9, 5).toISOString(), now, localeFromLcid(1031), labels)).toBe("Di");
    expect(formatListTime(new Date(2026, 10, 28, 9, 5).toISOString(), now, localeFromLcid(1031), labels)).toBe("9:05");
    expect(localeFromLcid(9999)).toBe("en-US");
  });
  it("is empty for a missing or bad date", () => {
    expect(formatListTime(undefined, now, "en-US", labels)).toBe("");
    expect(formatListTime("not a date", now, "en-US", labels)).toBe("");
  });
});
