/**
 * Seed "demo": an invented support organisation ("Contoso Support") with people,
 * chats, teams and Dataverse records. Deterministic: ids come from a fixed-seed
 * PRNG; times are relative to `now` (the last 60 days). All names are invented.
 */
import { avatarPng, type Rgb, screenshotPng } from "./png";
import {
  type DvRow,
  type SimAttachment,
  type SimChannel,
  type SimChat,
  type SimMention,
  type SimMessage,
  type SimState,
  SimStore,
  TENANT_ID,
  type SimTeam,
  type SimUser,
  emptyState,
  groupChatId,
  oneOnOneChatId,
} from "./state";
import { GRAPH_PUBLIC_BASE } from "./graph";
import { base64url, guidFrom, hexFrom, pick, prng } from "./util";
import { LABELLED_CASES } from "./suggest-demo";

/** The demo environment's app registration for sign-in (the harness's local provider knows it). */
export const DEMO_CLIENT_ID = "5d7c3b1e-8f2a-4c6d-9e0b-1a2b3c4d5e6f";
/** The demo app registration's client secret (the relay's confidential-client credential against /__sim/login). */
export const DEMO_CLIENT_SECRET = "sim-demo-relay-secret";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface PersonSeed {
  key: string;
  given: string;
  surname: string;
  alias: string;
  title: string;
  department: string;
  office: string;
  photo?: Rgb;
  supervisor?: boolean;
  orgDelete?: boolean;
  disabled?: boolean;
}

const PEOPLE: PersonSeed[] = [
  { key: "megan", given: "Megan", surname: "Pierce", alias: "megan.pierce", title: "Support Agent", department: "Customer Support", office: "Seattle – Building 3", photo: [0, 120, 212] },
  { key: "daniel", given: "Daniel", surname: "Okafor", alias: "daniel.okafor", title: "Support Agent", department: "Customer Support", office: "Seattle – Building 3" },
  { key: "priya", given: "Priya", surname: "Raman", alias: "priya.raman", title: "Support Supervisor", department: "Customer Support", office: "Seattle – Building 3", photo: [135, 100, 184], supervisor: true, orgDelete: true },
  { key: "tomas", given: "Tomás", surname: "Alvarez", alias: "tomas.alvarez", title: "Printer Specialist", department: "Hardware Services", office: "Denver", photo: [202, 80, 16] },
  { key: "hannah", given: "Hannah", surname: "Becker", alias: "hannah.becker", title: "Network Specialist", department: "Network Operations", office: "Berlin" },
  { key: "kenji", given: "Kenji", surname: "Watanabe", alias: "kenji.watanabe", title: "Billing Specialist", department: "Billing & Accounts", office: "Tokyo" },
  { key: "amara", given: "Amara", surname: "Nwosu", alias: "amara.nwosu", title: "Support Agent", department: "Customer Support", office: "London" },
  { key: "lucas", given: "Lucas", surname: "Moreau", alias: "lucas.moreau", title: "Field Technician", department: "Hardware Services", office: "Lyon" },
  { key: "sofia", given: "Sofia", surname: "Lindqvist", alias: "sofia.lindqvist", title: "Escalation Engineer", department: "Network Operations", office: "Stockholm" },
  { key: "oliver", given: "Oliver", surname: "Grant", alias: "oliver.grant", title: "Support Supervisor", department: "Customer Support", office: "London", supervisor: true },
  { key: "chloe", given: "Chloe", surname: "Dubois", alias: "chloe.dubois", title: "Knowledge Manager", department: "Customer Support", office: "Montréal" },
  { key: "mateo", given: "Mateo", surname: "Rossi", alias: "mateo.rossi", title: "Billing Specialist", department: "Billing & Accounts", office: "Milan" },
  { key: "aisha", given: "Aisha", surname: "Khan", alias: "aisha.khan", title: "Security Specialist", department: "Security Operations", office: "Dubai" },
  { key: "ethan", given: "Ethan", surname: "Brooks", alias: "ethan.brooks", title: "Support Agent", department: "Customer Support", office: "Seattle – Building 3", disabled: true },
  { key: "grace", given: "Grace", surname: "Liu", alias: "grace.liu", title: "Account Manager", department: "Sales", office: "Singapore" },
  { key: "noah", given: "Noah", surname: "Fischer", alias: "noah.fischer", title: "Product Specialist – Hardware", department: "Hardware Services", office: "Munich" },
  { key: "isabel", given: "Isabel", surname: "Santos", alias: "isabel.santos", title: "Customer Success Manager", department: "Sales", office: "Lisbon" },
];

const SHAREPOINT = "https://contososupport.sharepoint.com/sites/CustomerSupport/Shared%20Documents";

