// SPDX-License-Identifier: Apache-2.0
// Drives Debian's Chromium through the console. Prints TAP-like lines; exits 1
// on any failure. Arguments: URL VKEY OTHER_VKEY LOGIN_KEY_FILE SEALED_ID [SHOTS_DIR]
import { ok, failures, launch } from "./tap.mjs";
import fs from "node:fs";
import crypto from "node:crypto";

const [url, vkey, otherVkey, loginKey, sealedId, coordKey, shots] = process.argv.slice(2);
const axeSource = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
let errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(e.message));

async function visit(path, ready, name) {
  errors = [];
  const t0 = Date.now();
  const r = await page.goto(url + path, { waitUntil: "load" });
  const loadMs = Date.now() - t0;
  await page.waitForSelector(ready, { timeout: 10000 });
  await page.waitForLoadState("networkidle");
  ok(`${name}: loads (${r.status()}) with no console error`, r.status() === 200 && errors.length === 0,
    errors.join(" | "));
  const nav = await page.$$eval("header.top nav a",
    (as) => as.map((a) => [a.getAttribute("href"), a.getAttribute("aria-current")]));
  const hrefs = nav.map((a) => a[0]).join(" ");
  ok(`${name}: the header (nav.js) links every page, one marked as this one`,
    hrefs === "/ /explorer /member /coordinator /flows /deal /daily /monitor /pressure" &&
    nav.filter((a) => a[1] === "page").length === 1, JSON.stringify(nav));
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => v.id + ": " + v.nodes.length);
  });
  ok(`${name}: no serious accessibility violation (axe-core)`, res.length === 0, res.join(", "));
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  return loadMs;
}

// the public page
const ms = await visit("/", "#members table", "coalition");
ok("coalition: the members table lists the members", (await page.textContent("#members")).includes("xa (test)"));
ok("coalition: the statement is announced, with its source",
  (await page.textContent("#announcements")).includes("Willing to lead") &&
  (await page.textContent("#announcements")).includes("Source: a test"));
ok("coalition: the endorsed requirement's coverage is charted and tabled",
  (await page.locator("#coverage .cover li").count()) === 1 && (await page.textContent("#coverage")).includes("lift"));
{
  const [dl] = await Promise.all([page.waitForEvent("download"),
    page.click("#members a:has-text('This table as CSV')")]);
  const csv = fs.readFileSync(await dl.path(), "utf8");
  ok("coalition: a table downloads as CSV", csv.startsWith('"Member","Name","Role","Status","Entry"') &&
    csv.includes('"xa","xa (test)","member","announced"'), csv.slice(0, 120));
}
ok("coalition: nothing sealed shows (no sealed pledge, no sealed member)",
  !(await page.textContent("main")).includes("4 aircraft") && !(await page.textContent("main")).includes("Sx (sealed"));
const size = await page.evaluate(() => performance.getEntriesByType("resource")
  .concat(performance.getEntriesByType("navigation"))
  .reduce((a, e) => a + (e.transferSize || e.encodedBodySize || 0), 0));
// its load time is measured by `make bench` (bench/console.mjs), not asserted here
ok(`coalition: the first page weighs under 300 KB (${size} bytes; loaded in ${ms} ms here)`,
  size < 300 * 1024);

// the explorer, without a key: nothing is claimed as verified
await visit("/explorer", "#checkpoint .checks", "explorer");
ok("explorer: without a key, the checkpoint is not checked and says so",
  (await page.textContent("#checkpoint")).includes("Not checked"));

// with the log's key: the checkpoint and an entry verify in the browser
await page.fill("#vkey", vkey);
await page.click("#key-form button[type=submit]");
await page.waitForSelector("#checkpoint .checks li.pass");
ok("explorer: the checkpoint's signature verifies against the supplied key",
  (await page.textContent("#checkpoint")).includes("Verified: the checkpoint is signed by the key you supplied"));
