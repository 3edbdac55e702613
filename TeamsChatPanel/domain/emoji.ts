/**
 * A small curated emoji set for the picker (about 150 of the most used, in 8 categories), kept as a compact
 * table instead of a full Unicode data file to stay within the bundle budget. Category names are resx strings;
 * emoji names and keywords are English search data (they are matched, not shown as text; the emoji itself is
 * the label a user sees).
 */
import { foldForSearch } from "./text";

export type EmojiCategoryId = "smileys" | "gestures" | "hearts" | "work" | "nature" | "food" | "activities" | "symbols";

export interface Emoji {
  char: string;
  /** Short English name (also the accessible name of the picker button). */
  name: string;
  keywords: string[];
  category: EmojiCategoryId;
}

export interface EmojiCategory {
  id: EmojiCategoryId;
  /** resx key of the category name. */
  labelKey: string;
  /** The emoji that stands for the category on its tab. */
  icon: string;
}

export const EMOJI_CATEGORIES: readonly EmojiCategory[] = [
  { id: "smileys", labelKey: "Emoji_Category_Smileys", icon: "😀" },
  { id: "gestures", labelKey: "Emoji_Category_Gestures", icon: "👍" },
  { id: "hearts", labelKey: "Emoji_Category_Hearts", icon: "❤️" },
  { id: "work", labelKey: "Emoji_Category_Work", icon: "💼" },
  { id: "nature", labelKey: "Emoji_Category_Nature", icon: "🌳" },
  { id: "food", labelKey: "Emoji_Category_Food", icon: "☕" },
  { id: "activities", labelKey: "Emoji_Category_Activities", icon: "🎉" },
  { id: "symbols", labelKey: "Emoji_Category_Symbols", icon: "✅" },
];

