// SPDX-License-Identifier: Apache-2.0
// The flows page in Debian's Chromium, over flows the CLI wrote (test_flows_console.sh):
// what the public sees, the currency conversion, and the host nation confirming and
// disputing from the page. Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL DIR (the key files) DELIVERY PAID USD TODAY SEALED_DELIVERY
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url, dir, delivery, paid, usd, today, sealed] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
let errors = []; // what the page logs as an error, or throws
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(e.message));

// a condition in the page, waited for with a deadline: true when it held, false after 10 s
const until = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 10000 }).then(() => true, () => false);
const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const text = async (sel) => (await page.textContent(sel)) || "";
// 777 as a word of its own: a flow id or a hash is hex and may hold the digits 777
const has777 = (s) => s.split(/[^0-9A-Za-z.]+/).includes("777");

// A table's rows as objects keyed by its header cells' text.
const rowsOf = (sel) => page.$$eval(sel + " tr", (trs) => {
  const head = [...trs[0].querySelectorAll("th")].map((h) => h.textContent);
  return trs.slice(1).map((tr) => Object.fromEntries([...tr.querySelectorAll("td")]
    .map((td, i) => [head[i], td.textContent])));
});
const rowFor = async (sel, member, unit) => (await rowsOf(sel))
  .find((r) => r.Member.includes(member) && r["Unit or currency"] === unit) || {};

async function loaded() {
  await page.waitForSelector("#flow-table, #flows p:not(.loading)");
  await page.waitForSelector("#member-table");
  await page.waitForSelector("#instrument-tree");
  await page.waitForSelector("figure.flowchart");
}

// the public
errors = [];
const r = await page.goto(url + "/flows");
await loaded();
await page.waitForLoadState("networkidle");
ok(`public: /flows loads (${r.status()}) with no console error`, r.status() === 200 && errors.length === 0,
  errors.join(" | "));
const nav = await page.$$eval("header.top nav a", (as) => as.map((a) => [a.textContent, a.getAttribute("aria-current")]));
ok("public: the header links the flows page, marked as this one",
  nav.some(([t, c]) => t === "Aid flowing" && c === "page"), JSON.stringify(nav));
await axeCheck(page, "public");
ok("public: the page says it shows announced flows only",
  (await text("#viewer")).includes("announced flows only"));

{
  const m = await rowFor("#member-table", "xa", "missiles");
  ok("public: xa's missiles as written: 5000 pledged, 500 delivered (reported), 0 confirmed",
    m.Pledged === "5000" && m["Delivered (reported)"] === "500" && m["Confirmed by the host nation"] === "0",
    JSON.stringify(m));
  const g = await rowFor("#member-table", "xa", "GBP");
  ok("public: xa's GBP disbursement as written, to the penny: 200000000.5 (reported)",
    g["Disbursed (reported)"] === "200000000.5", JSON.stringify(g));
  const u = await rowFor("#member-table", "xa", "USD");
  ok("public: xa's USD commitment: 1000", u.Committed === "1000", JSON.stringify(u));
}
ok("public: the sealed delivery of 777 missiles is nowhere on the page",
  !has777(await text("main")));
{
  const href = await page.getAttribute("#by-member a:has-text('Download every flow')", "href");
  const [st, csv] = await page.evaluate(async (h) => { const x = await fetch(h); return [x.status, await x.text()]; }, href);
  ok("public: every flow as CSV: the three public flows, not the sealed one",
    st === 200 && [delivery, paid, usd].every((id) => csv.includes(id)) && !csv.includes(sealed) &&
    !has777(csv), st + " " + csv.slice(0, 300));
}
{
  const f = await text("li[data-instrument='xa-facility'] > p.nums");
  const c = await text("li[data-instrument='xa-contract'] > p.nums");
  ok("public: the facility: 1600000000 GBP, drawn 200000000.5, left 1399999999.5",
    f.includes("1600000000 GBP") && f.includes("drawn 200000000.5") && f.includes("left 1399999999.5"), f);
  ok("public: the contract sits under its facility, its possible 500000000 more shown as not counted",
    (await page.locator("li[data-instrument='xa-facility'] ul.tree li[data-instrument='xa-contract']").count()) === 1 &&
    c.includes("1160000000 GBP") && c.includes("500000000 GBP more (shown, never counted)"), c);
}
{
  const desc = await page.$$eval("figure.flowchart svg[role=img]", (ss) => ss.map((s) =>
    [s.closest("figure").dataset.measure, s.querySelector("desc").textContent,
      s.getAttribute("aria-labelledby").split(" ").every((id) => document.getElementById(id))]));
  const miss = desc.find(([m]) => m === "missiles") || [];
  ok("public: a chart for missiles, its text alternative giving the cumulative 5000 pledged, " +
    "500 delivered, 0 confirmed", /pledged 5000, delivered or disbursed as reported 500, confirmed received 0/
    .test(miss[1] || "") && miss[2], JSON.stringify(desc));
  ok("public: money and missiles are never drawn on one chart (one per unit or currency)",
    desc.map(([m]) => m).sort().join() === "GBP,USD,missiles", JSON.stringify(desc.map(([m]) => m)));
}
{
  const s = await api("/api/v1/flows/summary?by=member");
  const lag = s.rows.find((x) => x.key === "xa").lag_days;
  const row = (await rowsOf("#lag table")).find((x) => x.Member.includes("xa")) || {};
  ok(`public: the lag shown is the API's (median ${lag.median}, p90 ${lag.p90} days over ${lag.pledges})`,
    row["Median (days)"] === String(lag.median) && row["90th percentile (days)"] === String(lag.p90) &&
    row["Pledges delivered on"] === String(lag.pledges), JSON.stringify(row));
}