ok("explorer: the key's fingerprint is shown", (await page.locator("#key-status code.fp").count()) === 1);
if (process.env.WVKEY) {
  await page.fill("#wkeys", process.env.WVKEY);
  await page.click("#witness-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#checkpoint")?.textContent.includes("cosigned by the witness"));
  ok("explorer: the witness's cosignature verifies in the browser",
    (await page.textContent("#checkpoint")).includes("Verified: cosigned by the witness witness.example/w1"));
  // another key under the witness's name: its cosignature must not verify
  // another Ed25519 key under the witness's name, with a valid key ID for it
  const { publicKey } = crypto.generateKeyPairSync("ed25519");
  const pk = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const wname = process.env.WVKEY.split("+")[0];
  const raw = Buffer.concat([Buffer.from([4]), pk]);
  const kid = crypto.createHash("sha256").update(Buffer.concat([Buffer.from(wname + "\n"), raw]))
    .digest().subarray(0, 4).toString("hex");
  const fake = `${wname}+${kid}+${raw.toString("base64")}`;
  await page.fill("#wkeys", fake);
  await page.click("#witness-form button[type=submit]");
  await page.waitForTimeout(300);
  ok("explorer: another key under the witness's name shows the cosignature as failed",
    (await page.textContent("#checkpoint")).includes("Failed: cosigned by the witness"));
  // a quorum of pinned witnesses: the real one and the other key, 1 of 2 required, then 2
  await page.fill("#wkeys", process.env.WVKEY + "\n" + fake);
  await page.fill("#wquorum", "1");
  await page.click("#witness-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#checkpoint")?.textContent.includes("of the 2 pinned"));
  ok("explorer: 1 valid cosignature of 2 pinned keys meets a quorum of 1",
    (await page.textContent("#checkpoint")).includes("Verified: a quorum of witnesses: 1 of the 2 pinned cosigned it, 1 required"));
  await page.fill("#wquorum", "3");
  await page.click("#witness-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#witness-status")?.textContent.includes("at most the 2"));
  ok("explorer: a quorum above the pinned keys is refused, the one saved kept",
    (await page.evaluate(() => localStorage.getItem("willing.quorum"))) === "1");
  await page.fill("#wquorum", "2");
  await page.click("#witness-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#checkpoint")?.textContent.includes("2 required"));
  ok("explorer: 1 valid cosignature of 2 pinned keys fails a quorum of 2, and says so",
    (await page.textContent("#checkpoint")).includes("Failed: a quorum of witnesses: 1 of the 2 pinned cosigned it, 2 required"));
  await page.reload();
  await page.waitForFunction(() => document.querySelector("#checkpoint")?.textContent.includes("a quorum of witnesses"));
  ok("explorer: the pinned keys and the quorum are kept in this browser (after a reload)",
    (await page.inputValue("#wquorum")) === "2" &&
    (await page.textContent("#checkpoint")).includes("Failed: a quorum of witnesses: 1 of the 2 pinned cosigned it, 2 required"));
  // the quorum applies to an entry's proof too: its checkpoint lacks the second cosignature
  await visit("/entry/2", "#entry .overall", "entry, quorum unmet");
  ok("entry: with the pinned quorum unmet on its proof's checkpoint, the entry is not verified",
    (await page.textContent("#entry .overall")).includes("could not be verified") &&
    (await page.textContent("#entry")).includes("Failed: a quorum of witnesses: 1 of the 2 pinned cosigned it, 2 required"));
  await visit("/explorer", "#checkpoint .checks", "explorer");
  await page.fill("#wkeys", process.env.WVKEY);
  await page.fill("#wquorum", "");
  await page.click("#witness-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#checkpoint")?.textContent.includes("1 of the 1 pinned"));
}
await visit("/entry/2", "#entry .overall", "entry");
ok("entry: a permalink shows the entry, verified in the browser",
  (await page.textContent("#entry .overall")).includes("This entry is verified."));

// a tampered proof fails
await page.route("**/api/v1/entries/2/proof", async (route) => {
  const r = await route.fetch();
  const lines = (await r.text()).split("\n");
  const h = lines[2];
  lines[2] = (h[0] === "A" ? "B" : "A") + h.slice(1); // one hash of the path changed
  await route.fulfill({ response: r, body: lines.join("\n") });
});
await page.goto(url + "/entry/2");
await page.waitForSelector("#entry .overall");
ok("entry: a tampered inclusion proof shows as failed, never as verified",
  (await page.textContent("#entry .overall")).includes("could not be verified") &&
  (await page.locator("#entry li.fail").count()) >= 2);
await page.unroute("**/api/v1/entries/2/proof");

// a checkpoint signed by another key fails
await page.fill("#vkey", otherVkey);
await page.click("#key-form button[type=submit]");
await page.waitForSelector("#checkpoint .checks li.fail");
ok("explorer: a checkpoint checked against another log's key shows as failed",
  (await page.textContent("#checkpoint")).includes("Failed: the checkpoint is signed by the key you supplied"));
await page.waitForSelector("#entry .overall");
ok("entry: and the entry is then not verified either",
  (await page.textContent("#entry .overall")).includes("could not be verified"));
await page.fill("#vkey", vkey);
await page.click("#key-form button[type=submit]");

// the Atom feed
const feed = await (await page.request.get(url + "/feed.atom")).text();
ok("the Atom feed carries the announcement", feed.includes("<feed") && feed.includes("Willing to lead"));

