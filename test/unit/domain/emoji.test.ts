import { ALL_EMOJI, EMOJI_CATEGORIES, emojiInCategory, searchEmoji } from "../../../TeamsChatPanel/domain/emoji";
import { loadResx } from "../../support/resx";

describe("emoji set", () => {
  it("is a compact curated set in 8 categories with names and keywords", () => {
    expect(EMOJI_CATEGORIES).toHaveLength(8);
    expect(ALL_EMOJI.length).toBeGreaterThanOrEqual(140);
    expect(ALL_EMOJI.length).toBeLessThanOrEqual(220);
    for (const e of ALL_EMOJI) {
      expect(e.char).toMatch(/\p{Extended_Pictographic}/u);
      expect(e.name.trim()).not.toBe("");
      expect(e.keywords.length).toBeGreaterThan(0);
    }
    expect(new Set(ALL_EMOJI.map((e) => e.char)).size).toBe(ALL_EMOJI.length);
  });

  it("fills every category, with an icon taken from it", () => {
    for (const c of EMOJI_CATEGORIES) {
      const list = emojiInCategory(c.id);
      expect(list.length).toBeGreaterThanOrEqual(10);
      expect(list.map((e) => e.char)).toContain(c.icon);
    }
  });

  it("names every category with a resx string in English and German", () => {
    const en = loadResx(1033);
    const de = loadResx(1031);
    for (const c of EMOJI_CATEGORIES) {
      expect(en[c.labelKey]).toBeTruthy();
      expect(de[c.labelKey]).toBeTruthy();
    }
  });
});

describe("searchEmoji", () => {
  const chars = (q: string) => searchEmoji(q).map((e) => e.char);

  it("finds by name and by keyword", () => {
    expect(chars("thumbs")).toEqual(expect.arrayContaining(["👍", "👎"]));
    expect(chars("coffee")).toContain("☕");
    expect(chars("lol")).toEqual(expect.arrayContaining(["😂", "🤣"]));
  });

  it("ranks names that start with the query before keyword matches", () => {
    expect(chars("party").slice(0, 2).sort()).toEqual(["🎉", "🥳"].sort());
    const sun = chars("sun");
    expect(sun.indexOf("☀️")).toBeLessThan(sun.indexOf("😎"));
    const heart = chars("heart");
    expect(heart.indexOf("❤️")).toBeLessThan(heart.indexOf("😍"));
    expect(heart.indexOf("😍")).toBeGreaterThan(0);
  });

  it("needs every word of the query, by word prefix, ignoring case and accents", () => {
    expect(chars("THUMBS down")).toEqual(["👎"]);
    expect(chars("cafe")).toEqual([]);
    expect(chars("smíle")).toContain("😀");
    expect(chars("ump")).toEqual([]);
  });

  it("finds nothing for an empty query or an unknown word, and respects the limit", () => {
    expect(searchEmoji("   ")).toEqual([]);
    expect(searchEmoji("xylophone")).toEqual([]);
    expect(searchEmoji("face", 5)).toHaveLength(5);
  });
});