// One entry per ";": emoji, name, keywords (space separated), split by ":". No emoji contains ":" or ";".
const TABLE: Record<EmojiCategoryId, string> = {
  smileys:
    "😀:grinning face:smile happy;😃:smiling face with big eyes:smile happy joy;😄:smiling face with smiling eyes:smile happy laugh;" +
    "😁:beaming face:grin smile;😆:grinning squinting face:laugh lol;😅:grinning face with sweat:relief phew;😂:face with tears of joy:laugh lol funny;" +
    "🤣:rolling on the floor laughing:rofl laugh lol;🙂:slightly smiling face:smile ok;😉:winking face:wink flirt;😊:smiling face with smiling eyes:blush happy;" +
    "😇:smiling face with halo:angel innocent;😍:smiling face with heart-eyes:love crush;🤩:star-struck:wow amazing;😘:face blowing a kiss:kiss love;" +
    "😋:face savoring food:yum tasty;😜:winking face with tongue:joke silly;🤔:thinking face:hmm think wonder;🤨:face with raised eyebrow:doubt skeptical;" +
    "😐:neutral face:meh blank;😑:expressionless face:meh;🙄:face with rolling eyes:eyeroll annoyed;😏:smirking face:smirk;😬:grimacing face:awkward oops;" +
    "😌:relieved face:calm relief;😴:sleeping face:tired sleep zzz;🤒:face with thermometer:sick ill;🤯:exploding head:mind blown shocked;" +
    "🥳:partying face:party celebrate birthday;😎:smiling face with sunglasses:cool;🤓:nerd face:geek smart;😕:confused face:confused unsure;" +
    "😟:worried face:worried concern;😮:face with open mouth:wow surprised;😲:astonished face:shocked surprised;😳:flushed face:embarrassed blush;" +
    "🥺:pleading face:please puppy eyes;😢:crying face:sad tear;😭:loudly crying face:sob sad cry;😱:face screaming in fear:scream scared;" +
    "😤:face with steam from nose:triumph frustrated;😡:pouting face:angry mad rage;🤗:hugging face:hug thanks;🤫:shushing face:quiet secret;" +
    "🤐:zipper-mouth face:secret quiet;🙃:upside-down face:silly sarcasm;🫠:melting face:embarrassed hot;😷:face with medical mask:sick mask",
  gestures:
    "👍:thumbs up:like yes ok agree approve;👎:thumbs down:dislike no disagree;👌:ok hand:okay perfect;✌️:victory hand:peace;🤞:crossed fingers:luck hope;" +
    "👏:clapping hands:applause congrats bravo;🙌:raising hands:hooray celebrate praise;🙏:folded hands:please thanks pray;🤝:handshake:deal agreement meeting;" +
    "👋:waving hand:hello hi bye wave;✋:raised hand:stop high five;👊:oncoming fist:fist bump;💪:flexed biceps:strong strength;👉:backhand index pointing right:point right;" +
    "👈:backhand index pointing left:point left;👆:backhand index pointing up:point up;👇:backhand index pointing down:point down;🤙:call me hand:call phone shaka;" +
    "🫡:saluting face:salute respect yes;👀:eyes:look see watching;🤷:person shrugging:shrug dunno whatever;🤦:person facepalming:facepalm oops",
  hearts:
    "❤️:red heart:love like;🧡:orange heart:love;💛:yellow heart:love friendship;💚:green heart:love;💙:blue heart:love trust;💜:purple heart:love;" +
    "🖤:black heart:love dark;🤍:white heart:love;💔:broken heart:sad heartbreak;💕:two hearts:love;💖:sparkling heart:love sparkle;💯:hundred points:100 perfect score",
  work:
    "💼:briefcase:work business job;📅:calendar:date schedule meeting;📆:tear-off calendar:date deadline;📌:pushpin:pin important;📎:paperclip:attachment attach;" +
    "📝:memo:note write notes;📄:page facing up:document file;📊:bar chart:chart stats report;📈:chart increasing:growth up trend;📉:chart decreasing:down decline;" +
    "💻:laptop:computer pc;🖥️:desktop computer:computer screen;📱:mobile phone:phone cell;☎️:telephone:phone call;📧:e-mail:email mail;✉️:envelope:mail letter;" +
    "📞:telephone receiver:call phone;🔒:locked:lock secure private;🔑:key:password access;💡:light bulb:idea tip;🔍:magnifying glass tilted left:search find;" +
    "⏰:alarm clock:time deadline;⏳:hourglass not done:wait time pending;🗂️:card index dividers:files folders;📦:package:box delivery shipping;🛠️:hammer and wrench:tools fix repair;" +
    "🖨️:printer:print;🧾:receipt:invoice bill",
  nature:
    "☀️:sun:sunny weather;🌤️:sun behind small cloud:weather;☁️:cloud:cloudy weather;🌧️:cloud with rain:rain weather;⛈️:cloud with lightning and rain:storm;" +
    "❄️:snowflake:snow cold winter;🌈:rainbow:pride;🌊:water wave:sea ocean;🔥:fire:hot lit flame;⭐:star:favorite;🌙:crescent moon:night;🌸:cherry blossom:flower spring;" +
    "🌻:sunflower:flower summer;🌳:deciduous tree:tree nature;🍀:four leaf clover:luck lucky;🐶:dog face:dog puppy pet;🐱:cat face:cat kitten pet;🦄:unicorn:magic;" +
    "🐝:honeybee:bee busy;🦋:butterfly:insect",
  food:
    "☕:hot beverage:coffee tea break;🍵:teacup without handle:tea green;🍕:pizza:food lunch;🍔:hamburger:burger food;🍟:french fries:chips food;🥗:green salad:salad healthy;" +
    "🍣:sushi:food japanese;🍰:shortcake:cake dessert;🎂:birthday cake:birthday cake;🍩:doughnut:donut sweet;🍪:cookie:biscuit sweet;🍫:chocolate bar:chocolate sweet;" +
    "🍎:red apple:apple fruit;🍌:banana:fruit;🍓:strawberry:fruit berry;🍺:beer mug:beer drink cheers;🍷:wine glass:wine drink;🥂:clinking glasses:cheers toast celebrate",
  activities:
    "🎉:party popper:party celebrate congrats tada;🎊:confetti ball:party celebrate;🎈:balloon:party birthday;🎁:wrapped gift:present gift birthday;🏆:trophy:win award champion;" +
    "🥇:first place medal:gold winner first;🎯:direct hit:target goal bullseye;⚽:soccer ball:football sport;🏀:basketball:sport;🎾:tennis:sport;🎮:video game:game play;" +
    "🎵:musical note:music song;🎧:headphone:music audio listen;🎬:clapper board:movie film;📷:camera:photo picture;✈️:airplane:travel flight trip;🚗:automobile:car drive;" +
    "🏖️:beach with umbrella:vacation holiday;🚀:rocket:launch ship fast;🏃:person running:run hurry",
  symbols:
    "✅:check mark button:done yes complete ok;✔️:check mark:done yes;❌:cross mark:no wrong cancel;❗:red exclamation mark:important warning;❓:red question mark:question help;" +
    "⚠️:warning:caution alert;⛔:no entry:stop blocked forbidden;🚫:prohibited:no forbidden;🆗:ok button:okay;🆕:new button:new;🔴:red circle:red status busy;" +
    "🟢:green circle:green status available;🟡:yellow circle:yellow status away;➕:plus:add;➖:minus:remove;➡️:right arrow:next forward;⬅️:left arrow:back previous;" +
    "🔄:counterclockwise arrows button:refresh sync repeat;✨:sparkles:shiny new magic;💬:speech balloon:chat comment message;💤:zzz:sleep tired;🔔:bell:notification alert",
};

function parse(): Emoji[] {
  const out: Emoji[] = [];
  for (const category of EMOJI_CATEGORIES) {
    for (const entry of TABLE[category.id].split(";")) {
      const [char, name, keywords = ""] = entry.split(":");
      out.push({ char, name, keywords: keywords.split(" ").filter(Boolean), category: category.id });
    }
  }
  return out;
}

/** Every emoji of the set, category by category. Immutable data, built once. */
export const ALL_EMOJI: readonly Emoji[] = parse();

export function emojiInCategory(id: EmojiCategoryId): Emoji[] {
  return ALL_EMOJI.filter((e) => e.category === id);
}

/**
 * Emoji whose name or keywords match every word of the query (accent- and case-insensitive, by word prefix),
 * best first: name starts with the word, then a whole word of the name, then a word's start, then a keyword. An empty query finds nothing.
 */
export function searchEmoji(query: string, limit = 48): Emoji[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const scored: Array<{ e: Emoji; score: number; index: number }> = [];
  ALL_EMOJI.forEach((e, index) => {
    const name = foldForSearch(e.name);
    const nameWords = name.split(/\s+/);
    const keys = e.keywords.map(foldForSearch);
    let score = 0;
    for (const w of words) {
      if (name.startsWith(w)) score += 4;
      else if (nameWords.includes(w)) score += 3;
      else if (nameWords.some((n) => n.startsWith(w))) score += 2;
      else if (keys.some((k) => k.startsWith(w))) score += 1;
      else return;
    }
    scored.push({ e, score, index });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((s) => s.e);
}