// security headers on the pages
const head = await page.request.get(url + "/");
const csp = head.headers()["content-security-policy"] || "";
ok("pages carry a CSP with no inline script", csp.includes("script-src 'self'") && !csp.includes("unsafe-inline"));

if (loginKey) {
  // a member signs in with its login key file; the key never leaves the browser
  await visit("/member", "#signin-form", "member-signin");
  await page.setInputFiles("#keyfile", loginKey);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#whoami .signed-in", { timeout: 10000 });
  ok("member: signs in with a login key file", (await page.textContent("#whoami")).includes("xa"));
  const cookies = await context.cookies();
  const s = cookies.find((c) => c.name === "wl_session");
  ok("member: the session cookie is HttpOnly and SameSite=Strict", s && s.httpOnly && s.sameSite === "Strict");
  await page.waitForSelector("#mine table");
  ok("member: sees its sealed pledge and who can read it",
    (await page.textContent("#mine")).includes("logistics") && (await page.textContent("#mine")).includes(sealedId.slice(0, 12)));
  {
    await page.evaluate(axeSource);
    const v = await page.evaluate(async () => (await globalThis.axe.run(document))
      .violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id));
    ok("member: no serious accessibility violation once signed in", v.length === 0, v.join(", "));
  }
  if (shots) await page.screenshot({ path: `${shots}/member.png`, fullPage: true });
  // writing from the console: a console key, a sealed pledge, a draft, an announcement
  await page.setInputFiles("#consolekey", loginKey.replace("xa-login", "xa-console"));
  await page.waitForSelector("#pledge-form");
  const registry = await (await page.request.get(url + "/api/v1/registry")).json();
  const listed = JSON.stringify(registry.categories.map((c) => c.category));
  const offered = await page.$$eval("#category option", (o) => o.map((x) => x.value));
  ok("member: the category select lists what /api/v1/registry lists", JSON.stringify(offered) === listed,
    offered.join(","));
  await page.selectOption("#category", "air_policing");
  await page.fill("#quantity", "6");
  await page.fill("#unit", "aircraft");
  await page.fill("#period", "2026-Q4");
  await page.selectOption("#c0-type", "fact");
  await page.fill("#c0-a", "ceasefire-signed");
  await page.click("#pledge-draft");
  await page.waitForSelector("#drafts table");
  ok("member: a draft is kept in the browser, nothing sent",
    (await page.textContent("#drafts")).includes("6 aircraft") &&
    !(await page.textContent("#mine")).includes("6 aircraft"));
  await page.click("#drafts button:has-text('Submit')");
  await page.waitForFunction(() => document.querySelector("#mine")?.textContent.includes("6 aircraft"));
  ok("member: the draft, submitted, is sealed from the browser with the console key",
    (await page.textContent("#write-status")).includes("Draft sealed"));
  await page.waitForTimeout(2500); // its batch (1 s)
  await page.setInputFiles("#consolekey", loginKey.replace("xa-login", "xa-console"));
  await page.waitForSelector("#mine button[data-announce]");
  await page.click("#mine button[data-announce]");
  await page.waitForFunction(() => document.querySelector("#write-status")?.textContent.includes("Announced"));
  const idx = Number((await page.textContent("#write-status")).match(/entry #([0-9]+)/)[1]);
  const ent = await (await page.request.get(url + "/api/v1/entries/" + idx)).json();
  ok("member: announces it from the browser, and the entry says it came from the console",
    ent.kind === "announce" && ent.key_scope === "console");
  await page.click("#mine tr:has-text('6 aircraft air policing') button[data-amend]");
  await page.waitForSelector("#pledge-form .notice");
  await page.fill("#quantity", "8");
  await page.click("#pledge-submit");
  await page.waitForFunction(() => document.querySelector("#write-status")?.textContent.includes("(amending"));
  await page.waitForFunction(() => document.querySelector("#mine")?.textContent.includes("8 aircraft air policing"));
  ok("member: amends a pledge from the browser (a new sealed pledge naming its predecessor)", true);
  const before = await page.request.get(url + "/api/v1/whoami");
  ok("member: the session authenticates API reads", before.status() === 200);
  const forged = await page.request.post(url + "/api/v1/logout", { headers: { "content-type": "application/json" }, data: "{}" });
  ok("member: a state change without the CSRF token is refused (403)", forged.status() === 403);
  await page.click("#signout");
  await page.waitForSelector("#signin-form");
  const after = await page.request.get(url + "/api/v1/whoami", {
    headers: { cookie: "wl_session=" + s.value } });
  ok("member: after sign-out the old session is refused (401)", after.status() === 401);
}

if (loginKey) {
  await page.goto(url + "/");
  await page.waitForSelector("#announcements ol");
  ok("the pledge announced from the console appears on the public page",
    (await page.textContent("#announcements")).includes("6 aircraft for air policing"));
  const f = await (await page.request.get(url + "/feed.atom")).text();
  ok("  ... and in the Atom feed", f.includes("air_policing 6 aircraft"));
}

if (coordKey) {
  // the coordinator signs in, runs the clearing and sees each pledge's reason
  await visit("/coordinator", "#signin-form", "coordinator-signin");
  await page.setInputFiles("#keyfile", coordKey);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#clearing table", { timeout: 10000 });
  await page.click("#run-clearing");
  await page.waitForSelector("#clearing table");
  const text = await page.textContent("#clearing");
  ok("coordinator: runs the clearing and sees the sealed pledges with their reasons",
    text.includes("4 aircraft logistics") && text.includes("ua") && /requires|ua holds no binding/.test(text),
    text.slice(0, 300));
  await page.waitForSelector("#all-members table");
  ok("coordinator: sees every member with its status, the sealed one too",
    (await page.textContent("#all-members")).includes("Sx (sealed, test)invitedno (sealed)") ||
    /Sx \(sealed, test\)\s*member\s*invited\s*no \(sealed\)/.test(await page.innerText("#all-members")));
  errors = [];
  await page.evaluate(axeSource);
  const v = await page.evaluate(async () => (await globalThis.axe.run(document))
    .violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id));
  ok("coordinator: no serious accessibility violation once signed in", v.length === 0, v.join(", "));
  if (shots) await page.screenshot({ path: `${shots}/coordinator.png`, fullPage: true });

  // the requirements editor and the facts, written from the console
  const dir = coordKey.slice(0, coordKey.lastIndexOf("/"));
  await page.setInputFiles("#consolekey", dir + "/gb-console.key");
  await page.waitForSelector("#requirement-form");
  {
    const registry = await (await page.request.get(url + "/api/v1/registry")).json();
    const offered = await page.$$eval("#r-category option", (o) => o.map((x) => x.value));
    ok("coordinator: the category select lists what /api/v1/registry lists",
      JSON.stringify(offered) === JSON.stringify(registry.categories.map((c) => c.category)) &&
      offered.length > 0, offered.join(","));
    const pr = await page.$eval("#r-priority", (i) => [Number(i.min), Number(i.max)]);
    ok("coordinator: the priority field's range is the registry's",
      pr[0] === registry.priority.min && pr[1] === registry.priority.max, pr.join("-"));
  }
  await page.fill("#r-id", "sealift");
  await page.selectOption("#r-category", "maritime");
  await page.fill("#r-quantity", "3");
  await page.fill("#r-unit", "ships");
  await page.fill("#r-needed", "2026-Q4");
  await page.click("#requirement-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#requirements")?.textContent.includes("sealift"));
  ok("coordinator: sets a requirement from the console", (await page.textContent("#write-status")).includes("sealift set"));
  await page.fill("#fact-name", "ceasefire-signed");
  await page.click("#fact-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#facts table")?.textContent.includes("ceasefire-signed"));
  ok("coordinator: records a fact, and the clearing follows it",
    (await page.textContent("#clearing")).includes("Facts recorded: ceasefire-signed"));
  await page.click("#signout");
  await page.waitForSelector("#signin-form");

  // the host nation endorses it
  await page.setInputFiles("#keyfile", dir + "/ua-login.key");
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#requirements", { timeout: 10000 });
  await page.setInputFiles("#consolekey", dir + "/ua-console.key");
  await page.waitForSelector("#requirements button[data-endorse='sealift']");
  await page.click("#requirements button[data-endorse='sealift']");
  await page.waitForFunction(() => document.querySelector("#write-status")?.textContent.includes("Endorsed sealift"));
  ok("host nation: endorses the requirement with its own key, from the console", true);
  await page.click("#signout");
  await page.waitForSelector("#signin-form");
}

// a phone: the public page and the explorer fit, and stay accessible
{
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const p = await phone.newPage();
  for (const path of ["/", "/explorer"]) {
    await p.goto(url + path);
    await p.waitForLoadState("networkidle");
    const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    ok(`phone: ${path} fits a 390 px screen (overflow ${over} px)`, over <= 1);
    await p.evaluate(axeSource);
    const v = await p.evaluate(async () => (await globalThis.axe.run(document))
      .violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id));
    ok(`phone: ${path} has no serious accessibility violation`, v.length === 0, v.join(", "));
    if (shots) await p.screenshot({ path: `${shots}/phone${path === "/" ? "-coalition" : "-explorer"}.png` });
  }
  await phone.close();
}

await browser.close();
process.exit(failures() ? 1 : 0);
