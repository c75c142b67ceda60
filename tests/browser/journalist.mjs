// SPDX-License-Identifier: Apache-2.0
// The console as a journalist meets it (test_journalist.sh), in Debian's Chromium.
// Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL VKEY ANNOUNCE_INDEX [SHOTS_DIR]
import { ok, failures, launch } from "./tap.mjs";
import fs from "node:fs";

const [url, vkey, idxArg, shots] = process.argv.slice(2);
const idx = Number(idxArg);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
const text = (sel) => page.textContent(sel);
const axeSource = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
async function axe(p, name) {
  await p.evaluate(axeSource);
  const v = await p.evaluate(async () => (await globalThis.axe.run(document)).violations
    .filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id));
  ok(name + ": no serious accessibility violation (axe-core)", v.length === 0, v.join(", "));
}

// ---- the public page: names, dates, what became of each pledge, coverage per requirement
await page.goto(url + "/");
await page.waitForSelector("#announcements ol");
await page.waitForSelector("#coverage .cover");
const ann = await text("#announcements");
ok("coalition: announcements name members, not ids",
  ann.includes("Freedonia (fictional) announced a pledge: 4000 troops for ground forces") &&
  !/\bfd\b/.test(ann), ann.slice(0, 300));
ok("coalition: a statement shows the date its source gives beside the ledger's time",
  /said 2 March 2025 \(per its source\) · in the ledger 20[0-9]{2}-/.test(ann), ann.slice(0, 400));
const item = (what) => page.locator("#announcements li", { hasText: what }).first().innerText();
ok("coalition: the amended pledge is marked superseded",
  (await item("12 aircraft for air policing")).includes("Superseded by entry #"));
ok("coalition: the amendment itself is not marked",
  !(await item("16 aircraft for air policing")).includes("Superseded"));
ok("coalition: the withdrawal says which pledge it withdraws",
  (await text("#announcements")).includes("Freedonia (fictional) withdrew its pledge of 2 aircraft for logistics (entry #"));
ok("coalition: a withdrawn member's pledge says its pledges no longer count",
  (await item("announced a pledge: 2 ships for maritime")).includes("Westland (fictional) has withdrawn"));
ok("coalition: the withdrawn pledge is marked withdrawn",
  (await item("announced a pledge: 2 aircraft for logistics")).includes("Withdrawn at entry #"));
{
  // each requirement on its own scale: the bar's solid part is binding / required
  const bars = await page.$$eval("#coverage .cover li", (lis) => lis.map((li) => {
    const w = li.querySelector(".bar").getBoundingClientRect().width - 2;
    return { text: li.innerText, bind: li.querySelector(".binding").getBoundingClientRect().width / w,
      more: li.querySelector(".pledged").getBoundingClientRect().width / w };
  }));
  const air = bars.find((b) => b.text.includes("air-policing"));
  const troops = bars.find((b) => b.text.includes("reassurance"));
  ok("coverage: one bar per requirement, three requirements", bars.length === 3);
  ok("coverage: 16 of 48 aircraft fill a third of their own bar, not a sliver of the troops' scale",
    air && Math.abs(air.bind - 16 / 48) < 0.02 && air.text.includes("16 of 48 aircraft"),
    JSON.stringify(air));
  ok("coverage: 4000 troops pledged, not binding, are 4000/30000 of theirs, with the figures printed",
    troops && Math.abs(troops.more - 4000 / 30000) < 0.02 && troops.text.includes("0 of 30000 troops") &&
    troops.text.includes("4000 pledged, not binding") && troops.text.includes("gap 30000"),
    JSON.stringify(troops));
}
await axe(page, "coalition");
if (shots) await page.screenshot({ path: `${shots}/journalist-coalition.png`, fullPage: true });

// ---- the Atom feed names its authors too
{
  const feed = await (await page.request.get(url + "/feed.atom")).text();
  ok("feed: authors by name, a statement's title led by its author's name",
    feed.includes("<author><name>Freedonia (fictional)</name></author>") &&
    feed.includes("<title>United Kingdom: Willing to lead") && !feed.includes("<name>fd</name>"),
    feed.slice(0, 600));
}

