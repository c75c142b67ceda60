// SPDX-License-Identifier: Apache-2.0
// The pressure page in Debian's Chromium, over the designations test_pressure_console.sh
// wrote (the demo's six by gb, us and de, one by gb under an HTML-looking name, one of
// OFAC's as reference): the matrix's counts, a clicked cell's gaps and their CSV, a
// screening's candidate with its why, the HTML-looking name shown as text; screening by
// two identifiers at once, a CSV file of names (its rows, a refused one, the server's CSV
// answer), a facility's counterparties, and the lists' import snapshots.
// Prints TAP-like lines; exits 1 on any failure. Arguments: URL
import fs from "node:fs";
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

// two identifiers at once: each its own id=, each finding its subject
let asked = "";
page.on("request", (q) => { if (q.url().includes("/api/v1/pressure/screen")) asked = q.url(); });
await page.fill("#s-name", "");
await page.fill("#s-id", "IMO9000001\nregistration:REG-4444");
await page.click("#screen-form button[type=submit]");
ok("two identifiers, one a line: both sent and both subjects found (gb's tanker, de's shipping company)",
  await until(() => { const t = document.querySelector("#candidates")?.textContent || "";
    return t.includes("gb:illustrative-1") && t.includes("de:illustrative-4"); }) &&
  new URL(asked).searchParams.getAll("id").join("|") === "IMO9000001|registration:REG-4444",
  asked + " " + (await text("#screen")));
await page.fill("#s-id", "");

// a CSV of names: posted as text/csv, each row shown, a refused row alone, the CSV answer
{
  const csv = "name,ref\r\nIllustrative Tanker One,r-1\r\n" +
    "<img src=x id=injected><b id=bold>Markup Holdings</b>,r-2\r\n" + "x".repeat(600) + ",r-3\r\n";
  await page.setInputFiles("#s-file", { name: "names.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const posted = page.waitForRequest((q) => q.method() === "POST" && q.url().endsWith("/api/v1/pressure/screen"));
  await page.click("#csv-form button[type=submit]");
  const req = await posted;
  ok("the CSV file is posted to the screening, Content-Type text/csv",
    req.headers()["content-type"] === "text/csv", JSON.stringify(req.headers()));
  const shown = await until(() => document.querySelectorAll("#csv-results tbody tr").length === 3);
  const rows = shown ? await page.$$eval("#csv-results tbody tr", (trs) => trs.map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => td.textContent))) : [];
  ok("each row shown with its line and reference: the tanker's candidates",
    rows.length === 3 && rows[0][0] === "2" && rows[0][1] === "r-1" && rows[0][3].includes("gb:illustrative-1") &&
    rows[0][3].includes("1.00"), JSON.stringify(rows));
  ok("... the HTML-looking name as text, with its candidate",
    rows.length === 3 && rows[1][2].includes("<b id=bold>") && rows[1][3].includes("gb:markup-5") &&
    (await page.locator("#injected, #bold, #screen-csv img").count()) === 0 && !alerted, JSON.stringify(rows));
  ok("... the 600-byte name refused alone, by its line and why",
    rows.length === 3 && rows[2][0] === "4" && /Refused: name_too_long/.test(rows[2][3]) &&
    /3 row\(s\) screened, 1 refused/.test(await text("#csv-summary")), JSON.stringify(rows));
  const saved = page.waitForEvent("download", { timeout: 10000 }).catch(() => null);
  await page.click("#csv-answer-get");
  const d = await saved;
  const body = d ? fs.readFileSync(await d.path(), "utf8") : "";
  ok("... and the server's CSV answer downloaded, names-screened.csv",
    d !== null && d.suggestedFilename() === "names-screened.csv" && body.startsWith("line,ref,name,error,message,rank") &&
    body.includes(",gb,illustrative-1,") &&
    body.includes("name_too_long"), body.slice(0, 300));
}

