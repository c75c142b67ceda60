// SPDX-License-Identifier: Apache-2.0
// The pressure page in Debian's Chromium, over the designations test_pressure_console.sh
// wrote (the demo's six by gb, us and de, one by gb under an HTML-looking name, one of
// OFAC's as reference): the matrix's counts, a clicked cell's gaps and their CSV, a
// screening's candidate with its why, the HTML-looking name shown as text.
// Prints TAP-like lines; exits 1 on any failure. Arguments: URL
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
let errors = []; // what the page logs as an error, or throws
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(e.message));
let alerted = false; // an alert would mean the HTML-looking name ran as markup
page.on("dialog", (d) => { alerted = true; d.dismiss(); });

const until = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 10000 }).then(() => true, () => false);
const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const text = async (sel) => (await page.textContent(sel)) || "";

// The matrix as {row: {column: cell text}}, rows and columns by their header text.
const matrixOf = () => page.$$eval("#matrix-table tr", (trs) => {
  const head = [...trs[0].querySelectorAll("th")].map((h) => h.textContent);
  return Object.fromEntries(trs.slice(1).map((tr) => {
    const tds = [...tr.querySelectorAll("td")].map((td) => td.textContent);
    return [tds[0], Object.fromEntries(tds.map((t, i) => [head[i], t]))];
  }));
});

const r = await page.goto(url + "/pressure");
const filled = await until(() => document.querySelectorAll("#matrix-table button").length > 0);
await page.waitForLoadState("networkidle");
ok(`/pressure loads (${r.status()}) with no console error, the matrix filled`,
  r.status() === 200 && filled && errors.length === 0, errors.join(" | "));
const nav = await page.$$eval("header.top nav a", (as) => as.map((a) => [a.textContent, a.getAttribute("aria-current")]));
ok("the header links the pressure page, marked as this one",
  nav.some(([t, c]) => t === "Pressure" && c === "page"), JSON.stringify(nav));
await axeCheck(page, "pressure");

const a = await api("/api/v1/pressure/alignment");
ok("the data version is shown", (await text("#version")).includes("data version " + a.data_version),
  await text("#version"));
{
  // gb: tanker (with us), trading (with de), markup; us: tanker, person; de: trading, shipping
  const want = { gb: { us: "2", de: "2" }, us: { gb: "1", de: "2" }, de: { gb: "1", us: "2" } };
  const m = await matrixOf();
  const bad = [];
  for (const [x, cols] of Object.entries(want))
    for (const [y, n] of Object.entries(cols)) {
      const got = (m["designated by " + x] || {})["not by " + y];
      const p = a.pairs.find((q) => q.x === x && q.y === y);
      if (got !== n || !p || String(p.x_not_y) !== n) bad.push(`${x} not ${y}: page ${got}, API ${p && p.x_not_y}, want ${n}`);
    }
  ok("the matrix: rows designated by, columns not by, each cell the count of the API", bad.length === 0,
    bad.join("; ") + " " + JSON.stringify(m));
  ok("... each member's own cell empty, and how many it designates",
    m["designated by gb"]["not by gb"] === "—" && m["designated by gb"].Designates === "3" &&
    m["designated by us"].Designates === "2" && m["designated by de"].Designates === "2", JSON.stringify(m));
  ok("OFAC's list is shown apart as a reference, in no row or column",
    (await text("#references")).includes("ofac-sdn") && !Object.keys(m).some((k) => k.includes("ofac")) &&
    !(await text("#matrix-table thead")).includes("ofac"), await text("#references"));
}

// a click on gb not us lists the trading company and the markup name, not the tanker
await page.click('#matrix-table button[data-by="gb"][data-not="us"]');
const listed = await until(() => document.querySelector("#gaps-title") &&
  document.querySelector("#gaps-title").textContent === "Designated by gb, not by us");
const gaps = listed ? await text("#gaps-table tbody") : "";
ok("a click on gb not us lists its two gaps: the trading company and the markup-named one, not the tanker",
  listed && gaps.includes("Illustrative Trading LLC") && gaps.includes("Markup Holdings") &&
  !gaps.includes("Tanker") && (await page.locator("#gaps-table tbody tr").count()) === 2, gaps);
