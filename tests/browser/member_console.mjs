// SPDX-License-Identifier: Apache-2.0
// The member's console in Debian's Chromium, as two members sharing one browser
// would use it. Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL DIR (the key files: ID-login.key, ID-console.key) LONG_ID
import fs from "node:fs";
import { ok, failures, launch } from "./tap.mjs";

const [url, dir, long] = process.argv.slice(2);

// every pattern attribute in the console's sources is a regular expression with the v flag
// (how browsers compile it: an invalid one turns validation off without a word). They are
// compiled in Chromium below: Debian 12's Node.js 18 has no v flag.
const sourcePatterns = [];
{
  const web = new URL("../../web/", import.meta.url);
  for (const f of fs.readdirSync(web).map((n) => "" + n).concat(fs.readdirSync(new URL("js/", web))
    .map((n) => "js/" + n))) {
    if (!/\.(html|js)$/.test(f)) continue;
    const text = fs.readFileSync(new URL(f, web), "utf8");
    for (const m of text.matchAll(/pattern(?:=|: )"((?:[^"\\]|\\.)*)"/g))
      sourcePatterns.push([f, f.endsWith(".js") ? JSON.parse('"' + m[1] + '"') : m[1]]);
  }
}

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
{
  const bad = await page.evaluate((ps) => ps.filter(([, p]) => {
    try { new RegExp("^(?:" + p + ")$", "v"); return false; } catch { return true; }
  }).map(([f, p]) => f + ": " + p), sourcePatterns);
  ok("every pattern attribute in web/ compiles with the v flag", sourcePatterns.length > 0 &&
    bad.length === 0, bad.join("; "));
}
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(m.text()); });

// the coalition's members table as CSV: a name that is a formula stays text
await page.goto(url + "/");
await page.waitForSelector("#members table");
{
  const [dl] = await Promise.all([page.waitForEvent("download"),
    page.click("#members a:has-text('This table as CSV')")]);
  const csv = fs.readFileSync(await dl.path(), "utf8");
  ok("console CSV: a cell beginning with = is neutralised, its quotes doubled",
    csv.includes('"xa","\'=HYPERLINK(""http://evil.example/"",""open"")"'), csv.slice(0, 400));
  ok("console CSV: no cell begins with = + - @", !/(^|,)"[=+\-@]/m.test(csv));
}

async function signIn(member, path = "/member") {
  await page.goto(url + path);
  await page.waitForSelector("#signin-form");
  await page.setInputFiles("#keyfile", `${dir}/${member}-login.key`);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#whoami .signed-in", { timeout: 10000 });
  const focus = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a !== document.body ? a.tagName + (a.id ? "#" + a.id : "") : "nothing";
  });
  ok(`signing in as ${member.slice(0, 8)} on ${path} moves focus to the page's heading`,
    focus === "H1", focus);
  await page.waitForSelector(path === "/member" ? "#drafts" : "#clearing");
  await page.setInputFiles("#consolekey", `${dir}/${member}-console.key`);
  await page.waitForSelector(path === "/member" ? "#pledge-form" : "#requirement-form");
}

async function signOut() {
  await page.click("#signout");
  await page.waitForSelector("#signin-form");
}

async function draft(category, quantity, unit) {
  await page.selectOption("#category", category);
  await page.fill("#quantity", quantity);
  await page.fill("#unit", unit);
  await page.click("#pledge-draft");
  await page.waitForFunction((q) => document.querySelector("#drafts")?.textContent.includes(q),
    quantity + " " + unit);
}

// every pattern attribute the pages render compiles, and validates
async function patternsCompile(where) {
  const bad = await page.evaluate(() => [...document.querySelectorAll("[pattern]")]
    .filter((i) => { try { new RegExp(i.pattern, "v"); return false; } catch { return true; } })
    .map((i) => i.id + ": " + i.pattern));
  ok(`${where}: every rendered pattern compiles with the v flag`, bad.length === 0, bad.join("; "));
}

await signIn("gb", "/coordinator");
await patternsCompile("coordinator");
await page.fill("#r-id", "Not An Id");
ok("coordinator: an id against the pattern is invalid in the form",
  await page.evaluate(() => document.getElementById("r-id").validity.patternMismatch));
await signOut();

// xa: a draft kept, one sealed and announced, a pledge amended
await signIn("xa");
await patternsCompile("member");
ok("member: the page says where drafts and salts are kept, for whom",
  /local storage.*under your member id xa/s.test(await page.textContent("#kept")));
await draft("air_defence", "3", "systems");
await draft("air_policing", "6", "aircraft");
await page.click("#drafts tr:has-text('6 aircraft') button:has-text('Submit')");
await page.waitForFunction(() => document.querySelector("#mine")?.textContent.includes("6 aircraft"));

// amending keeps the conditions
await page.click("#mine tr:has-text('4 aircraft logistics') button[data-amend]");
await page.waitForSelector("#pledge-form .notice");
const shown = await page.evaluate(() => ["combine", "c0-type", "c0-a", "c1-type", "c1-a"]
  .map((id) => document.getElementById(id).value).join(" "));