export function buildDemoState(now: Date): SimState {
  const s = emptyState();
  s.seed = "demo";
  const store = new SimStore(s);
  const rand = prng(0xc0ffee);
  const nowMs = now.getTime();
  const dayStart = Math.floor(nowMs / DAY) * DAY;
  /** A wall-clock time `daysAgo` days back (UTC), never later than a minute ago. */
  const dayAt = (daysAgo: number, h: number, m = 0): number => Math.min(dayStart - daysAgo * DAY + h * HOUR + m * MIN, nowMs - MIN);
  const ago = (minutes: number): number => nowMs - minutes * MIN;

  // ------------------------------------------------------------ people
  const users = new Map<string, SimUser>();
  for (const p of PEOPLE) {
    const id = guidFrom(rand);
    const systemuserid = guidFrom(rand);
    const upn = `${p.alias}@${s.domain}`;
    const u: SimUser = {
      id,
      displayName: `${p.given} ${p.surname}`,
      givenName: p.given,
      surname: p.surname,
      userPrincipalName: upn,
      mail: upn,
      jobTitle: p.title,
      department: p.department,
      officeLocation: p.office,
      businessPhones: [`+1 425 555 0${100 + users.size}`],
      mobilePhone: null,
      preferredLanguage: "en-US",
      accountEnabled: !p.disabled,
      systemuserid,
      isSupervisor: !!p.supervisor,
      ...(p.photo ? { photo: avatarPng(p.photo).toString("base64") } : {}),
    };
    users.set(p.key, u);
    s.users.push(u);
    if (p.orgDelete) s.chatLinkOrgDeleters.push(systemuserid);
  }
  const U = (k: string): SimUser => {
    const u = users.get(k);
    if (!u) throw new Error(`demo: unknown person ${k}`);
    return u;
  };

  // ------------------------------------------------------------ chats
  const mention = (keys: string[]): SimMention[] => keys.map((k, i) => ({ id: i, mentionText: U(k).displayName, userId: U(k).id }));
  const at = (k: string, i: number) => `<at id="${i}">${U(k).displayName}</at>`;

  const newChat = (type: "oneOnOne" | "group", keys: string[], created: number, topic: string | null = null): SimChat => {
    const id = type === "oneOnOne" ? oneOnOneChatId(U(keys[0]).id, U(keys[1]).id) : groupChatId(hexFrom(rand, 32));
    const iso = new Date(created).toISOString();
    const chat: SimChat = {
      id,
      chatType: type,
      topic,
      createdDateTime: iso,
      lastUpdatedDateTime: iso,
      members: keys.map((k) => store.newMember(id, U(k).id, ["owner"], "0001-01-01T00:00:00Z")),
      messages: [],
      lastReadBy: {},
    };
    if (type === "group") {
      store.eventMembersAdded(chat, U(keys[0]).id, keys.slice(1).map((k) => U(k).id), created, "0001-01-01T00:00:00Z");
      if (topic) store.eventChatRenamed(chat, U(keys[0]).id, topic, created + 1000);
    }
    store.addChat(chat);
    return chat;
  };

  interface SayOpts {
    mentions?: string[];
    importance?: "normal" | "high" | "urgent";
    files?: { name: string; path: string }[];
    image?: { accent: Rgb; width: number; height: number; alt: string };
    text?: boolean;
  }
  const say = (chat: SimChat | SimChannel, who: string, when: number, html: string, o: SayOpts = {}) => {
    const attachments: SimAttachment[] = (o.files ?? []).map((f) => ({
      id: guidFrom(rand),
      contentType: "reference",
      contentUrl: `${SHAREPOINT}/${f.path}`,
      content: null,
      name: f.name,
      thumbnailUrl: null,
    }));
    let content = html + attachments.map((a) => `<attachment id="${a.id}"></attachment>`).join("");
    const hosted = [];
    const marker = "__DEMO_MSG_ID__";
    if (o.image) {
      const hid = base64url(`id=x_0-demo-${hexFrom(rand, 24)},type=1`);
      const png = screenshotPng(o.image.accent, o.image.width, o.image.height);
      hosted.push({ id: hid, contentType: "image/png", bytes: png.toString("base64") });
      const where = "chatType" in chat ? `chats/${chat.id}` : `teams/${teamOfChannel.get(chat.id)}/channels/${chat.id}`;
      content += `<p><img src="${GRAPH_PUBLIC_BASE}${where}/messages/${marker}/hostedContents/${hid}/$value" width="${o.image.width * 3}" height="${o.image.height * 3}" alt="${o.image.alt}" style="vertical-align:bottom"></p>`;
    }
    const msg = store.appendMessage(chat, {
      fromUserId: U(who).id,
      at: when,
      ...(o.text ? { text: html } : { html: content }),
      importance: o.importance,
      mentions: o.mentions ? mention(o.mentions) : [],
      attachments,
      hostedContents: hosted,
    });
    msg.body.content = msg.body.content.split(marker).join(msg.id);
    if ("lastReadBy" in chat) chat.lastReadBy[U(who).id] = msg.createdDateTime;
    return msg;
  };
  const teamOfChannel = new Map<string, string>();
  /** The sender changes a message a few minutes after sending it (never in the future). */
  const edit = (msg: SimMessage, html: string, minutesLater: number) =>
    store.editMessage(msg, html, Math.max(Date.parse(msg.createdDateTime) + 1000, Math.min(Date.parse(msg.createdDateTime) + minutesLater * MIN, nowMs - MIN / 2)));

  const chats: Record<string, SimChat> = {};

  // C1: the case-1 chat, linked to the case and to the account.
  {
    const t0 = dayAt(8, 9, 12);
    const c = newChat("group", ["megan", "tomas", "lucas"], t0, "CAS-01001 · Fabrikam duplex jams");
    chats.c1 = c;
    say(c, "megan", t0 + 3 * MIN, `<p>Morning! Fabrikam called again – the 3rd floor MFP jams on <b>every</b> duplex job since Monday. ${at("tomas", 0)} could you take a look?</p>`, { mentions: ["tomas"] });
    say(c, "megan", t0 + 5 * MIN, "<p>What they've tried so far:</p><ul><li>Cleaned the pickup rollers</li><li>Power-cycled twice</li><li>Printing from tray 1 instead of tray 2</li></ul>");
    say(c, "tomas", t0 + 22 * MIN, "<p>Thanks. Can you get the error panel photo from Jon? If it says <code>13.B2.D2</code> it's the duplexer, not the trays.</p>");
    say(c, "megan", t0 + 2 * HOUR, "<p>Here's the panel – Jon sent it from his phone:</p>", { image: { accent: [196, 43, 28], width: 96, height: 64, alt: "MFP error panel" } });
    say(c, "tomas", t0 + 2 * HOUR + 9 * MIN, "<p>Yep, duplexer. The jam counter export would help too.</p><blockquote><p>If it says 13.B2.D2 it's the duplexer, not the trays.</p></blockquote><p>Confirmed 👍</p>");
    say(c, "megan", t0 + 3 * HOUR, "<p>Jam counter export from the device web page:</p>", { files: [{ name: "fabrikam-mfp-jam-counter.xlsx", path: "Cases/CAS-01001/fabrikam-mfp-jam-counter.xlsx" }] });
    say(c, "tomas", dayAt(7, 10, 4), `<p>47 duplex jams in 5 days – that's the known guide-plate issue on the MX-4200. ${at("lucas", 0)} are you near Fabrikam HQ this week?</p>`, { mentions: ["lucas"] });
    say(c, "lucas", dayAt(7, 10, 31), "<p>I'm in Bellevue Thursday. I'll bring a replacement guide plate and the <i>duplex feed kit</i>, just in case.</p>");
    const booked = say(c, "megan", dayAt(7, 11, 2), `<p>Perfect, I'll book the visit with Jon. Service manual for reference: <a href="https://support.contoso-printers.example/manuals/mx-4200/duplex" title="https://support.contoso-printers.example/manuals/mx-4200/duplex">MX-4200 duplex unit</a></p>`);
    edit(booked, `<p>Perfect, I've booked the visit with Jon for Thursday 9:00. Service manual for reference: <a href="https://support.contoso-printers.example/manuals/mx-4200/duplex" title="https://support.contoso-printers.example/manuals/mx-4200/duplex">MX-4200 duplex unit</a></p>`, 6);
    say(c, "lucas", dayAt(5, 15, 40), "<p>Replaced the guide plate, ran 200 duplex pages without a jam. Leaving the old part with Jon for the warranty claim.</p>");
    say(c, "megan", ago(95), "<p><b>Update:</b> Jon says it jammed again this morning, twice. Can we look at the firmware side before I escalate?</p>", { importance: "high" });
    say(c, "tomas", ago(41), "<p>Firmware 4.2.1 has a duplex timing fix. Steps:</p><ol><li>Download <code>mx4200_fw_4.2.1.bin</code></li><li>Upload via <i>Device &gt; Maintenance &gt; Firmware</i></li><li>Reboot and run the duplex test page</li></ol>");
    chats.c1.lastReadBy[U("megan").id] = new Date(ago(96)).toISOString();
  }
  // C2: Megan and Tomás, 1:1, also about case 1.
  {
    const t0 = dayAt(26, 14, 5);
    const c = newChat("oneOnOne", ["megan", "tomas"], t0);
    chats.c2 = c;
    say(c, "megan", t0 + MIN, "<p>Hi Tomás, quick question – do we have a loaner MFP for a customer while theirs is in repair?</p>");
    say(c, "tomas", t0 + 14 * MIN, "<p>Two in Denver, one in Seattle. Seattle one is booked until the 20th.</p>");
    say(c, "megan", dayAt(12, 9, 40), "<p>Heads up, Fabrikam might need the Seattle loaner if the duplex fix doesn't hold.</p>");
    say(c, "tomas", dayAt(12, 9, 58), "<p>Noted <emoji id=\"1f44d_thumbsup\" alt=\"👍\" title=\"Thumbs up\"></emoji></p>");
    say(c, "megan", ago(180), "<p>Jon asked whether the warranty covers the second visit. Do you know?</p>");
    say(c, "tomas", ago(172), "<p>It does – same root cause, so it's one warranty case. Reference the original RMA: <b>RMA-77120</b>.</p>");
  }
  // C3: onsite training (case 8).
  {
    const t0 = dayAt(15, 16, 20);
    const c = newChat("group", ["megan", "noah", "grace"], t0, "Fabrikam onsite MFP training");
    chats.c3 = c;
    say(c, "grace", t0 + 4 * MIN, "<p>Fabrikam wants a half-day training for their office managers on the new MFP fleet. Budget is approved on their side.</p>");
    say(c, "noah", t0 + 30 * MIN, "<p>Happy to run it. Agenda draft:</p><ol><li>Secure print &amp; badge release</li><li>Scan-to-folder and scan-to-email</li><li>Clearing jams without tools</li><li>Toner ordering</li></ol>");
    say(c, "megan", t0 + 55 * MIN, "<p>I've logged it as a request case so we can track dates. Noah, does the week of the 24th work?</p>");
    say(c, "noah", dayAt(14, 8, 3), "<p>24th or 25th, mornings only.</p>");
  }
  // C4: duplicate charge (case 3), group without a topic.
  {
    const t0 = dayAt(11, 13, 0);
    const c = newChat("group", ["megan", "kenji", "mateo"], t0);
    chats.c4 = c;
    say(c, "megan", t0 + 2 * MIN, "<p>Adventure Works sent this invoice – line 3 and line 7 look like the same service charged twice:</p>", { files: [{ name: "INV-20931.pdf", path: "Billing/2024/INV-20931.pdf" }] });
    say(c, "kenji", t0 + 25 * MIN, "<p>Looks like the renewal ran twice when the PO number changed. I can issue a credit note once we have their PO confirmation.</p>");
    say(c, "mateo", t0 + 40 * MIN, "<p>Same thing happened to Tailspin in February – KB article <a href=\"https://contososupport.sharepoint.com/sites/CustomerSupport/SitePages/KB-1187.aspx\">KB-1187</a> has the steps.</p>");
    say(c, "megan", dayAt(9, 10, 15), "<p>Waiting on Raj Patel for the PO confirmation, I've set the case to <i>Waiting for Details</i>.</p>");
  }
  // C5: Megan and her supervisor; an urgent message.
  {
    const t0 = dayAt(33, 8, 30);
    const c = newChat("oneOnOne", ["megan", "priya"], t0);
    chats.c5 = c;
    say(c, "priya", t0, "<p>Welcome back! Your queue is light today, can you pick up the Tailspin seats request?</p>");
    say(c, "megan", t0 + 12 * MIN, "<p>On it.</p>");
    say(c, "priya", dayAt(2, 16, 45), "<p><b>Fabrikam is escalating CAS-01001</b> – their COO emailed our VP. Can you send me a summary by 5pm?</p>", { importance: "urgent" });
    say(c, "megan", dayAt(2, 16, 58), "<p>Sending now. Short version: hardware fix done on-site, one relapse, firmware update scheduled for tomorrow morning.</p>");
    say(c, "priya", dayAt(2, 17, 3), "<p>Thanks, that's exactly what I needed 🙏</p>");
  }
  // C6: Megan and Daniel, handover chatter.
  {
    const t0 = dayAt(20, 17, 2);
    const c = newChat("oneOnOne", ["megan", "daniel"], t0);
    chats.c6 = c;
    say(c, "daniel", t0, "Handing over Northwind – Lena will call back after 3pm about the VPN.", { text: true });
    say(c, "megan", t0 + 3 * MIN, "Got it, thanks!", { text: true });
    say(c, "daniel", dayAt(3, 17, 30), "<p>Can you cover my 8am tomorrow? Dentist 🦷</p>");
    say(c, "megan", dayAt(3, 17, 41), "<p>Sure, I'll take the early queue.</p>");
    say(c, "daniel", ago(25), "<p>Lena from Northwind is asking if anyone saw her email about the VPN logs?</p>");
  }
  // C7: shift handover group.
  {
    const t0 = dayAt(40, 7, 55);
    const c = newChat("group", ["oliver", "megan", "daniel", "amara"], t0, "Shift handover – EMEA/US");
    chats.c7 = c;
    for (let d = 39; d >= 1; d -= 6) {
      say(c, "amara", dayAt(d, 16, 58), `<p>EMEA handover: <b>${3 + (d % 4)}</b> open cases, nothing on fire. Details in the tracker.</p>`);
      say(c, d % 2 ? "megan" : "daniel", dayAt(d, 17, 4), "<p>Thanks Amara, picking up 👍</p>");
    }
    say(c, "oliver", dayAt(1, 17, 20), "<p>Reminder: the new escalation checklist is live – please use it for anything Priority <b>High</b>.</p>");
  }
  // C8: Tailspin seats (case 6), linked to case and account.
  {
    const t0 = dayAt(18, 11, 10);
    const c = newChat("group", ["megan", "kenji", "isabel"], t0, "Tailspin – seat expansion");
    chats.c8 = c;
    say(c, "isabel", t0 + MIN, "<p>Tailspin needs 15 more seats before their new hires start on the 1st.</p>");
    say(c, "megan", t0 + 20 * MIN, "<p>The portal gives them <code>SEAT_LIMIT_REACHED</code> when they add users. Kenji, is that a billing hold?</p>");
    say(c, "kenji", t0 + 48 * MIN, "<p>Their contract caps at 50 seats. I've drafted an amendment quote:</p>", { files: [{ name: "Tailspin-seat-amendment-quote.docx", path: "Sales/Tailspin/Tailspin-seat-amendment-quote.docx" }] });
    say(c, "isabel", dayAt(16, 9, 0), "<p>Sent to Emily, she'll sign this week.</p>");
    say(c, "megan", ago(300), "<p>Emily signed – Kenji, can you lift the cap today?</p>");
  }
  // C9..C28: more of Megan's chats, shorter.
  const simplePairs: [string, string, number, string[]][] = [
    ["c9", "kenji", 30, ["<p>Do you know if the March credit notes went out?</p>", "<p>Yes, all of them on the 3rd.</p>"]],
    ["c10", "hannah", 6, ["<p>Hannah, could the Fabrikam MFP be dropping off the network? Jon mentioned it sometimes shows <i>offline</i>.</p>", "<p>I'll check the switch port logs for VLAN 30. Give me an hour.</p>", "<p>Port is clean, no flaps in 14 days. It's the printer's sleep timer – set it to 60 min.</p>"]],
    ["c13", "chloe", 22, ["<p>Could you review my draft KB on toner firmware?</p>", "<p>Left a few comments, mostly wording. Looks good!</p>"]],
    ["c16", "amara", 4, ["<p>Are you joining the product briefing at 2?</p>", "<p>Yes, saving you a seat 🙂</p>"]],
    ["c20", "lucas", 9, ["<p>Thanks again for fitting Fabrikam in on Thursday!</p>", "<p>No problem, the route worked out nicely.</p>"]],
    ["c21", "noah", 14, ["<p>Which MFP model do you recommend for a 40-person office?</p>", "<p>MX-3200 unless they scan a lot – then MX-4200 for the faster ADF.</p>"]],
    ["c23", "isabel", 27, ["<p>Tailspin renewal is coming up in June – any support issues I should know about?</p>", "<p>Just the seat cap, which we're fixing now.</p>"]],
    ["c24", "mateo", 44, ["<p>Where do I find the refund approval form?</p>", "<p>Billing channel → Files → Forms. I'll pin it.</p>"]],
    ["c26", "sofia", 35, ["<p>Sofia, do you have a minute for a VPN question?</p>", "<p>Sure, call me.</p>"]],
    ["c28", "oliver", 3, ["<p>Your CSAT this month is 4.8 – great work!</p>", "<p>Thank you! 😊</p>"]],
  ];
  for (const [key, other, daysAgo, lines] of simplePairs) {
    const t0 = dayAt(daysAgo, 10 + (daysAgo % 6), (daysAgo * 7) % 60);
    const c = newChat("oneOnOne", ["megan", other], t0);
    chats[key] = c;
    lines.forEach((l, i) => say(c, i % 2 === 0 ? "megan" : other, t0 + i * 11 * MIN, l));
  }
  // C11: KB review without a topic, with a code block.
  {
    const t0 = dayAt(13, 15, 15);
    const c = newChat("group", ["chloe", "megan", "amara"], t0);
    chats.c11 = c;
    say(c, "chloe", t0 + MIN, "<p>New KB for resetting the MFP admin PIN – does this read OK?</p>");
    say(c, "amara", t0 + 9 * MIN, "<p>Step 3 needs the actual command, customers always ask:</p><codeblock class=\"PowerShell\"><code>Invoke-WebRequest -Uri https://&lt;printer-ip&gt;/api/admin/reset-pin -Method Post</code></codeblock>");
    say(c, "megan", t0 + 14 * MIN, "<p>+1, and mention that it needs <b>HTTPS</b> enabled on the device first.</p>");
  }
  // C12: firmware rollout with an inline screenshot and a config snippet.
  {
    const t0 = dayAt(10, 9, 0);
    const c = newChat("group", ["tomas", "megan", "noah", "amara"], t0, "Printer firmware 4.2 rollout");
    chats.c12 = c;
    say(c, "tomas", t0 + MIN, "<p>Firmware 4.2 goes to all MX-series devices next Tuesday. Known issue: some third-party toner shows as <i>unrecognized</i>.</p>");
    say(c, "noah", t0 + 35 * MIN, "<p>Here's the warning customers will see:</p>", { image: { accent: [255, 185, 0], width: 80, height: 56, alt: "Unrecognized cartridge warning" } });
    say(c, "amara", t0 + 50 * MIN, "<p>Tailspin already hit this on CAS-01004. Workaround config:</p><pre>supplies.thirdParty.allow = true\nsupplies.warnings.level = low</pre>");
    say(c, "megan", ago(60 * 26), `<p>${at("tomas", 0)} is 4.2.1 safe to push to Fabrikam early?</p>`, { mentions: ["tomas"] });
    edit(say(c, "tomas", ago(60 * 25), "<p>Yes, 4.2.1 is signed and tested.</p>"), "<p>Yes, 4.2.1 is signed and tested. Release notes are pinned in the Firmware channel.</p>", 3);
  }
  // C14: Adventure Works account chat (linked by Grace).
  {
    const t0 = dayAt(21, 12, 30);
    const c = newChat("oneOnOne", ["grace", "megan"], t0);
    chats.c14 = c;
    say(c, "grace", t0, "<p>Adventure Works is evaluating a 3-year renewal. Anything open with them?</p>");
    say(c, "megan", t0 + 6 * MIN, "<p>A billing question about a duplicate charge, and Oliver has a security case. I'll keep you posted.</p>");
    say(c, "grace", dayAt(4, 9, 12), "<p>Raj says the PO confirmation is on its way to you.</p>");
  }
  // C15: social chat with emoji.
  {
    const t0 = dayAt(6, 11, 30);
    const c = newChat("group", ["daniel", "megan", "amara", "chloe", "oliver"], t0, "Team lunch Friday 🍕");
    chats.c15 = c;
    say(c, "daniel", t0, "<p>Pizza or tacos on Friday? 🍕🌮</p>");
    say(c, "amara", t0 + 3 * MIN, "<p>Tacos!! 🌮</p>");
    // Chloe thought better of her vote and deleted it; Megan corrected the head count.
    store.deleteMessage(say(c, "chloe", t0 + 5 * MIN, "<p>Pizza, but I'll survive tacos 😄</p>"), t0 + 7 * MIN);
    edit(say(c, "megan", t0 + 9 * MIN, "<p>Tacos. Booking <b>El Camino</b> for 12:30 – 6 people?</p>"), "<p>Tacos. Booking <b>El Camino</b> for 12:30 – 5 people?</p>", 4);
    say(c, "oliver", t0 + 22 * MIN, "<p>Count me in <emoji id=\"1f389_partypopper\" alt=\"🎉\" title=\"Party popper\"></emoji></p>");
  }
  // C17: with the disabled colleague (old).
  {
    const t0 = dayAt(52, 9, 45);
    const c = newChat("oneOnOne", ["megan", "ethan"], t0);
    chats.c17 = c;
    say(c, "ethan", t0, "<p>Last day today – thanks for everything, Megan! My cases are reassigned to Daniel.</p>");
    say(c, "megan", t0 + 7 * MIN, "<p>We'll miss you! Good luck with the new role 🎉</p>");
  }
  // C18: Northwind Wi-Fi (case 5, linked by Daniel; Megan is a member).
  {
    const t0 = dayAt(17, 13, 40);
    const c = newChat("group", ["daniel", "megan", "hannah", "sofia"], t0, "Northwind Wi-Fi follow-up");
    chats.c18 = c;
    say(c, "daniel", t0, "<p>Northwind warehouse B has a dead zone near the loading docks. Heat map attached by Lena:</p>", { files: [{ name: "warehouse-b-heatmap.pdf", path: "Cases/CAS-01005/warehouse-b-heatmap.pdf" }] });
    say(c, "hannah", t0 + 40 * MIN, "<p>Two APs are on the same channel. Also the racking is metal – we may need an extra AP.</p>");
    say(c, "sofia", t0 + 55 * MIN, "<p>I can do a survey remotely if they run the capture tool.</p>");
    say(c, "megan", dayAt(15, 9, 10), "<p>Lena says they'll run it Monday. Putting the case on hold until then.</p>");
  }
  // C19: CSAT review with a deck.
  {
    const t0 = dayAt(24, 10, 0);
    const c = newChat("group", ["priya", "oliver", "chloe", "megan"], t0, "CSAT review – March");
    chats.c19 = c;
    say(c, "priya", t0, "<p>Deck for Thursday's review:</p>", { files: [{ name: "CSAT-March-review.pptx", path: "Reports/CSAT-March-review.pptx" }] });
    say(c, "oliver", t0 + 30 * MIN, "<p>Slide 6: the <b>first-contact resolution</b> number looks off, can you double-check?</p>");
    say(c, "priya", t0 + 47 * MIN, "<p>Good catch – fixed, it was using February's denominator.</p>");
  }
  // C22: quick spare-parts question, no topic.
  {
    const t0 = dayAt(2, 14, 2);
    const c = newChat("group", ["daniel", "megan", "tomas"], t0);
    chats.c22 = c;
    say(c, "daniel", t0, "<p>Do we stock fuser units for the MX-3200?</p>");
    say(c, "tomas", t0 + 18 * MIN, "<p>Three in Denver. Part number <code>MX3-FU-110</code>.</p>");
    say(c, "megan", t0 + 21 * MIN, "<p>Thanks! Saving that.</p>");
  }
  // C25: security Q&A; Oliver later left (membersDeleted event).
  {
    const t0 = dayAt(28, 15, 0);
    const c = newChat("group", ["aisha", "megan", "oliver", "amara"], t0, "Security awareness Q&A");
    chats.c25 = c;
    say(c, "aisha", t0 + MIN, "<p>Reminder: never ask customers for their password, even to \"test\" a login. Use the <b>sign-in logs</b> instead.</p>");
    say(c, "amara", t0 + 10 * MIN, "<p>What about MFA resets – do we verify by callback?</p>");
    say(c, "aisha", t0 + 16 * MIN, "<p>Yes: callback to the number on file, never the one they give you on the call.</p>");
    const leaveAt = dayAt(20, 9, 0);
    c.members = c.members.filter((m) => m.userId !== U("oliver").id);
    c.lastUpdatedDateTime = new Date(leaveAt).toISOString();
    store.eventMembersDeleted(c, U("aisha").id, [U("oliver").id], leaveAt);
  }
  // C27: KB chat that was renamed.
  {
    const t0 = dayAt(36, 10, 0);
    const c = newChat("group", ["chloe", "megan", "tomas", "noah"], t0, "Printer KB ideas");
    chats.c27 = c;
    say(c, "chloe", t0 + MIN, "<p>Let's collect the top 10 printer questions for new KB articles.</p>");
    say(c, "tomas", t0 + 12 * MIN, "<p>Top of my list: duplex jams, toner not recognized, scan-to-email size limits.</p>");
    const renameAt = dayAt(30, 9, 0);
    c.topic = "Knowledge base: printer troubleshooting";
    c.lastUpdatedDateTime = new Date(renameAt).toISOString();
    store.eventChatRenamed(c, U("chloe").id, c.topic, renameAt);
    say(c, "noah", renameAt + 30 * MIN, "<p>Screenshot of the scan settings page for the article:</p>", { image: { accent: [16, 124, 16], width: 96, height: 60, alt: "Scan settings" } });
  }

  // Chats without Megan.
  {
    // C29: privacy demo – linked to case 1, Megan is not a member.
    const t0 = dayAt(6, 13, 20);
    const c = newChat("group", ["daniel", "hannah", "priya"], t0, "CAS-01001 · network path to MFP");
    chats.c29 = c;
    say(c, "priya", t0, "<p>Before Fabrikam's COO call: can we rule out the network for the 3rd-floor MFP?</p>");
    say(c, "hannah", t0 + 25 * MIN, "<p>Ruled out – no drops on VLAN 30, DHCP lease is stable.</p>");
    say(c, "daniel", t0 + 31 * MIN, "<p>Thanks, I'll add that to the escalation summary (internal only).</p>");
  }
  {
    const t0 = dayAt(12, 8, 20);
    const c = newChat("group", ["daniel", "hannah", "sofia"], t0, "VPN instability – Northwind");
    chats.c30 = c;
    say(c, "daniel", t0, "<p>Northwind remote staff lose VPN every ~30 minutes. Client logs:</p><pre>IKE SA expired, rekey failed (timeout)\nDPD: peer not responding</pre>");
    say(c, "sofia", t0 + 40 * MIN, "<p>Rekey timer mismatch – their firewall uses 1800s, ours 3600s. I'll send Lena the exact settings.</p>");
    say(c, "hannah", t0 + 55 * MIN, `<p>${at("sofia", 0)} include the DPD interval too, it's also off.</p>`, { mentions: ["sofia"] });
  }
  const otherPairs: [string, string, string, number, string[]][] = [
    ["c31", "daniel", "hannah", 8, ["<p>Thanks for the quick VPN help!</p>", "<p>Anytime.</p>"]],
    ["c33", "tomas", "lucas", 7, ["<p>Guide plate part number for MX-4200?</p>", "<p><code>MX4-GP-220</code>, I have two in the van.</p>"]],
    ["c35", "kenji", "mateo", 19, ["<p>Can you cover refunds on Friday?</p>", "<p>Yes, no problem.</p>"]],
    ["c37", "amara", "tomas", 9, ["<p>Tailspin's toner shows unrecognized after 4.2 – is there a fix?</p>", "<p>Enable third-party supplies in the config, 4.2.1 fixes it properly.</p>"]],
    ["c39", "grace", "isabel", 16, ["<p>Lunch with Tailspin on Tuesday?</p>", "<p>Booked!</p>"]],
    ["c40", "sofia", "hannah", 11, ["<p>Survey results from Northwind are in.</p>", "<p>Great, let's review tomorrow.</p>"]],
    ["c42", "priya", "oliver", 5, ["<p>Can you take the escalation rota next week?</p>", "<p>Yes, swap with me the week after?</p>"]],
    ["c44", "noah", "tomas", 25, ["<p>Demo unit for the trade show?</p>", "<p>Taking the MX-4200 from Denver.</p>"]],
    ["c45", "chloe", "oliver", 32, ["<p>KB stats for the monthly report attached soon.</p>", "<p>Thanks Chloe.</p>"]],
  ];
  for (const [key, a, b, daysAgo, lines] of otherPairs) {
    const t0 = dayAt(daysAgo, 9 + (daysAgo % 7), (daysAgo * 13) % 60);
    const c = newChat("oneOnOne", [a, b], t0);
    chats[key] = c;
    lines.forEach((l, i) => say(c, i % 2 === 0 ? a : b, t0 + i * 9 * MIN, l));
  }
  const otherGroups: [string, string[], number, string | null, [string, string][]][] = [
    ["c32", ["oliver", "aisha", "grace"], 3, "Suspicious sign-ins – Adventure Works", [["oliver", "<p>Adventure Works reports sign-in alerts on their shared mailbox from two countries.</p>"], ["aisha", "<p>Looks like password spray. I'm enforcing MFA on the shared account and blocking legacy auth.</p>"], ["grace", "<p>Please keep me posted, they're mid-renewal.</p>"]]],
    ["c34", ["kenji", "mateo", "priya"], 29, "Billing month-end close", [["kenji", "<p>Month-end checklist is in the Billing channel.</p>"], ["mateo", "<p>Refunds reconciled ✅</p>"]]],
    ["c36", ["priya", "oliver", "chloe"], 10, "Supervisors sync", [["priya", "<p>Agenda: escalations, rota, KB backlog.</p>"], ["chloe", "<p>KB backlog is down to 12 drafts.</p>"]]],
    ["c38", ["amara", "noah", "hannah"], 8, "Scan-to-email issue", [["amara", "<p>Fabrikam's scans arrive without the PDF attached.</p>"], ["noah", "<p>Probably the 10 MB mail size limit – check the scan resolution.</p>"], ["hannah", "<p>SMTP relay logs show 413 responses, so yes, size.</p>"]]],
    ["c41", ["aisha", "hannah", "sofia"], 14, null, [["aisha", "<p>Firewall rule review Thursday?</p>"], ["sofia", "<p>Works for me.</p>"]]],
    ["c43", ["daniel", "lucas", "hannah"], 13, "Warehouse B survey", [["daniel", "<p>Can Lucas mount the extra AP during his visit?</p>"], ["lucas", "<p>If Hannah sends the config, yes.</p>"]]],
    ["c46", ["grace", "isabel", "kenji"], 20, "Tailspin renewal", [["grace", "<p>Renewal draft is with Tailspin's procurement.</p>"], ["kenji", "<p>Pricing includes the seat amendment.</p>"]]],
  ];
  for (const [key, members, daysAgo, topic, lines] of otherGroups) {
    const t0 = dayAt(daysAgo, 10, (daysAgo * 11) % 60);
    const c = newChat("group", members, t0, topic);
    chats[key] = c;
    lines.forEach(([who, l], i) => say(c, who, t0 + (i + 1) * 13 * MIN, l));
  }
  // Everyone reads their own chats up to the latest message, except a few unread ones for Megan.
  const unreadForMegan = new Set(["c1", "c6", "c8", "c12"]);
  for (const [key, c] of Object.entries(chats)) {
    const last = c.messages[c.messages.length - 1];
    if (!last) continue;
    for (const m of c.members) {
      if (m.userId === U("megan").id && unreadForMegan.has(key)) continue;
      c.lastReadBy[m.userId] = c.lastReadBy[m.userId] && c.lastReadBy[m.userId] > last.createdDateTime ? c.lastReadBy[m.userId] : last.createdDateTime;
    }
  }

  // ------------------------------------------------------------ teams and channels
  const channel = (name: string, description: string, created: number, privateMembers?: string[]): SimChannel => ({
    id: `19:${hexFrom(rand, 32)}@thread.tacv2`,
    displayName: name,
    description,
    membershipType: privateMembers ? "private" : "standard",
    createdDateTime: new Date(created).toISOString(),
    memberIds: privateMembers ? privateMembers.map((k) => U(k).id) : null,
    messages: [],
  });
  const team = (name: string, description: string, memberKeys: string[], chans: SimChannel[]): SimTeam => {
    const t: SimTeam = {
      id: guidFrom(rand),
      displayName: name,
      description,
      createdDateTime: new Date(dayAt(400, 9)).toISOString(),
      memberIds: memberKeys.map((k) => U(k).id),
      channels: chans,
    };
    for (const ch of chans) teamOfChannel.set(ch.id, t.id);
    s.teams.push(t);
    return t;
  };
  const created = dayAt(400, 9);
  const support = team(
    "Contoso Support",
    "Everyone on the support floor: announcements, escalations and shift handovers.",
    ["megan", "daniel", "priya", "amara", "oliver", "chloe", "ethan", "tomas", "hannah", "kenji", "sofia", "aisha", "lucas", "noah", "mateo"],
    [
      channel("General", "Announcements for the whole support team.", created),
      channel("Escalations", "Customer escalations that need a supervisor.", created),
      channel("Shift Handover", "End-of-shift notes between regions.", created),
      channel("Supervisors", "Private: staffing and people topics.", created, ["priya", "oliver"]),
    ],
  );
  const printers = team("Printer Fleet Experts", "MFP and printer know-how, firmware and field visits.", ["tomas", "lucas", "noah", "megan", "daniel", "priya", "amara"], [
    channel("General", "Printer questions welcome.", created),
    channel("Firmware", "Firmware releases and known issues.", created),
    channel("Field Visits", "On-site visit planning.", created),
  ]);
  const network = team("Network Operations", "Networks, VPN and Wi-Fi.", ["hannah", "sofia", "aisha", "oliver", "daniel"], [
    channel("General", "", created),
    channel("Outages", "Live incidents.", created),
    channel("Change Requests", "Planned changes and approvals.", created),
  ]);
  const billing = team("Billing & Accounts", "Invoices, credit notes, refunds and renewals.", ["kenji", "mateo", "grace", "isabel", "megan", "priya"], [
    channel("General", "", created),
    channel("Refunds", "Refund requests and approvals.", created),
  ]);
  const chanMsgs: [SimTeam, number, string, number, string, SayOpts?][] = [
    [support, 0, "priya", 20, "<p>Welcome to the new ticket layout! Feedback in this thread please 🙂</p>"],
    [support, 0, "oliver", 9, "<p><b>Reminder:</b> CSAT review Thursday 10:00.</p>"],
    [support, 0, "chloe", 2, "<p>12 new KB articles this month – thanks everyone who reviewed!</p>"],
    [support, 1, "priya", 2, "<p><b>Fabrikam (CAS-01001)</b> escalated to VP level. Megan owns it, Tomás supports. Daily update here please.</p>", { importance: "high" }],
    [support, 1, "megan", 1, "<p>Update: firmware 4.2.1 scheduled for tomorrow 8am, Lucas on standby.</p>"],
    [support, 2, "amara", 1, "<p>EMEA → US: 4 open, 1 waiting on customer (Northwind VPN).</p>"],
    [support, 3, "priya", 4, "<p>Rota for next month is in the Files tab.</p>"],
    [printers, 1, "tomas", 10, "<p>Firmware 4.2 release notes:</p>", { files: [{ name: "MX-series-4.2-release-notes.pdf", path: "Firmware/MX-series-4.2-release-notes.pdf" }] }],
    [printers, 1, "noah", 3, "<p>4.2.1 is out – fixes the toner recognition issue.</p>"],
    [printers, 2, "lucas", 5, "<p>Field visits this week: Fabrikam (Thu), Tailspin (Fri).</p>"],
    [printers, 0, "tomas", 15, "<p>Tip: <code>13.B2.D2</code> is always the duplexer on MX-4200.</p>"],
    [network, 1, "hannah", 12, "<p>Resolved: Berlin office DNS latency (upstream resolver).</p>"],
    [network, 2, "sofia", 6, "<p>CR-2291: raise IKE rekey timer to 3600s for partner tunnels – approvals please.</p>"],
    [network, 0, "aisha", 3, "<p>Security patch window Saturday 02:00–04:00 UTC.</p>"],
    [billing, 0, "kenji", 18, "<p>Month-end checklist pinned.</p>"],
    [billing, 1, "mateo", 7, "<p>Refund approved for Adventure Works (unused seats).</p>"],
  ];
  const posts = chanMsgs.map(([t, idx, who, daysAgo, html, o], i) => say(t.channels[idx], who, dayAt(daysAgo, 9 + (i % 8), (i * 7) % 60), html, o ?? {}));
  // Replies under posts (a thread in Teams), minutes to hours after the post.
  const reply = (postIdx: number, who: string, afterMin: number, html: string) => {
    const post = posts[postIdx];
    const replies = (post.replies ??= []);
    store.appendMessage({ messages: replies }, { fromUserId: U(who).id, at: Date.parse(post.createdDateTime) + afterMin * MIN, html });
    post.lastModifiedDateTime = replies[replies.length - 1].createdDateTime;
  };
  reply(0, "megan", 35, "<p>Love the new layout – the customer card on the right saves me a click on every case.</p>");
  reply(0, "ethan", 80, "<p>Could we get the SLA timer a bit bigger? Hard to see on the laptop screen.</p>");
  reply(3, "tomas", 20, "<p>On it. I have the firmware images and the rollback plan ready.</p>");
  reply(3, "oliver", 95, "<p>Thanks both. Please add the customer's change window to the case notes.</p>");
  reply(4, "priya", 15, "<p>👍 Keep the VP's assistant in the loop after the update.</p>");
  reply(7, "megan", 60, "<p>Does 4.2 also fix the duplexer jam on the MX-4200?</p>");
  reply(7, "tomas", 75, "<p>Partly – 4.2.1 has the full fix. See the pinned notes.</p>");
  reply(14, "megan", 40, "<p>Where is the checklist pinned? I can't see it on mobile.</p>");
  reply(14, "kenji", 52, "<p>Files tab → Month-end → checklist.xlsx</p>");
  // A finished project team, archived: still readable by its members, read-only in Teams.
  const rollout = team("Windows 11 Rollout 2025", "Finished desktop migration project (archived).", ["megan", "daniel", "lucas", "oliver"], [
    channel("General", "", dayAt(380, 9)),
    channel("Pilot Feedback", "Feedback from the pilot group.", dayAt(380, 9)),
  ]);
  rollout.isArchived = true;
  say(rollout.channels[1], "lucas", dayAt(200, 10), "<p>Pilot group done: 42 devices, 2 driver issues (both printers, fixed).</p>");
  say(rollout.channels[0], "oliver", dayAt(120, 16), "<p>Rollout complete 🎉 Thanks everyone – this team is archived now.</p>");

  // ------------------------------------------------------------ Dataverse
  const dv = (table: string): Record<string, DvRow> => store.table(table);
  const stampRow = (row: DvRow, createdMs: number, ownerSys: string, modifiedMs = createdMs): DvRow => ({
    ...row,
    createdon: new Date(createdMs).toISOString(),
    modifiedon: new Date(modifiedMs).toISOString(),
    _createdby_value: ownerSys,
    __lk_createdby: "systemuser",
    _modifiedby_value: ownerSys,
    __lk_modifiedby: "systemuser",
    versionnumber: store.nextDvVersion(),
  });
  const owned = (ownerSys: string): DvRow => ({
    _ownerid_value: ownerSys,
    __lk_ownerid: "systemuser",
    _owningbusinessunit_value: s.businessUnitId,
    __lk_owningbusinessunit: "businessunit",
  });
  const sys = (k: string) => U(k).systemuserid;

  for (const u of s.users) {
    dv("systemuser")[u.systemuserid] = stampRow(
      {
        systemuserid: u.systemuserid,
        fullname: u.displayName,
        firstname: u.givenName,
        lastname: u.surname,
        domainname: u.userPrincipalName,
        internalemailaddress: u.mail,
        azureactivedirectoryobjectid: u.id,
        title: u.jobTitle,
        jobtitle: u.jobTitle,
        isdisabled: !u.accountEnabled,
        _businessunitid_value: s.businessUnitId,
        __lk_businessunitid: "businessunit",
      },
      dayAt(420, 9),
      sys("priya"),
    );
  }
  const dvTeam = (name: string, description: string, memberKeys: string[], isDefault: boolean) => {
    const teamid = guidFrom(rand);
    dv("team")[teamid] = stampRow(
      { teamid, name, description, teamtype: 0, isdefault: isDefault, _administratorid_value: sys("priya"), __lk_administratorid: "systemuser", azureactivedirectoryobjectid: null },
      dayAt(400, 9),
      sys("priya"),
    );
    for (const k of memberKeys) {
      const id = guidFrom(rand);
      dv("teammembership")[id] = { teammembershipid: id, teamid, systemuserid: sys(k), versionnumber: store.nextDvVersion() };
    }
  };
  dvTeam("Contoso Support", "Default business unit team.", PEOPLE.map((p) => p.key), true);
  dvTeam("Tier 2 Specialists", "Printer, network, billing and security specialists who take escalations.", ["tomas", "hannah", "kenji", "sofia", "mateo", "aisha", "lucas", "noah"], false);

  const accountSeeds = [
    { key: "fabrikam", name: "Fabrikam, Inc.", number: "ACC-1001", city: "Seattle", country: "United States", phone: "+1 206 555 0142", web: "https://www.fabrikam.example", employees: 1200 },
    { key: "northwind", name: "Northwind Traders", number: "ACC-1002", city: "London", country: "United Kingdom", phone: "+44 20 7946 0831", web: "https://www.northwindtraders.example", employees: 340 },
    { key: "adventure", name: "Adventure Works Cycles", number: "ACC-1003", city: "Bothell", country: "United States", phone: "+1 425 555 0199", web: "https://www.adventure-works.example", employees: 860 },
    { key: "tailspin", name: "Tailspin Toys", number: "ACC-1004", city: "Austin", country: "United States", phone: "+1 512 555 0117", web: "https://www.tailspintoys.example", employees: 95 },
  ];
  const accounts: Record<string, string> = {};
  for (const a of accountSeeds) {
    const id = guidFrom(rand);
    accounts[a.key] = id;
    dv("account")[id] = stampRow(
      {
        accountid: id,
        name: a.name,
        accountnumber: a.number,
        telephone1: a.phone,
        emailaddress1: `support@${a.web.replace(/^https:\/\/www\./, "")}`,
        websiteurl: a.web,
        address1_city: a.city,
        address1_country: a.country,
        numberofemployees: a.employees,
        revenue: a.employees * 125000,
        _primarycontactid_value: null,
        statecode: 0,
        statuscode: 1,
        ...owned(sys("grace")),
      },
      dayAt(380 - accountSeeds.indexOf(a) * 20, 10),
      sys("grace"),
    );
  }
  const contactSeeds = [
    { key: "jon", first: "Jon", last: "Morris", title: "Facilities Manager", account: "fabrikam" },
    { key: "lena", first: "Lena", last: "Hoffmann", title: "IT Manager", account: "northwind" },
    { key: "raj", first: "Raj", last: "Patel", title: "Finance Controller", account: "adventure" },
    { key: "emily", first: "Emily", last: "Carter", title: "Office Manager", account: "tailspin" },
    { key: "marcus", first: "Marcus", last: "Webb", title: "Network Administrator", account: "northwind" },
    { key: "yuki", first: "Yuki", last: "Tanaka", title: "Procurement Lead", account: "fabrikam" },
  ];
  const contacts: Record<string, string> = {};
  contactSeeds.forEach((cs, i) => {
    const id = guidFrom(rand);
    contacts[cs.key] = id;
    const domain = accountSeeds.find((a) => a.key === cs.account)!.web.replace(/^https:\/\/www\./, "");
    dv("contact")[id] = stampRow(
      {
        contactid: id,
        fullname: `${cs.first} ${cs.last}`,
        firstname: cs.first,
        lastname: cs.last,
        jobtitle: cs.title,
        emailaddress1: `${cs.first.toLowerCase()}.${cs.last.toLowerCase()}@${domain}`,
        telephone1: `+1 555 01${40 + i}`,
        mobilephone: null,
        _parentcustomerid_value: accounts[cs.account],
        __lk_parentcustomerid: "account",
        statecode: 0,
        statuscode: 1,
        ...owned(sys(i % 2 ? "daniel" : "megan")),
      },
      dayAt(300 - i * 9, 11),
      sys("grace"),
    );
  });
  for (const [acc, contact] of [["fabrikam", "jon"], ["northwind", "lena"], ["adventure", "raj"], ["tailspin", "emily"]] as const) {
    const row = dv("account")[accounts[acc]];
    row._primarycontactid_value = contacts[contact];
    row.__lk_primarycontactid = "contact";
  }

  // Ticket numbers shaped like Dynamics 365's default (e.g. CAS-01234-X1Y2Z3).
  const ticket = (n: number) => {
    const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    let suffix = "";
    for (let i = 0; i < 6; i++) suffix += i % 2 === 0 ? pick(rand, letters.split("")) : String(Math.floor(rand() * 10));
    return `CAS-${String(n).padStart(5, "0")}-${suffix}`;
  };
  const customer = (k: string): DvRow =>
    k in accounts ? { _customerid_value: accounts[k], __lk_customerid: "account" } : { _customerid_value: contacts[k], __lk_customerid: "contact" };
  const caseRow = (n: number, title: string, description: string, cust: string, contact: string | null, priority: 1 | 2 | 3, statuscode: number, owner: string, origin: number, type: number): DvRow => {
    const id = guidFrom(rand);
    return {
      incidentid: id,
      title,
      ticketnumber: ticket(n),
      description,
      prioritycode: priority,
      severitycode: 1,
      caseorigincode: origin,
      casetypecode: type,
      statecode: statuscode === 5 || statuscode === 1000 ? 1 : 0,
      statuscode,
      ...customer(cust),
      _primarycontactid_value: contact ? contacts[contact] : null,
      ...(contact ? { __lk_primarycontactid: "contact" } : {}),
      ...owned(sys(owner)),
    };
  };
  const active: [string, string, string, string | null, 1 | 2 | 3, number, string, number, number, number][] = [
    ["Printer jams on every duplex job – 3rd floor MFP", "The MX-4200 on the 3rd floor jams on every two-sided job since Monday. Error 13.B2.D2. Customer has cleaned rollers and power-cycled.", "fabrikam", "jon", 1, 1, "megan", 9, 1, 2],
    ["VPN drops every 30 minutes for remote staff", "Remote users lose the site-to-site VPN roughly every 30 minutes; reconnect works.", "lena", null, 1, 4, "daniel", 13, 2, 2],
    ["Invoice INV-20931 shows a duplicate charge", "Lines 3 and 7 appear to bill the same support renewal twice.", "adventure", "raj", 2, 3, "megan", 11, 2, 1],
    ["Toner cartridges not recognized after firmware 4.2", "After the 4.2 update the MFP reports third-party cartridges as unrecognized.", "emily", null, 2, 1, "amara", 9, 3, 2],
    ["Wi-Fi dead zone in warehouse B", "No Wi-Fi coverage near loading docks 4–7.", "northwind", "marcus", 2, 2, "daniel", 17, 1, 2],
    ["Cannot add 15 new user seats to subscription", "Portal shows SEAT_LIMIT_REACHED when adding users.", "tailspin", "emily", 3, 1, "megan", 18, 3, 3],
    ["Scan-to-email arrives without attachment", "Scans reach the mailbox but without the PDF.", "yuki", null, 2, 1, "amara", 8, 2, 2],
    ["Request: onsite training for new MFP fleet", "Half-day training for office managers on the new MFPs.", "fabrikam", "yuki", 3, 1, "megan", 15, 2, 3],
    ["Suspicious sign-in alerts on shared mailbox", "Sign-in alerts from two countries on the shared mailbox accounts@.", "adventure", "raj", 1, 1, "oliver", 3, 1, 2],
  ];
  const activeIds: string[] = [];
  active.forEach(([title, desc, cust, contact, prio, status, owner, daysAgo, origin, type], i) => {
    const createdMs = dayAt(daysAgo, 8 + i, (i * 17) % 60);
    const row = caseRow(1001 + i, title, desc, cust, contact, prio, status, owner, origin, type);
    const id = String(row.incidentid);
    activeIds.push(id);
    dv("incident")[id] = stampRow(row, createdMs, sys(owner), Math.min(createdMs + 2 * DAY, nowMs - HOUR));
  });
  // Resolved history: who solved what, for suggested colleagues.
  const resolvedTemplates: [string, string, string[], string][] = [
    ["Paper jam in tray 2", "Replaced worn pickup roller", ["tomas", "lucas"], "printer"],
    ["Printer offline after network change", "Re-assigned static IP and updated the print queue", ["tomas", "hannah"], "printer"],
    ["Faded prints on colour MFP", "Replaced imaging drum", ["lucas", "noah"], "printer"],
    ["Fuser error 50.2 on MX-3200", "Replaced fuser unit MX3-FU-110", ["tomas", "lucas"], "printer"],
    ["Badge release not working", "Re-paired card reader and updated firmware", ["noah", "tomas"], "printer"],
    ["Duplex unit grinding noise", "Replaced duplex gear assembly", ["lucas"], "printer"],
    ["Slow Wi-Fi in conference rooms", "Moved APs to non-overlapping channels", ["hannah", "sofia"], "network"],
    ["DHCP pool exhausted", "Extended scope and shortened lease time", ["hannah"], "network"],
    ["Site-to-site VPN down", "Aligned IKE rekey and DPD timers", ["sofia", "hannah"], "network"],
    ["Intermittent DNS resolution", "Switched to secondary upstream resolvers", ["hannah"], "network"],
    ["Guest Wi-Fi portal not loading", "Renewed captive portal certificate", ["sofia"], "network"],
    ["Credit note not applied", "Applied credit note manually and re-issued statement", ["kenji", "mateo"], "billing"],
    ["Wrong VAT on invoice", "Corrected tax profile and re-issued invoice", ["mateo"], "billing"],
    ["License count mismatch", "Synchronised seats with the contract", ["kenji"], "billing"],
    ["Refund for unused seats", "Processed pro-rata refund", ["mateo", "kenji"], "billing"],
    ["Phishing email reported", "Purged messages and blocked sender domain", ["aisha"], "security"],
    ["MFA reset request", "Verified by callback and reset MFA", ["aisha", "megan"], "security"],
    ["Account locked after password change", "Cleared cached credentials on mobile devices", ["aisha", "daniel"], "security"],
    ["How to reset the MFP admin PIN", "Walked customer through the KB steps", ["megan", "amara"], "general"],
    ["Request for monthly usage report", "Sent usage report from the portal", ["daniel", "amara"], "general"],
  ];
  const customers = ["fabrikam", "northwind", "adventure", "tailspin", "jon", "lena", "raj", "emily"];
  for (let i = 0; i < 32; i++) {
    const [title, resolution, resolvers, category] = resolvedTemplates[i % resolvedTemplates.length];
    const resolver = resolvers[Math.floor(i / resolvedTemplates.length) % resolvers.length];
    const daysAgo = 12 + ((i * 37) % 48);
    const createdMs = dayAt(daysAgo + 3, 9 + (i % 7), (i * 11) % 60);
    const resolvedMs = dayAt(daysAgo, 14 + (i % 4), (i * 23) % 60);
    const cust = customers[i % customers.length];
    const owner = category === "general" || category === "security" ? resolver : pick(rand, ["megan", "daniel", "amara"]);
    const row = caseRow(900 - i, title, `${title}. Reported via ${["phone", "email", "web"][i % 3]}.`, cust, null, ((i % 3) + 1) as 1 | 2 | 3, 5, resolver, (i % 3) + 1, 2);
    row.statecode = 1;
    const incidentid = String(row.incidentid);
    dv("incident")[incidentid] = stampRow(row, createdMs, sys(owner), resolvedMs);
    const resId = guidFrom(rand);
    dv("incidentresolution")[resId] = stampRow(
      {
        activityid: resId,
        subject: resolution,
        description: `${resolution}. Category: ${category}.`,
        _incidentid_value: incidentid,
        __lk_incidentid: "incident",
        timespent: 30 + ((i * 17) % 150),
        actualend: new Date(resolvedMs).toISOString(),
        statecode: 1,
        statuscode: 2,
        ...owned(sys(resolver)),
      },
      resolvedMs,
      sys(resolver),
    );
  }

  const activity = (type: string, subject: string, regardingTable: string, regardingId: string, owner: string, daysAgo: number, state: number) => {
    const id = guidFrom(rand);
    const t = dayAt(daysAgo, 10 + (daysAgo % 6));
    dv("activitypointer")[id] = stampRow(
      {
        activityid: id,
        subject,
        description: null,
        activitytypecode: type,
        _regardingobjectid_value: regardingId,
        __lk_regardingobjectid: regardingTable,
        scheduledend: new Date(t + DAY).toISOString(),
        actualend: state === 1 ? new Date(t + HOUR).toISOString() : null,
        prioritycode: 1,
        statecode: state,
        ...owned(sys(owner)),
      },
      t,
      sys(owner),
    );
  };
  activity("phonecall", "Call with Jon Morris about duplex jams", "incident", activeIds[0], "megan", 8, 1);
  activity("appointment", "On-site visit: replace duplex guide plate", "incident", activeIds[0], "lucas", 5, 1);
  activity("email", "Escalation summary for Fabrikam leadership", "incident", activeIds[0], "megan", 2, 1);
  activity("task", "Schedule firmware 4.2.1 update", "incident", activeIds[0], "megan", 0, 0);
  activity("email", "VPN settings for Northwind firewall", "incident", activeIds[1], "daniel", 11, 1);
  activity("task", "Confirm PO with Raj Patel", "incident", activeIds[2], "megan", 9, 0);
  activity("phonecall", "Quarterly check-in", "account", accounts.tailspin, "grace", 20, 1);
  activity("task", "Send renewal proposal", "account", accounts.adventure, "grace", 6, 0);

  // The admin set the client id as the environment's current value; the tenant id is the solution's default.
  const envDef = (schemaname: string, displayname: string, description: string, defaultvalue: string | null, value?: string) => {
    const id = guidFrom(rand);
    dv("environmentvariabledefinition")[id] = stampRow(
      { environmentvariabledefinitionid: id, schemaname, displayname, description, defaultvalue, type: 100000000, statecode: 0, ...owned(sys("priya")) },
      dayAt(90, 9),
      sys("priya"),
    );
    if (value === undefined) return;
    const valueId = guidFrom(rand);
    dv("environmentvariablevalue")[valueId] = stampRow(
      { environmentvariablevalueid: valueId, schemaname, value, _environmentvariabledefinitionid_value: id, statecode: 0, ...owned(sys("priya")) },
      dayAt(90, 9),
      sys("priya"),
    );
  };
  envDef("tcp_TeamsChatPanelClientId", "Teams Chat Panel: Graph client ID", "Application (client) ID of the Entra app registration the panel signs in with.", null, DEMO_CLIENT_ID);
  envDef("tcp_TeamsChatPanelTenantId", "Teams Chat Panel: tenant ID", "Directory (tenant) ID used as the sign-in authority.", TENANT_ID);
  // No relay in the solution's default; the harness sets its own relay's address as the current value at start.
  envDef("tcp_TeamsChatPanelRelayUrl", "Teams Chat Panel: relay address", "https address of the live-updates relay; empty: no live updates.", null);

  // Links between chats and records (the only data the product stores).
  const link = (chat: SimChat | { id: string; teamId: string }, table: string, recordId: string, owner: string, daysAgo: number) => {
    const id = guidFrom(rand);
    const isChannel = "teamId" in chat;
    dv("tcp_chatlink")[id] = stampRow(
      {
        tcp_chatlinkid: id,
        tcp_name: `${table} ${recordId}`,
        tcp_kind: isChannel ? 100000001 : 100000000,
        tcp_chatid: chat.id,
        tcp_teamid: isChannel ? chat.teamId : null,
        tcp_regardingtable: table,
        tcp_regardingid: recordId,
        statecode: 0,
        statuscode: 1,
        ...owned(sys(owner)),
      },
      dayAt(daysAgo, 12),
      sys(owner),
    );
  };
  link(chats.c1, "incident", activeIds[0], "megan", 8);
  link(chats.c1, "account", accounts.fabrikam, "megan", 8);
  link(chats.c2, "incident", activeIds[0], "megan", 7);
  link(chats.c29, "incident", activeIds[0], "daniel", 6);
  link({ id: support.channels[1].id, teamId: support.id }, "incident", activeIds[0], "priya", 2);
  link({ id: rollout.channels[1].id, teamId: rollout.id }, "incident", activeIds[0], "megan", 30);
  link({ id: network.channels[1].id, teamId: network.id }, "incident", activeIds[0], "hannah", 4);
  link(chats.c3, "incident", activeIds[7], "megan", 15);
  link(chats.c4, "incident", activeIds[2], "megan", 11);
  link(chats.c8, "incident", activeIds[5], "megan", 18);
  link(chats.c8, "account", accounts.tailspin, "megan", 18);
  link(chats.c14, "account", accounts.adventure, "grace", 21);
  link(chats.c18, "incident", activeIds[4], "daniel", 17);
  link(chats.c30, "incident", activeIds[1], "daniel", 12);
  link(chats.c32, "incident", activeIds[8], "oliver", 3);
  link(chats.c37, "incident", activeIds[3], "amara", 9);
  link(chats.c38, "incident", activeIds[6], "amara", 8);
  link(chats.c46, "account", accounts.tailspin, "grace", 20);

  // Column-level security: incident.description is secured. Megan reads it through her own profile,
  // the Tier 2 Specialists through their team's; everyone else (Daniel, say) gets null back.
  // Fixed ids, no draws from `rand`, so the rest of the demo data stays as it was.
  const fsp = (id: string, name: string, description: string) => {
    dv("fieldsecurityprofile")[id] = stampRow({ fieldsecurityprofileid: id, name, description }, dayAt(200, 9), sys("priya"));
  };
  const caseNotesProfile = "7c1e0b5a-2f4d-4a8e-9b61-3d5f7a9c0e11";
  fsp(caseNotesProfile, "Case description readers", "Reads the secured case description.");
  const permissionId = "7c1e0b5a-2f4d-4a8e-9b61-3d5f7a9c0e12";
  dv("fieldpermission")[permissionId] = {
    fieldpermissionid: permissionId,
    entityname: "incident",
    attributelogicalname: "description",
    canread: 4,
    cancreate: 0,
    canupdate: 0,
    _fieldsecurityprofileid_value: caseNotesProfile,
    __lk_fieldsecurityprofileid: "fieldsecurityprofile",
    versionnumber: store.nextDvVersion(),
  };
  const userProfileId = "7c1e0b5a-2f4d-4a8e-9b61-3d5f7a9c0e13";
  dv("systemuserprofiles")[userProfileId] = { systemuserprofileid: userProfileId, systemuserid: sys("megan"), fieldsecurityprofileid: caseNotesProfile, versionnumber: store.nextDvVersion() };
  const tier2 = Object.values(dv("team")).find((t) => t.name === "Tier 2 Specialists");
  if (tier2) {
    const teamProfileId = "7c1e0b5a-2f4d-4a8e-9b61-3d5f7a9c0e14";
    dv("teamprofiles")[teamProfileId] = { teamprofileid: teamProfileId, teamid: String(tier2.teamid), fieldsecurityprofileid: caseNotesProfile, versionnumber: store.nextDvVersion() };
  }

  // Suggested contacts: labelled resolved cases (the evaluation set) and a team-owned resolved case. Own
  // random stream, added last, so every record above keeps its id.
  const srand = prng(0x5e66e57);
  LABELLED_CASES.forEach((c, i) => {
    const incidentid = guidFrom(srand);
    const resolvedMs = dayAt(20 + ((i * 13) % 200), 15);
    const createdMs = resolvedMs - 2 * DAY;
    dv("incident")[incidentid] = stampRow(
      {
        incidentid,
        title: c.title,
        ticketnumber: `CAS-${String(700 - i).padStart(5, "0")}-S${i % 10}G${(i * 3) % 10}T${(i * 7) % 10}`,
        description: c.description,
        prioritycode: 2,
        severitycode: 1,
        caseorigincode: 2,
        casetypecode: 2,
        statecode: 1,
        statuscode: 5,
        _customerid_value: accounts[["fabrikam", "northwind", "adventure", "tailspin"][i % 4]],
        __lk_customerid: "account",
        _primarycontactid_value: null,
        ...owned(sys(i % 2 ? "daniel" : "amara")),
      },
      createdMs,
      sys("megan"),
      resolvedMs,
    );
    const resId = guidFrom(srand);
    dv("incidentresolution")[resId] = stampRow(
      { activityid: resId, subject: c.resolution, description: null, _incidentid_value: incidentid, __lk_incidentid: "incident", timespent: 60, actualend: new Date(resolvedMs).toISOString(), statecode: 1, statuscode: 2, ...owned(sys(c.resolver)) },
      resolvedMs,
      sys(c.resolver),
    );
  });

  // A team-owned case (its owner is the Tier 2 Specialists team, so the team's members are suggested).
  const tier2Team = Object.values(dv("team")).find((t) => t.name === "Tier 2 Specialists");
  if (tier2Team) {
    const teamCaseId = guidFrom(srand);
    const createdMs = dayAt(4, 10);
    dv("incident")[teamCaseId] = stampRow(
      {
        incidentid: teamCaseId,
        title: "Printers offline after Windows driver update",
        ticketnumber: "CAS-01020-T2E4A6",
        description: "<p>All <b>printers</b> on the 2nd floor show <i>offline</i> since last night's driver update. The print queue holds every job.</p>",
        prioritycode: 1,
        severitycode: 1,
        caseorigincode: 2,
        casetypecode: 2,
        statecode: 0,
        statuscode: 1,
        _customerid_value: accounts.northwind,
        __lk_customerid: "account",
        _primarycontactid_value: null,
        _ownerid_value: String(tier2Team.teamid),
        __lk_ownerid: "team",
        _owningbusinessunit_value: s.businessUnitId,
        __lk_owningbusinessunit: "businessunit",
      },
      createdMs,
      sys("megan"),
      createdMs + HOUR,
    );
  }

  void printers;
  void network;
  void billing;
  return s;
}