ok("... with the members that do designate them, dated", gaps.includes("de 2024-05-01"), gaps);
ok("... the cell marked as the one shown, the address naming it",
  (await page.getAttribute('#matrix-table button[data-by="gb"][data-not="us"]', "aria-pressed")) === "true" &&
  page.url().endsWith("/pressure?by=gb&not=us"), page.url());
{
  const href = await page.getAttribute("#gaps a[href*='gaps.csv']", "href");
  const csv = href ? await page.evaluate(async (h) => (await fetch(h)).text(), href) : "";
  ok("... and a link to their CSV, the server's", href === "/api/v1/pressure/alignment/gaps.csv?by=gb&not=us" &&
    csv.startsWith("subject,type,name,lists,data_version") && csv.includes("Illustrative Trading LLC"), href);
}
ok("the HTML-looking name is shown as text, not markup",
  gaps.includes("<img src=x id=injected><b id=bold>Markup Holdings</b>") &&
  (await page.locator("#injected, #bold, #gaps img, #gaps b").count()) === 0 && !alerted);

// another cell: us not de is the tanker and the person
await page.click('#matrix-table button[data-by="us"][data-not="de"]');
ok("a click on us not de lists the tanker and the person",
  await until(() => document.querySelector("#gaps-title")?.textContent === "Designated by us, not by de" &&
    document.querySelectorAll("#gaps-table tbody tr").length === 2 &&
    /Tanker/.test(document.querySelector("#gaps-table").textContent) &&
    /Person Three/.test(document.querySelector("#gaps-table").textContent)), await text("#gaps"));

// the address opens a cell
await page.goto(url + "/pressure?by=de&not=gb");
ok("/pressure?by=de&not=gb opens de not gb: the shipping company alone",
  await until(() => document.querySelectorAll("#gaps-table tbody tr").length === 1 &&
    /Illustrative Shipping Ltd/.test(document.querySelector("#gaps-table").textContent)), await text("#gaps"));

// screening a demo subject
await page.fill("#s-name", "Illustrative Tanker One");
await page.click("#screen-form button[type=submit]");
const found = await until(() => document.querySelectorAll("#candidates li").length > 0);
const first = found ? await page.$$eval("#candidates li", (lis) => lis.map((li) => li.textContent)) : [];
ok("screening 'Illustrative Tanker One' finds gb's tanker with its score and why",
  found && first[0].includes("gb:illustrative-1") && first[0].includes("1.00") &&
  (await page.locator("#candidates li .why").first().textContent()).length > 10, JSON.stringify(first));
ok("... said to be candidates, not findings, with the data version",
  (await text("#screen")).includes("Candidates, not findings") && (await text("#screen")).includes("data version"));
await page.fill("#s-name", "");
await page.fill("#s-id", "IMO9000001");
await page.click("#screen-form button[type=submit]");
ok("screening by the IMO number alone finds the tanker in gb's and us's lists",
  await until(() => { const t = document.querySelector("#candidates")?.textContent || "";
    return t.includes("gb:illustrative-1") && t.includes("us:illustrative-1"); }), await text("#screen"));
await page.fill("#s-id", "");
await page.fill("#s-name", "<img src=x id=injected><b id=bold>Markup Holdings</b>");
await page.click("#screen-form button[type=submit]");
ok("screening the markup name shows it as text",
  await until(() => (document.querySelector("#candidates")?.textContent || "").includes("<b id=bold>")) &&
  (await page.locator("#injected, #bold, #screen img").count()) === 0 && !alerted, await text("#screen"));
ok("no console error on the way", errors.length === 0, errors.join(" | "));
await page.fill("#s-name", "x".repeat(600));
await page.click("#screen-form button[type=submit]");
ok("a name the server refuses shows the server's reason",
  await until(() => /Not screened: .*512/.test(document.querySelector("#screen .notice.error")?.textContent)),
  await text("#screen"));

await browser.close();
process.exit(failures() ? 1 : 0);
