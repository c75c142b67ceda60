// SPDX-License-Identifier: Apache-2.0
// The monitors' page in Debian's Chromium, over the reports of
// tests/integration/daily_fixture.sh and UCDP's staged history (test_monitor_console.sh):
// the map of a day against the API at the zoom the page asked (points, clusters' totals,
// oblasts), the type and the day from the form, the timeline's days, a cluster zoomed into
// and asked again, a report's popup with both its times, UCDP's layer and its attribution;
// then signed in as the monitor mon: its reports, and the outbox: a report written while
// the daemon is stopped stays pending, and is sent (logged, its index in the API) once
// the daemon is back (started again here on the same port and database); a report the
// log refuses (observed tomorrow) shows the log's error, and nothing is stored.
// Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL DIR R4 (Kharkiv's casualties) SERVER_PID WILLING DB PORT
import { spawn } from "node:child_process";
import fs from "node:fs";
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url, dir, r4, serverPid, willing, dbPath, port] = process.argv.slice(2);
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const errors = [];
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(e.message));
const until = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 15000 }).then(() => true, () => false);
const shown = (prefix) => until((p) => (document.body.dataset.shown || "").startsWith(p), prefix);
const text = async (sel) => (await page.textContent(sel)) || "";
const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const drawn = () => page.$eval("#map", (m) => ({ ...m.dataset }));
const zoomShown = () => page.evaluate(() => +document.body.dataset.shown.split("|")[2]);

// The map against the API's answer at the zoom the page asked.
async function sameAsApi(what, day, type) {
  const z = await zoomShown();
  const a = await api(`/api/v1/monitor/map?day=${day}&zoom=${z}` + (type ? "&type=" + type : ""));
  const d = await drawn();
  const sum = (xs) => xs.reduce((t, x) => t + x.reports, 0);
  const icons = await page.$$eval(".count-icon.cluster", (xs) => xs.reduce((t, x) => t + +x.textContent, 0));
  const dots = await page.locator("path.report-dot").count();
  ok(`${what}: the map draws the API's ${a.reports} reports at zoom ${z} (${a.points.length} alone, ` +
    `${sum(a.clusters)} in ${a.clusters.length} clusters, ${sum(a.oblasts)} by oblast)`,
  +d.drawn === a.reports && +d.points === a.points.length && dots === a.points.length &&
    +d.clusterReports === sum(a.clusters) && icons === sum(a.clusters) && +d.oblastReports === sum(a.oblasts),
  JSON.stringify({ d, dots, icons, api: a.reports }));
  return a;
}

const r = await page.goto(url + "/monitor?day=2026-03-29");
ok("/monitor answers 200", r.status() === 200);
ok("the reports of 2026-03-29 are drawn", await shown("2026-03-29|all|"));
await page.waitForLoadState("networkidle");
ok("no console error", errors.length === 0, errors.join(" | "));
const nav = await page.$$eval("header.top nav a", (as) => as.map((a) => [a.textContent, a.getAttribute("aria-current")]));
ok("the header links the page as Monitors, marked as this one", nav.some(([t, c]) => t === "Monitors" && c === "page"),
  JSON.stringify(nav));
await axeCheck(page, "the monitors' page");
{
  const a = await sameAsApi("2026-03-29", "2026-03-29");
  ok("the day holds the daily report's 6 reports, one a cluster of 3 near Donetsk at zoom 6, one by oblast",
    a.reports === 6 && (await page.$$eval(".count-icon.oblast", (x) => x.length)) === 1, JSON.stringify(a.clusters));
  ok("the period in Kyiv time and the count", (await text("#period")).includes("6 reports"), await text("#period"));
  ok("the day's daily report is linked", (await page.getAttribute("#daily", "href")) === "/daily?day=2026-03-29");
  const rows = await page.$$eval("#reports tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  ok("the table in words: Kharkiv's report with its type and precision", rows.some((x) => x[0] === "#" + r4 &&
    x[1] === "civilian casualties" && x[3].includes("within 500 m")), JSON.stringify(rows));
}
{
  const bars = await page.$$eval("#timeline-days button", (bs) => bs.map((b) => [b.dataset.day, +b.dataset.reports]));
  const tl = await api("/api/v1/monitor/timeline?to=2026-03-29&days=30");
  ok("the timeline: 30 days ending on the day shown, as the API counts them",
    JSON.stringify(bars) === JSON.stringify(tl.timeline.map((x) => [x.day, x.reports])) && bars.length === 30,
    JSON.stringify(bars.slice(-3)));
  ok("the day shown is pressed in the timeline",
    (await page.getAttribute('#timeline-days button[data-day="2026-03-29"]', "aria-pressed")) === "true");
}

