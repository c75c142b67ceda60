// SPDX-License-Identifier: Apache-2.0
// The monitors' daily report page in Debian's Chromium, over the reports of
// tests/integration/daily_fixture.sh (test_daily_console.sh): the period, each table as
// the API gives it, another day from the form, and the page printed to DIR/daily.pdf by
// Chromium's own print (the print stylesheet), which the shell script reads back.
// Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL DIR R1 (explosions in bz) R2 (tanks in bz) R3 (restriction) R4 (casualties) R5 (next day)
// TH (a threshold: bz's ceasefire violations above 5 on 1 day)
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url, dir, r1, r2, r3, r4, r5, th] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const errors = [];
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(e.message));
const shown = (day) => page.waitForFunction((d) => document.body.dataset.shown === d, day, { timeout: 15000 })
  .then(() => true, () => false);
const text = async (sel) => (await page.textContent(sel)) || "";
const rowsOf = (sel) => page.$$eval(sel + " tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));

const r = await page.goto(url + "/daily?day=2026-03-29");
ok("/daily answers 200", r.status() === 200);
ok("the report of 2026-03-29 is drawn", await shown("2026-03-29"));
ok("no console error", errors.length === 0, errors.join(" | "));
const nav = await page.$$eval("header.top nav a", (as) => as.map((a) => [a.textContent, a.getAttribute("aria-current")]));
ok("the header links the page, marked as this one", nav.some(([t, c]) => t === "Daily report" && c === "page"),
  JSON.stringify(nav));
await axeCheck(page, "the daily report");
{
  const p = await text("#period");
  ok("the period in Kyiv time, the clocks changed within it, and 6 reports",
    p.includes("2026-03-28 19:30 (UTC+02:00)") && p.includes("2026-03-29 19:30 (UTC+03:00)") && p.includes("6 reports"), p);
}
{
  const rows = await rowsOf("#summary");
  const head = rows[0];
  const col = (name) => head.indexOf(name);
  const don = rows.find((x) => x[0] === "Донецька область") || [];
  ok("by region: Donetsk 3 reports, 6 ceasefire violations, 5 explosions, 1 projectile",
    don[col("Reports")] === "3" && don[col("Ceasefire violations")] === "6" && don[col("explosion")] === "5" &&
    don[col("projectile")] === "1", JSON.stringify([head, don]));
  const all = rows.find((x) => x[0] === "All regions") || [];
  ok("the total row: 6 reports, 10 violations (5 + 1 + 4 bursts in Kyiv)",
    all[col("Reports")] === "6" && all[col("Ceasefire violations")] === "10", JSON.stringify(all));
}
{
  const rows = await rowsOf("#zones");
  ok("inside the zones: bz, 3 reports, 6 violations, 3 tanks", rows.some((x) => x[0] === "bz" && x[2] === "3" &&
    x[3] === "6" && x[4] === "3 tank"), JSON.stringify(rows));
  const cr = await rowsOf("#compliance");
  const head = cr[0] || [];
  const bz = cr.find((x) => x[0] === "bz") || [];
  ok("compliance: bz's ceasefire violations over seven days, 1 on the 28th (R6), 6 on the 29th, none near its boundary",
    head.length === 9 && head[1] === "03-23" && head[7] === "03-29" && bz[6] === "1" && bz[7] === "6" &&
    bz[1] === "0" && bz[8] === "none", JSON.stringify([head, bz]));
  const ct = await text("#compliance");
  ok("the report naming only Zaporizhzhia counted by oblast, in no zone", ct.includes("Запорізька область 1"), ct);
  const al = await rowsOf("#alerts");
  ok("the alert in force: the threshold linked to its entry, bz, the day's figure 6",
    al.length === 2 && al[1][0] === "#" + th && al[1][1] === "bz" && al[1][3] === "03-29: 6" &&
    (await page.locator(`#alerts a[href='/entry/${th}']`).count()) === 1, JSON.stringify(al));
  const rs = await rowsOf("#restrictions");
  ok("the restriction: a denial at Vasylivka, with the monitor's words",
    rs.some((x) => x[0] === "#" + r3 && x[1] === "denial" && x[2].startsWith("Vasylivka") &&
      x[4] === "denied passage at a checkpoint"), JSON.stringify(rs));
  const n = await text("#notable");
  ok("notable: the tanks inside the zone and the casualties, linked to their entries",
    (await page.locator(`#notable a[href='/entry/${r2}']`).count()) === 1 &&
    (await page.locator(`#notable a[href='/entry/${r4}']`).count()) === 1 && n.includes("civilian casualties"), n);
  const annex = await rowsOf("#annex");
  ok("the annex: every report of the period, one row each, the explosions first by index",
    annex.length === 7 && annex.some((x) => x[0] === "#" + r1 && x[5] === "explosion" && x[9] === "bz") &&
    !annex.some((x) => x[0] === "#" + r5), JSON.stringify(annex.map((x) => x[0])));
}

await page.pdf({ path: `${dir}/daily.pdf`, format: "A4", printBackground: false });
ok("printed to PDF by the browser", true);

await page.fill("#day", "2026-03-30");
await page.click("#pick button[type=submit]");
ok("another day from the form: 2026-03-30, in the address too", await shown("2026-03-30") &&
  page.url().endsWith("/daily?day=2026-03-30"));
ok("that day holds the report of 19:45 EEST on the 29th", (await rowsOf("#annex")).some((x) => x[0] === "#" + r5));
await page.goto(url + "/daily?day=2026-02-30");
ok("a day that is not one: the page says so", await shown("error") && (await text("#summary")).includes("YYYY-MM-DD"));

await browser.close();
process.exit(failures() ? 1 : 0);