// the counterparties of a facility
await page.fill("#c-facility", "fac-1");
await page.click("#cp-form button[type=submit]");
{
  const shown = await until(() => document.querySelectorAll("#cp-results tbody tr").length === 3);
  const rows = shown ? Object.fromEntries(await page.$$eval("#cp-results tbody tr", (trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll("td")].map((d) => d.textContent);
    return [td[0], td];
  }))) : {};
  const a = await api("/api/v1/pressure/screen/counterparties?facility=fac-1");
  ok("a facility's contracts listed with their counterparties, as the API gives them",
    shown && a.contracts.length === 3 && (await text("#cp-summary")).includes("3 contract(s) under fac-1") &&
    (await text("#cp-summary")).includes("data version " + a.data_version), JSON.stringify(rows));
  ok("... the designated contractor's candidates shown",
    (rows["c-trading"] || [])[3]?.includes("Illustrative Trading LLC (GB)") &&
    /(gb|de):illustrative-2/.test((rows["c-trading"] || [])[4]), JSON.stringify(rows["c-trading"]));
  ok("... a contract without a counterparty said so",
    (rows["c-none"] || [])[3] === "(none named)", JSON.stringify(rows["c-none"]));
  ok("... the HTML-looking counterparty as text",
    (rows["c-markup"] || [])[3]?.includes("<b id=bold>") &&
    (await page.locator("#injected, #bold, #counterparties img").count()) === 0 && !alerted,
    JSON.stringify(rows["c-markup"]));
}
await page.fill("#c-facility", "no-such-facility");
await page.click("#cp-form button[type=submit]");
ok("an unknown facility shows the server's refusal",
  await until(() => /Not screened: /.test(document.querySelector("#counterparties .notice.error")?.textContent)),
  await text("#counterparties"));

// the import snapshots
{
  const a = await api("/api/v1/pressure/snapshots");
  const snapRows = () => page.$$eval("#snap-table tbody tr", (trs) => trs.map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  const want = (s) => [s.list, s.date, "#" + s.entry, ...["subjects", "added", "amended", "delisted"]
    .map((k) => String(s.counts[k])), s.base == null ? "(the list's first)" : "#" + s.base, s.file];
  const shown = await until(() => document.querySelectorAll("#snap-table tbody tr").length === 3);
  const rows = shown ? await snapRows() : [];
  ok("the imports listed as the API gives them: OFAC's two in order, then the UN's",
    a.snapshots.length === 3 && JSON.stringify(rows) === JSON.stringify(a.snapshots.map(want)) &&
    rows[0][1] === "2024-01-10" && rows[1][1] === "2024-02-10" && rows[1][5] === "3" && rows[2][0] === "un-sc" &&
    rows[1][7] === rows[0][2] && rows[0][7] === "(the list's first)" &&
    (await text("#snap-summary")).includes("data version " + a.data_version), JSON.stringify(rows));
  ok("... each linking its entry, with the CSV of them all",
    (await page.getAttribute("#snap-table tbody tr a", "href")) === "/entry/" + a.snapshots[0].entry &&
    (await page.getAttribute("#snapshots a[href*='snapshots.csv']", "href")) === "/api/v1/pressure/snapshots.csv");
  await page.selectOption("#snap-list", "un-sc");
  const one = await until(() => document.querySelectorAll("#snap-table tbody tr").length === 1);
  const href = await page.getAttribute("#snapshots a[href*='snapshots.csv']", "href");
  const csv = href ? await page.evaluate(async (h) => (await fetch(h)).text(), href) : "";
  ok("a list chosen shows its imports alone, its CSV linked",
    one && (await snapRows())[0][0] === "un-sc" && href === "/api/v1/pressure/snapshots.csv?list=un-sc" &&
    csv.startsWith("list,date,file,") && csv.includes("un-sc,2024-03-01") && !csv.includes("ofac-sdn"),
    href + " " + csv);
}
await axeCheck(page, "pressure with every screening and the imports shown");

await browser.close();
process.exit(failures() ? 1 : 0);