// a report's popup: its type, observed and logged times
await page.locator("path.report-dot").first().click({ force: true });
ok("a report's popup: its type, observed and logged times, its entry", await until(() =>
  !!document.querySelector(".report-pop[data-loaded]")) && /observed .*UTC/.test(await text(".report-pop")) &&
  /logged .*UTC/.test(await text(".report-pop")), await text(".report-pop"));

// a cluster, zoomed into: the page asks again at the new zoom
await page.locator(".count-icon.cluster").first().click();
ok("a cluster selected: the map zooms in and the page asks again", await until(() =>
  +document.body.dataset.shown.split("|")[2] > 6));
await page.waitForLoadState("networkidle");
await sameAsApi("zoomed in", "2026-03-29");
ok("zoomed in, the cluster of 3 splits: the tanks 4 km away alone", +(await drawn()).clusterReports < 3,
  JSON.stringify(await drawn()));

// the type, then the day, from the form
await page.selectOption("#type", "explosion");
await page.click("#pick button[type=submit]");
ok("type explosion from the form, in the address too", await shown("2026-03-29|explosion|") &&
  page.url().includes("type=explosion"));
{
  const a = await sameAsApi("explosions only", "2026-03-29", "explosion");
  ok("explosions only: the one of the period", a.reports === 1);
}
await page.selectOption("#type", "");
await page.fill("#day", "2026-03-30");
await page.click("#pick button[type=submit]");
ok("another day from the form: 2026-03-30", await shown("2026-03-30|all|"));
ok("2026-03-30: the explosions of 16:45Z on the 29th", (await sameAsApi("2026-03-30", "2026-03-30")).reports === 1);

// the timeline's days
await page.click('#timeline-days button[data-day="2026-03-28"]');
ok("a day selected in the timeline is shown: 2026-03-28", await shown("2026-03-28|all|") &&
  page.url().includes("day=2026-03-28"));
ok("2026-03-28: the projectile of 17:20Z", (await sameAsApi("2026-03-28", "2026-03-28")).reports === 1);

// incidents: the two explosions of 2026-03-31 outlined together
await page.goto(url + "/monitor?day=2026-03-31");
ok("2026-03-31 drawn", await shown("2026-03-31|all|"));
{
  const a = await api("/api/v1/incidents?day=2026-03-31");
  const many = a.incidents.filter((i) => i.size > 1);
  const d = await drawn();
  ok("the incidents layer: the API's one incident of 2 reports, one outline",
    many.length === 1 && +d.incidents === 1 && +d.incidentReports === 2 &&
    (await page.locator("path.incident").count()) === 1, JSON.stringify([many.length, d]));
  ok("the page says so", (await text("#incidents-count")).startsWith("1 incident joins two or more reports"),
    await text("#incidents-count"));
  await page.uncheck("#show-incidents");
  ok("the incidents' toggle hides the outline", await until(() => !document.querySelector("path.incident")));
  await page.check("#show-incidents");
}

// UCDP's layer: its own toggle and attribution
await page.goto(url + "/monitor?day=2022-03-01");
ok("a day of UCDP's history: 2022-03-01", await shown("2022-03-01|all|"));
{
  const a = await api("/api/v1/monitor/map?day=2022-03-01");
  ok("UCDP's events of the day drawn in their own layer, none counted as reports",
    a.history.events.length > 0 && +(await drawn()).history === a.history.events.length && +(await drawn()).drawn === 0,
    JSON.stringify([a.history.events.length, await drawn()]));
  const said = await text("#ucdp-attribution");
  ok("the page attributes the layer to UCDP (CC BY 4.0)", said.includes("UCDP") && said.includes("CC BY 4.0"), said);
  ok("the layer is off until asked: no UCDP in the map's attribution",
    !(await text(".leaflet-control-attribution")).includes("UCDP"));
  await page.check("#show-history");
  ok("UCDP's layer on: the map's attribution credits UCDP, CC BY 4.0", await until(() =>
    /UCDP.*CC BY 4\.0/.test(document.querySelector(".leaflet-control-attribution").textContent)),
  await text(".leaflet-control-attribution"));
  await page.uncheck("#show-history");
  ok("UCDP's layer off: its credit leaves with it", await until(() =>
    !document.querySelector(".leaflet-control-attribution").textContent.includes("UCDP")));
}
ok("no console error after all that", errors.length === 0, errors.join(" | "));

// a 390 px phone: nothing wider than the screen, axe-core
{
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
  await phone.goto(url + "/monitor?day=2026-03-29");
  await phone.waitForFunction(() => (document.body.dataset.shown || "").startsWith("2026-03-29"), null, { timeout: 15000 });
  const w = await phone.evaluate(() => document.documentElement.scrollWidth);
  ok("390 px: the page is no wider than the screen (the timeline scrolls in its own box)", w <= 390, String(w));
  await axeCheck(phone, "the monitors' page at 390 px");
}