// ---- without the log's key, nothing revealed is called verified
{
  const p = await (await browser.newContext()).newPage();
  await p.goto(url + "/entry/" + idx);
  await p.waitForSelector("#entry .revealed-checks .overall", { timeout: 20000 });
  const o = await p.textContent("#entry .revealed-checks .overall");
  ok("entry: without a verifier key, the revealed content is not called verified",
    o.startsWith("Not verified") && !o.includes("is verified"), o);
  await p.context().close();
}

// ---- the explorer: the fingerprint, in the format docs/FORMAT.md defines, and where to find it
await page.goto(url + "/explorer");
await page.fill("#vkey", vkey);
await page.click("#key-form button[type=submit]");
await page.waitForSelector("#checkpoint .checks li.pass");
{
  const fp = await text("#key-status code.fp");
  const status = await text("#key-status");
  ok("explorer: the fingerprint reads as eight groups of four hex digits",
    /^([0-9a-f]{4} ){7}[0-9a-f]{4}$/.test(fp), fp);
  ok("explorer: it says where the fingerprint to compare with comes from",
    status.includes("willing init"), status);
  const doc = await page.evaluate(async () => {
    const v = await import("/static/js/verify.js");
    return v.fingerprint(await v.parseVkey(
      "example.org/coalition+b829a658+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"));
  });
  ok("explorer: the fingerprint of docs/FORMAT.md's example key is the one it gives",
    doc === "0baf 8943 4707 146d 078a a4a8 3253 997c", doc);
  if (process.env.INIT_FP)
    ok("explorer: the fingerprint is the one `willing init` printed", fp === process.env.INIT_FP,
      fp + " vs " + process.env.INIT_FP);
}
await page.waitForSelector("#entries table");
await page.fill("#f-kind", "announce,statement");
await page.click("#filter-form button[type=submit]");
await page.waitForFunction(() => document.querySelector("#entries")?.textContent.includes("Willing to lead"));
{
  const t = await text("#entries");
  ok("explorer: the entries list names authors and says what each announcement reveals",
    t.includes("United Kingdom") && t.includes("Freedonia (fictional) announced a pledge: 4000 troops"),
    t.slice(0, 300));
}

// ---- an announcement's page: the revealed pledge, decoded and checked in the browser
async function entryPage() {
  await page.goto(url + "/entry/" + idx);
  await page.waitForSelector("#entry .revealed-checks .overall", { timeout: 20000 });
  return { all: await text("#entry"), checks: await text("#entry .revealed-checks"),
    failed: await page.$$eval("#entry .revealed-checks li.fail", (l) => l.map((x) => x.textContent)),
    passed: await page.$$eval("#entry .revealed-checks li.pass", (l) => l.map((x) => x.textContent)) };
}
{
  const e = await entryPage();
  ok("entry: the announcement is included in the checkpoint",
    (await text("#entry .checks .overall")).includes("This entry is verified."));
  ok("entry: the revealed content is verified in the browser",
    e.checks.includes("Verified: The commitment sealed at entry #") &&
    e.checks.includes("Verified: The content is signed by its author, Freedonia (fictional)") &&
    e.checks.includes("The revealed content is verified") && e.failed.length === 0,
    e.failed.join(" | "));
  const facts = await text("#entry dl.revealed");
  ok("entry: the pledge is shown decoded, with names: member, category, quantity, conditions",
    facts.includes("Freedonia (fictional) (fd)") && facts.includes("ground forces") &&
    facts.includes("4000 troops") && facts.includes("Ukraine holds a binding pledge") &&
    facts.includes("2026-Q2") && !facts.includes("eyJ"), facts);
  ok("entry: the ledger's time and the author's signing time are both shown",
    facts.includes("Signed by its author") && facts.includes("Sealed in the ledger"));
  await axe(page, "entry");
  if (shots) await page.locator("#entry").screenshot({ path: `${shots}/journalist-entry.png` });
}

