/**
 * Demo data for suggested contacts: resolved cases written the way agents write them, each resolved by a
 * specialist, and labelled with the colleagues who are the right helpers for that kind of case. The labels
 * are the evaluation set: each labelled case is ranked against all the other resolved cases (leave one out)
 * and the AI group's top 3 is compared with its helpers.
 */
export interface LabelledCase {
  title: string;
  description: string;
  /** Person key (demo-data PEOPLE) who resolved it. */
  resolver: string;
  /** The right helpers for a case like this one (person keys). */
  helpers: string[];
  resolution: string;
}

const PRINT = ["tomas", "lucas", "noah"];
const NET = ["hannah", "sofia"];
const BILL = ["kenji", "mateo"];
const SEC = ["aisha"];
const MAIL = ["amara", "chloe"];

export const LABELLED_CASES: LabelledCase[] = [
  { title: "Printer offline after driver update", description: "<p>Since the Windows driver update the <b>printer</b> shows as offline on all laptops. Print queue is stuck.</p>", resolver: "tomas", helpers: PRINT, resolution: "Rolled back the print driver and reinstalled the queue" },
  { title: "MFP shows offline in print queue", description: "Multifunction printer appears offline for every user; the queue holds jobs. Driver package was updated last night.", resolver: "tomas", helpers: PRINT, resolution: "Updated the print driver package on the print server" },
  { title: "Paper jams in duplex unit", description: "Two-sided print jobs jam in the duplex unit; paper crumples at the rear door.", resolver: "lucas", helpers: PRINT, resolution: "Replaced duplex feed rollers" },
  { title: "Duplex printing jams every page", description: "Every duplex job jams after the first page. Rollers cleaned, still jamming.", resolver: "lucas", helpers: PRINT, resolution: "Replaced duplex guide plate" },
  { title: "Toner not recognized after firmware", description: "After the firmware upgrade the printer rejects the toner cartridge as unrecognized.", resolver: "noah", helpers: PRINT, resolution: "Applied firmware patch accepting the cartridge chip" },
  { title: "Cartridge error following firmware update", description: "Firmware update made the device report the toner cartridge as incompatible.", resolver: "noah", helpers: PRINT, resolution: "Downgraded firmware and opened a vendor ticket" },
  { title: "Scan to email missing attachment", description: "Scanned documents arrive in the mailbox without the PDF attachment.", resolver: "amara", helpers: [...MAIL, ...PRINT], resolution: "Raised the SMTP attachment size limit" },
  { title: "Scanned PDF not attached to email", description: "Scan-to-email delivers the message but the attachment is missing; small scans work.", resolver: "amara", helpers: [...MAIL, ...PRINT], resolution: "Raised the relay message size limit" },
  { title: "VPN tunnel drops every 30 minutes", description: "Remote staff lose the site-to-site VPN tunnel every half hour; rekey logs show timeouts.", resolver: "sofia", helpers: NET, resolution: "Aligned IKE rekey timers on both peers" },
  { title: "Site-to-site VPN disconnects regularly", description: "The VPN tunnel between offices drops and reconnects; IKE phase 2 renegotiation fails.", resolver: "sofia", helpers: NET, resolution: "Matched phase 2 lifetimes" },
  { title: "Wi-Fi dead zone in warehouse", description: "No wireless coverage near the loading docks; access points too far apart.", resolver: "hannah", helpers: NET, resolution: "Added two access points and a site survey" },
  { title: "Weak wireless signal at loading dock", description: "Handheld scanners lose Wi-Fi coverage at the docks; access point coverage survey needed.", resolver: "hannah", helpers: NET, resolution: "Installed outdoor access point" },
  { title: "DNS lookups failing intermittently", description: "Internal names fail to resolve now and then; DNS server logs show timeouts to upstream resolvers.", resolver: "hannah", helpers: NET, resolution: "Switched DNS forwarders" },
  { title: "Duplicate charge on invoice", description: "The invoice bills the same support renewal twice; customer asks for a credit.", resolver: "kenji", helpers: BILL, resolution: "Issued a credit note for the duplicate line" },
  { title: "Invoice charged twice for renewal", description: "Renewal line appears twice on the invoice; duplicate charge must be credited.", resolver: "mateo", helpers: BILL, resolution: "Credited the duplicate renewal" },
  { title: "Cannot add user seats to subscription", description: "Portal says the seat limit is reached when adding new user licenses to the subscription.", resolver: "kenji", helpers: BILL, resolution: "Raised the seat limit on the contract" },
  { title: "License seat limit reached", description: "Adding licenses fails with a seat limit error; the subscription should allow more seats.", resolver: "mateo", helpers: BILL, resolution: "Synchronised seats with the subscription" },
  { title: "Suspicious sign-in alerts on shared mailbox", description: "Sign-in alerts from unusual countries on the shared mailbox; possible compromised password.", resolver: "aisha", helpers: SEC, resolution: "Reset password, enforced MFA and reviewed sign-in logs" },
  { title: "Unusual sign-in activity alert", description: "Security alert about sign-ins from another country on a mailbox account.", resolver: "aisha", helpers: SEC, resolution: "Blocked sign-ins and reset credentials" },
  { title: "Phishing email with fake invoice link", description: "Users received a phishing email with a fake invoice link; some clicked it.", resolver: "aisha", helpers: SEC, resolution: "Purged the messages and reset affected passwords" },
];