// ---- the monitor's own section and its outbox ----
const up = async () => fetch(url + "/log/checkpoint").then((r) => r.ok, () => false);
const waitNode = async (cond, what) => {
  for (const t0 = Date.now(); Date.now() - t0 < 20000;) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log("# timed out waiting for " + what);
  return false;
};
const mctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
const mp = await mctx.newPage();
mp.on("pageerror", (e) => errors.push(e.message));
const muntil = (fn, arg) => mp.waitForFunction(fn, arg, { timeout: 15000 }).then(() => true, () => false);
const mine = async () => (await (await fetch(url + "/api/v1/reports?author=mon&limit=1000")).json()).reports;
const before = await mine();
await mp.goto(url + "/monitor?day=2026-03-29");
ok("the public sees no monitor's section", await mp.isHidden("#mine"));
await mp.setInputFiles("#keyfile", dir + "/mon-login.key");
await mp.click("#signin-form button[type=submit]");
ok("signed in as mon, a monitor: its section, with the reports the ledger holds from it",
  await muntil((n) => !document.querySelector("#mine").hidden && document.querySelector("#sent").dataset.count === n,
    String(before.length)) && before.length === 5, String(before.length));
ok("the report form waits for the console key", await mp.$eval("#report-fields", (f) => f.disabled));
await mp.setInputFiles("#consolekey", dir + "/mon-console.key");
ok("the console key loaded: the form is enabled", await muntil(() => !document.querySelector("#report-fields").disabled));
await axeCheck(mp, "the monitor's section");

process.kill(+serverPid, "SIGTERM");
ok("the daemon is stopped", await waitNode(async () => !(await up()), "the daemon to stop"));
const iso = (ms) => new Date(ms).toISOString().slice(0, 16);
await mp.selectOption("#r-type", "explosion");
await mp.fill("#r-lat", "48.12");
await mp.fill("#r-lon", "37.81");
await mp.fill("#r-radius", "500");
await mp.fill("#r-observed", iso(Date.now() - 3600 * 1000));
await mp.selectOption("#r-precision", "600");
await mp.fill("#r-count", "3");
await mp.fill("#r-text", "three explosions to the north-east (browser test)");
await mp.click("#report-form button[type=submit]");
ok("written with the daemon down: signed, queued and pending, the log not reached", await muntil(() => {
  const s = document.querySelector("#outbox-list .state");
  return s && s.dataset.state === "pending" && s.textContent.includes("could not be reached");
}), await mp.textContent("#outbox-list"));
ok("the pending report is kept in IndexedDB", await mp.evaluate(() => new Promise((res) => {
  const rq = indexedDB.open("willing-outbox", 1);
  rq.onsuccess = () => {
    const g = rq.result.transaction("reports").objectStore("reports").getAll();
    g.onsuccess = () => res(g.result.filter((r) => r.member === "mon" && r.state === "pending").length === 1);
  };
})));

const log = fs.openSync(dir + "/mc.log", "a");
const again = spawn(willing, ["serve", "--db", dbPath, "--listen", "127.0.0.1:" + port, "--interval", "100",
  "--seal-interval", "0"], { stdio: ["ignore", "ignore", log], detached: true });
fs.writeFileSync(dir + "/server2.pid", String(again.pid));
ok("the daemon is back on the same port and database", await waitNode(up, "the daemon to start"));
await mp.click("#send-now");
ok("sent once asked: the outbox says sent, with its entry", await muntil(() => {
  const s = document.querySelector("#outbox-list .state");
  return s && s.dataset.state === "sent";
}), await mp.textContent("#outbox-list"));
const index = +(await mp.textContent("#outbox-list .state a")).replace(/\D/g, "");
{
  const r = await (await fetch(url + "/api/v1/reports/" + index)).json();
  ok("the API holds it at that index: mon's explosion, the monitor's words and place",
    r.author === "mon" && r.type === "explosion" && r.report.count === 3 && r.report.location.lat === 48.12 &&
    r.report.text === "three explosions to the north-east (browser test)", JSON.stringify(r));
  ok("the section's reports now list it", await muntil((i) =>
    !!document.querySelector(`#sent a[href="/entry/${i}"]`), index));
}

await mp.fill("#r-lat", "48.12");
await mp.fill("#r-lon", "37.81");
await mp.fill("#r-observed", iso(Date.now() + 86400 * 1000));
await mp.click("#report-form button[type=submit]");
ok("observed tomorrow: refused, with the log's own error naming the field", await muntil(() => {
  const s = [...document.querySelectorAll("#outbox-list .state")].pop();
  return s && s.dataset.state === "refused" && s.textContent.includes("observed") && s.textContent.includes("future");
}), await mp.textContent("#outbox-list"));
ok("nothing stored: mon's reports are the ones before and the one sent",
  (await mine()).length === before.length + 1);
ok("no page error in the monitor's section", errors.length === 0, errors.join(" | "));

await browser.close();
process.exit(failures() ? 1 : 0);
