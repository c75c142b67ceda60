// SPDX-License-Identifier: Apache-2.0
// The deal page in Debian's Chromium, over a deal the CLI wrote (test_deal_console.sh):
// versions side by side and what changed, signatures and when, in force since with the
// witness-cosigned checkpoint, documents checked in the browser (matches; a mismatch
// when other bytes are served), private documents to a party only, the map's oblasts
// and zones with nothing loaded from elsewhere, sites coarse to the public.
// Prints TAP-like lines; exits 1 on any failure.
// Arguments: URL DIR (the key files) S1 (os's signature) S2 (Ukraine's) TEXT1 ANNEX1 TEXT2
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url, dir, s1, s2, text1, annex1, text2] = process.argv.slice(2);
const origin = new URL(url).origin;
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
let errors = [];
const elsewhere = []; // every request the browser made to anything but the daemon
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(e.message));
page.on("request", (r) => {
  const u = r.url();
  if (!u.startsWith(origin + "/") && !u.startsWith("blob:") && !u.startsWith("data:")) elsewhere.push(u);
});
const until = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 15000 }).then(() => true, () => false);
const text = async (sel) => (await page.textContent(sel)) || "";
const verdictOf = (hash) => page.getAttribute(`.doc-verdict[data-hash="${hash}"] .verdict`, "data-verdict");
async function checkDoc(hash) {
  await page.click(`button.check-doc[data-hash="${hash}"]`);
  await until((h) => !!document.querySelector(`.doc-verdict[data-hash="${h}"] .verdict`), hash);
  return verdictOf(hash);
}
const shown = (who) => until((w) => document.body.dataset.shown === w, who);

// the public
const r = await page.goto(url + "/deal");
ok("public: /deal answers 200", r.status() === 200);
ok("public: the page is drawn", await shown("public"));
await page.waitForLoadState("networkidle");
ok("public: no console error", errors.length === 0, errors.join(" | "));
const nav = await page.$$eval("header.top nav a", (as) => as.map((a) => [a.textContent, a.getAttribute("aria-current")]));
ok("public: the header links the deal page, marked as this one",
  nav.some(([t, c]) => t === "The deal" && c === "page"), JSON.stringify(nav));
ok("public: the deal is listed", (await text("#deals")).includes("accord"));
ok("public: status in force", (await page.getAttribute("#deal-status", "data-status")) === "in_force");

// versions side by side
const heads = await page.$$eval("#versions-table th[scope=col]", (ths) => ths.map((t) => t.textContent));
ok("the versions side by side: one column each", heads.includes("Version 1") && heads.includes("Version 2"),
  JSON.stringify(heads));
const marked = await page.$$eval("#versions-table tr", (trs) => trs.map((tr) => [tr.cells[0].textContent,
  tr.cells[2] ? !!tr.cells[2].querySelector(".changed") : false]));
const m = Object.fromEntries(marked);
ok("the second version's changed cells are marked: title, text, annexes, zones; parties not",
  m.Title && m.Text && m.Annexes && m["Zones and sites"] && !m.Parties, JSON.stringify(marked));
const changes = await page.$$eval('ul.changes[data-version="2"] li', (ls) => ls.map((l) => [l.dataset.field, l.textContent]));
const said = (f, words) => changes.some(([g, t]) => g === f && t.includes(words));
ok("what changed: the title, from and to", said("title", "“Draft agreement” to “Draft agreement, amended”"),
  JSON.stringify(changes));
ok("what changed: the text's hash, old and new", said("text", text1) && said("text", text2));
ok("what changed: annex A changed, annex B added", said("annexes", "Annex “Annex A” changed") &&
  said("annexes", "Annex “Annex B” added"));
ok("what changed: four zones added, by name", changes.filter(([f, t]) => f === "zones" && t.includes("added")).length === 4 &&
  said("zones", "plant-1 (site"));

// signatures, and in force since
const sigs = await page.$$eval('.sigs[data-version="2"] tbody tr', (trs) => trs.map((tr) =>
  [...tr.cells].map((c) => c.textContent)));