ok("amend: the form shows the pledge's conditions", shown === "all requires gb fact ceasefire-signed", shown);
await page.fill("#quantity", "5");
await page.click("#pledge-submit");
await page.waitForFunction(() => document.querySelector("#mine")?.textContent.includes("5 aircraft logistics"));
const amended = await page.evaluate(async () => (await (await fetch("/api/v1/sealed")).json())
  .sealed.find((s) => s.body && s.body.quantity === "5"));
ok("amend: the new pledge keeps the conditions and names its predecessor",
  JSON.stringify(amended.body.condition) ===
    JSON.stringify({ all: [{ requires: "gb" }, { fact: "ceasefire-signed" }] }) && amended.body.amends,
  JSON.stringify(amended && amended.body));

// Announce, once
const row = "#mine tr:has-text('6 aircraft air policing')";
for (let i = 0; i < 100; i++) { // its batch closes within a second or two
  await page.setInputFiles("#consolekey", `${dir}/xa-console.key`);
  await page.waitForSelector("#pledge-form");
  if (await page.locator(row + " button[data-announce]").count()) break;
  await page.waitForTimeout(200);
}
await page.click(row + " button[data-announce]");
await page.waitForFunction(() => document.querySelector("#write-status")?.textContent.includes("Announced"));
await page.waitForSelector(row + ":has-text('announced: #')", { timeout: 10000 }).catch(() => {});
ok("announce: once announced, Announce is no longer offered (the entry is linked instead)",
  await page.locator(row + " button[data-announce]").count() === 0);
ok("kept: the announced pledge's salt counts as no longer needed",
  (await page.textContent("#clear-done")).includes("(1)"), await page.textContent("#kept-count"));
await signOut();

// the second member on the same browser: none of xa's drafts
await signIn(long);
ok("a second member sees none of the first member's drafts",
  (await page.textContent("#drafts")).includes("No drafts of yours") &&
  !(await page.textContent("main")).includes("3 systems"));
await draft("maritime", "9", "ships");
await signOut();

// xa again: its own draft only; a salt kept under the old shared name moves to xa
const moved = await page.evaluate(() => {
  const k = Object.keys(localStorage).find((x) => x.startsWith("willing.xa.kept."));
  localStorage.setItem("willing.kept." + k.slice("willing.xa.kept.".length), localStorage.getItem(k));
  localStorage.removeItem(k);
  localStorage.setItem("willing.drafts", JSON.stringify([{ pledge: "0".repeat(32),
    category: "training", quantity: "2", unit: "instructors" }]));
  return k;
});
await signIn("xa");
const drafts = await page.textContent("#drafts");
ok("the first member sees its own draft, not the second's",
  drafts.includes("3 systems") && !drafts.includes("9 ships"), drafts);
ok("a salt kept under the old shared name is moved to its member, not lost",
  await page.evaluate((k) => localStorage.getItem(k) !== null &&
    !Object.keys(localStorage).some((x) => /^willing\.kept\./.test(x)), moved));
ok("drafts from before storage was per member are offered, not shown as anyone's",
  (await page.textContent("#old-drafts")).includes("1 draft(s)") && !drafts.includes("2 instructors"));
ok("every key kept is under a member's id",
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("willing."))
    .every((k) => /^willing\.(xa|u[a]+)\.(drafts|kept\.[0-9a-f]{64})$/.test(k) || k === "willing.drafts")));
await page.click("#clear-done");
await page.waitForFunction(() => document.querySelector("#clear-done")?.textContent.includes("(0)"));
const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("willing.xa.kept.")).length);
ok(`clearing salts no longer needed keeps the ones still needed (${left} left)`, left === 1);
page.once("dialog", (d) => d.dismiss());
await page.click("#clear-all");
ok("clearing salts still needed asks first, and keeps them when refused",
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("willing.xa.kept.")).length) === 1);
await signOut();
ok("no error or warning in the console (invalid patterns are reported there)", errors.length === 0,
  errors.join(" | "));

// a phone: long unbroken names and ids do not widen the page
{
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await phone.newPage();
  await p.goto(url + "/member");
  await p.setInputFiles("#keyfile", `${dir}/${long}-login.key`);
  await p.click("#signin-form button[type=submit]");
  await p.waitForSelector("#kept");
  await p.setInputFiles("#consolekey", `${dir}/${long}-console.key`);
  await p.waitForSelector("#pledge-form");
  for (const path of ["/member", "/"]) {
    if (path === "/") {
      await p.goto(url + "/");
      await p.waitForSelector("#members table");
    }
    await p.waitForLoadState("networkidle");
    // what sticks out past the screen's right edge (the page's width, or any text box)
    const over = await p.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("main *")].filter((e) => !e.closest(".table-wrap") &&
        e.getBoundingClientRect().right > w + 1).map((e) => e.tagName + (e.id ? "#" + e.id : ""));
      return { by: document.documentElement.scrollWidth - w, wide };
    });
    ok(`phone: ${path} with a 64-character id and a 154-character name fits 390 px ` +
      `(overflow ${over.by} px)`, over.by <= 1 && over.wide.length === 0, over.wide.join(" "));
  }
  await phone.close();
}

await browser.close();
process.exit(failures() ? 1 : 0);