// tampering: each check fails on its own, and honestly
const entryUrl = (i) => (u) => new URL(u).pathname === "/api/v1/entries/" + i;
const rewrite = async (route, f) => {
  const r = await route.fetch();
  const j = await r.json();
  j.entry = Buffer.from(f(Buffer.from(j.entry, "base64").toString("utf8"))).toString("base64");
  await route.fulfill({ response: r, body: JSON.stringify(j) });
};
const ent = await (await page.request.get(url + "/api/v1/entries/" + idx)).json();
const body = JSON.parse(Buffer.from(ent.entry, "base64").toString("utf8").split("\n")[6]);
{
  // the commitment the log holds, changed
  await page.route(entryUrl(body.sealed), (route) => rewrite(route, (t) =>
    t.replace(/"commitment":"(.)/, (m, c) => '"commitment":"' + (c === "A" ? "B" : "A"))));
  const e = await entryPage();
  ok("tampered: a changed commitment reads Failed (the signature still verifies)",
    e.failed.some((f) => f.startsWith("Failed: The commitment sealed")) &&
    e.passed.some((f) => f.startsWith("Verified: The content is signed")) &&
    e.checks.includes("could not be verified"), e.failed.join(" | "));
  await page.unroute(entryUrl(body.sealed));
}
{
  // the revealed content, changed: 4000 troops become 9000
  await page.route(entryUrl(idx), (route) => rewrite(route, (t) => {
    const l = t.split("\n");
    const b = JSON.parse(l[6]);
    b.content = Buffer.from(Buffer.from(b.content, "base64").toString("utf8")
      .replace('"quantity":"4000"', '"quantity":"9000"')).toString("base64");
    l[6] = JSON.stringify(b);
    return l.join("\n");
  }));
  const e = await entryPage();
  ok("tampered: changed content reads Failed for its signature and its commitment",
    e.all.includes("9000 troops") &&
    e.failed.some((f) => f.startsWith("Failed: The content is signed by its author")) &&
    e.failed.some((f) => f.startsWith("Failed: The commitment sealed")) &&
    !e.checks.includes("The revealed content is verified"), e.failed.join(" | "));
  ok("tampered: and the entry's inclusion fails too",
    (await text("#entry .checks .overall")).includes("could not be verified"));
  await page.unroute(entryUrl(idx));
}
ok("no page error", errors.length === 0, errors.join(" | "));

// ---- a phone: readable labels, the gap column on screen
{
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const p = await phone.newPage();
  await p.goto(url + "/");
  await p.waitForSelector("#coverage .cover");
  await p.waitForSelector("#coverage table");
  const m = await p.evaluate(() => {
    const px = (e) => parseFloat(getComputedStyle(e).fontSize);
    const sel = "#coverage .cover p, #coverage .cover strong, #coverage th, #coverage td, #coverage .small";
    const sizes = [...document.querySelectorAll(sel)].map(px);
    const gap = [...document.querySelectorAll("#coverage thead th")].find((h) => h.textContent === "Gap");
    const col = [...gap.closest("tr").children].indexOf(gap);
    const cells = [gap, ...[...document.querySelectorAll("#coverage tbody tr")].map((r) => r.children[col])];
    return { min: Math.min(...sizes), n: sizes.length, w: window.innerWidth,
      right: Math.max(...cells.map((c) => c.getBoundingClientRect().right)),
      over: document.documentElement.scrollWidth - window.innerWidth,
      table: (() => { const w = document.querySelector("#coverage .table-wrap");
        return w.scrollWidth - w.clientWidth; })() };
  });
  ok(`phone: the coverage's labels and figures are at least 12 px (smallest ${m.min} px of ${m.n})`,
    m.n > 6 && m.min >= 12);
  ok(`phone: the gap column is on screen (its right edge ${Math.round(m.right)} px of ${m.w})`,
    m.right <= m.w);
  ok(`phone: the page does not scroll sideways (overflow ${m.over} px)`, m.over <= 1);
  ok(`phone: nor does the coverage table (overflow ${m.table} px)`, m.table <= 1);
  if (shots) await p.screenshot({ path: `${shots}/journalist-phone.png`, fullPage: true });
  await p.goto(url + "/entry/" + idx);
  await p.waitForSelector("#entry .revealed-checks .overall", { timeout: 20000 });
  const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  ok(`phone: an announcement's page fits (overflow ${over} px)`, over <= 1);
  await axe(p, "phone: entry");
  await phone.close();
}

await browser.close();
process.exit(failures() ? 1 : 0);