ok("version 2: each party's signature with its entry and time",
  sigs.some((c) => c[0].includes("ua") && c[1] === "signed" && c[2] === "entry " + s2 && c[3].endsWith("UTC")) &&
  sigs.some((c) => c[0].includes("os") && c[2] === "entry " + s1), JSON.stringify(sigs));
const sigs1 = await text('.sigs[data-version="1"]');
ok("version 1: superseded, with os's signature on it", sigs1.includes("superseded") && sigs1.includes("1 of 2"));
const since = await text("#in-force-since");
ok("in force since Ukraine's entry, with the first witness-cosigned checkpoint",
  since.includes("entry " + s2) && /cosigned by a witness in the checkpoint of size \d+/.test(since), since);

// documents: public ones match; a private one is not the public's
ok("public: version 1's text (public) downloaded and checked: matches", (await checkDoc(text1)) === "matches");
ok("public: version 2's text (private) is not available to the public", (await checkDoc(text2)) === "unavailable");
await page.route("**/api/v1/blobs/" + annex1, (route) => route.fulfill({ status: 200,
  contentType: "text/plain", body: "Annex A: the lines (altered)\n" }));
ok("a document served with other bytes: the mismatch is shown", (await checkDoc(annex1)) === "mismatch");
ok("  ... naming the hash of what came", (await text(`.doc-verdict[data-hash="${annex1}"]`)).includes("MISMATCH"));
await page.unroute("**/api/v1/blobs/" + annex1);

// the map
const counts = await page.$eval("#map", (e) => ({ ...e.dataset }));
ok("the map draws the 27 oblasts", counts.oblasts === "27", JSON.stringify(counts));
ok("the map draws the 5 zones and 2 sites", counts.zones === "5" && counts.sites === "2", JSON.stringify(counts));
const paths = await page.$$eval("#map .leaflet-overlay-pane path", (ps) => ps.length);
ok("Leaflet's layers on the page: 27 oblasts + 5 zones + 2 sites, each with its ring",
  paths === 27 + 5 + 2 * 2, "paths: " + paths);
ok("the attribution credits the boundaries' source and licence",
  (await text("#map .leaflet-control-attribution")).includes("CC BY-SA 4.0"));
const zrows = await page.$$eval("#zones tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
ok("public: every site shown as a coarse point, no exact geometry",
  zrows.filter((c) => c[1] === "site").every((c) => c[6].startsWith("a coarse point")) &&
  zrows.filter((c) => c[1] === "site").length === 2, JSON.stringify(zrows));
const exact = await page.evaluate(async () => JSON.stringify(await (await fetch("/api/v1/zones")).json()));
ok("public: the zones the page reads hold no site's own coordinates",
  !exact.includes("34.2,47.2") && !exact.includes("[34.2, 47.2]"));
await axeCheck(page, "public");

// Ukraine's officer signs in: the private version's documents, and the sites exactly
errors = [];
await page.setInputFiles("#keyfile", dir + "/ua-login.key");
await page.click("#signin-form button[type=submit]");
ok("host: signed in, the page drawn anew", await shown("ua"));
ok("host: version 2's private text downloaded and checked: matches", (await checkDoc(text2)) === "matches");
const zrowsUa = await page.$$eval("#zones tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
ok("host: sites shown exactly (a Point and a Polygon)",
  zrowsUa.some((c) => c[0] === "water-1" && c[6] === "Polygon") &&
  zrowsUa.some((c) => c[0] === "plant-1" && c[6] === "Point"), JSON.stringify(zrowsUa));
ok("host: the map drawn again, every layer", (await page.$eval("#map", (e) => e.dataset.zones)) === "5");
ok("host: no console error", errors.length === 0, errors.join(" | "));

ok("the browser made no request outside " + origin, elsewhere.length === 0, elsewhere.join(" "));

// a phone
{
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(url + "/deal");
  await phone.waitForFunction(() => document.body.dataset.shown === "public", null, { timeout: 15000 });
  const over = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  ok(`phone: /deal fits 390 px (overflow ${over} px)`, over <= 1);
}

await browser.close();
process.exit(failures() ? 1 : 0);