// the list's filters ask the API: the disbursements only, then every stage again
await page.selectOption("#f-stage", "disbursement");
ok("public: filtered by stage, the list shows the one disbursement and nothing else",
  await until((p) => { const t = document.querySelector("#flow-table")?.textContent || "";
    return t.includes("200000000.5 GBP") && !t.includes("500 missiles") && !t.includes("1000 USD"); }, paid));
await page.selectOption("#f-stage", "");
await until(() => document.querySelector("#flow-table")?.textContent.includes("500 missiles"));

// a currency: the converted totals, every rate used, and what no rate converts
await page.selectOption("#currency", "EUR");
await page.waitForSelector("#rates-used table");
{
  const rates = await rowsOf("#rates-used table");
  ok("EUR: the rate used is listed: 2025-03-03 GBP to EUR 1.2095, with its entry",
    rates.length === 1 && rates[0].Date === "2025-03-03" && rates[0].From === "GBP" &&
    rates[0].To === "EUR" && rates[0].Rate === "1.2095" && /^#[0-9]+$/.test(rates[0].Entry), JSON.stringify(rates));
  ok("EUR: the GBP disbursement converts exactly: 200000000.5 x 1.2095 = 241900000.60475",
    (await text("#converted-table")).includes("241900000.60475"), await text("#converted"));
  const nc = await text("#not-convertible");
  ok("EUR: the USD commitment is shown as not convertible, not guessed",
    nc.includes("USD") && nc.includes("not convertible") && nc.includes(usd.slice(0, 12)), nc);
  const href = await page.getAttribute("#by-member a:has-text('Download these figures in EUR')", "href");
  const csv = await page.evaluate(async (h) => { const x = await fetch(h); return [x.status, await x.text()]; }, href);
  ok("EUR: the CSV link asks the same currency and answers", /currency=EUR/.test(href) && csv[0] === 200,
    href + " " + csv[0]);
}

// the host nation signs in with its login key, loads its console key, confirms in part
await page.setInputFiles("#keyfile", `${dir}/ua-login.key`);
await page.click("#signin-form button[type=submit]");
await page.waitForSelector("#whoami .signed-in");
await page.waitForFunction(() => document.querySelector("#viewer-says")?.dataset.view === "all");
await loaded();
ok("host: every flow is shown, the sealed delivery of 777 included",
  (await text("#flow-table")).includes("777 missiles"));
await page.setInputFiles("#consolekey", `${dir}/ua-console.key`);
await page.waitForSelector(`button[data-confirm='${delivery}']`);
const confirms = async () => (await api("/api/v1/entries?kind=flow.confirm")).entries;
const before = (await confirms()).length;

await page.click(`button[data-confirm='${delivery}']`);
await page.fill("#received", "400");
await page.fill("#received-date", today);
await page.click("#confirm-form button[type=submit]");
await page.waitForFunction(() => /Confirmed: entry #[0-9]+/.test(document.querySelector("#answer-box")?.textContent));
{
  const n = Number(/entry #([0-9]+)/.exec(await text("#answer-box"))[1]);
  const e = (await confirms()).find((x) => x.index === n);
  ok("host: the confirmation made in the page is an entry of kind flow.confirm by ua, as filled in",
    e && e.author === "ua" && e.body.flow === delivery && e.body.received === "400" && e.body.date === today,
    JSON.stringify(e));
  ok("host: the flow's row says confirmed in part: 400 missiles received",
    await until((d) => [...document.querySelectorAll("#flow-table tr")].some((tr) =>
      tr.textContent.includes("Confirmed in part: 400 missiles") && tr.querySelector(`[data-confirm='${d}']`)), delivery));
  const m = await rowFor("#member-table", "xa", "missiles");
  ok("host: the member table counts the sealed delivery too: 1277 delivered (reported) beside 400 confirmed",
    m["Delivered (reported)"] === "1277" && m["Confirmed by the host nation"] === "400", JSON.stringify(m));
}

// more than was reported: the server refuses, the page shows its message, nothing is stored
await page.click(`button[data-confirm='${paid}']`);
await axeCheck(page, "host, with the confirmation form open");
await page.fill("#received", "300000000");
await page.fill("#received-date", today);
const [refusal] = await Promise.all([
  page.waitForResponse((x) => x.url().endsWith("/api/v1/entries") && x.request().method() === "POST"),
  page.click("#confirm-form button[type=submit]")]);
const said = await refusal.json();
await page.waitForSelector("#answer-status [role=alert]");
{
  const alert = await text("#answer-status [role=alert]");
  ok(`refused: the server answers ${refusal.status()} ${said.error}, and the page shows its message`,
    refusal.status() >= 400 && refusal.status() < 500 && said.message && alert.includes(said.message), alert);
  ok("refused: no confirmation was stored", (await confirms()).length === before + 1);
}
errors = []; // the browser logs the refused request itself

// a dispute with a reason
await page.click(`button[data-dispute='${paid}']`);
await page.fill("#reason", "Not received (test)");
await page.click("#dispute-form button[type=submit]");
await page.waitForFunction(() => /Disputed: entry #[0-9]+/.test(document.querySelector("#answer-box")?.textContent));
{
  const d = (await api("/api/v1/entries?kind=flow.dispute")).entries;
  ok("host: the dispute is an entry of kind flow.dispute with its reason",
    d.length === 1 && d[0].body.flow === paid && d[0].body.reason === "Not received (test)", JSON.stringify(d));
  ok("host: the flow's row says disputed, with the reason",
    await until(() => document.querySelector("#flow-table")?.textContent.includes("Disputed: Not received (test)")));
  const g = await rowFor("#member-table", "xa", "GBP");
  ok("host: the member table shows the GBP disbursement as disputed, beside what was reported",
    g["Disputed by the host nation"] === "200000000.5" && g["Disbursed (reported)"] === "200000000.5", JSON.stringify(g));
}
// the sealed delivery: its confirmation is sealed too (a public one would reveal it)
await page.click(`button[data-confirm='${sealed}']`);
await page.fill("#received-date", today);
await page.click("#confirm-form button[type=submit]");
ok("host: confirming the sealed delivery seals the confirmation, and says so",
  await until(() => /Confirmed: sealed as [0-9a-f]{12}/.test(document.querySelector("#answer-box")?.textContent)),
  await text("#answer-box"));
ok("host: the sealed delivery's row says confirmed in full: 777 missiles received",
  await until(() => document.querySelector("#flow-table")?.textContent.includes("Confirmed in full: 777 missiles")));
ok("host: no console error", errors.length === 0, errors.join(" | "));

// signed out: the public view again, with the host's answers
await page.click("#signout");
await page.waitForSelector("#signin-form");
await page.waitForFunction(() => document.querySelector("#viewer-says")?.dataset.view === "public");
await loaded();
ok("public again: no Confirm button, the sealed delivery hidden, the confirmation shown",
  await until(() => document.querySelector("#flow-table")?.textContent.includes("Confirmed in part")) &&
  (await page.locator("button[data-confirm]").count()) === 0 && !has777(await text("main")) &&
  (await text("#flow-table")).includes("Confirmed in part: 400 missiles"));

// the member who wrote them: its own sealed delivery too, and nothing to confirm
await page.setInputFiles("#keyfile", `${dir}/xa-login.key`);
await page.click("#signin-form button[type=submit]");
ok("member: xa sees the member's view, its own sealed delivery included, and no Confirm button",
  await until(() => document.querySelector("#viewer-says")?.dataset.view === "member" &&
    document.querySelector("#flow-table")?.textContent.includes("777 missiles")) &&
  (await page.locator("button[data-confirm], #consolekey").count()) === 0);
await page.click("#signout");
await page.waitForSelector("#signin-form");

// a phone: nothing but the tables' scrolling regions is wider than the screen
{
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(url + "/flows");
  await phone.waitForSelector("#instrument-tree");
  await phone.waitForLoadState("networkidle");
  const over = await phone.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return { by: document.documentElement.scrollWidth - w, wide: [...document.querySelectorAll("main *")]
      .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > w + 1)
      .map((e) => e.tagName + (e.id ? "#" + e.id : "")) };
  });
  ok(`phone: /flows fits 390 px (overflow ${over.by} px)`, over.by <= 1 && over.wide.length === 0, over.wide.join(" "));
}

await browser.close();
process.exit(failures() ? 1 : 0);
