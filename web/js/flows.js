// SPDX-License-Identifier: Apache-2.0
// The flows page: per member, pledged, committed, allocated, delivered and
// disbursed as the members report them, beside what the host nation confirmed or
// disputed; the cumulative figures by month as charts (flows_chart.js); the lag
// from pledge to delivery; each facility's instrument tree with what is drawn and
// left; totals converted into a chosen currency with every rate used, and "not
// convertible" where a rate is missing. The API decides what the viewer sees (the
// public: announced flows only). Signed in with a console key, the host nation
// confirms or disputes a delivery from here (flows_answer.js).
import { el, clear, getJSON, table, notice, ledgerNotice, withQuery as q, csvLink, failed as fail }
  from "./ui.js";
import { sessionBox } from "./session.js";
import { consoleKeyBox } from "./sign.js";
import { memberMap, nameOf } from "./reveal.js";
import { registry, category } from "./registry.js";
import { charts, measure } from "./flows_chart.js";
import { answerForm, answerText, answerable, figure } from "./flows_answer.js";

const API = "/api/v1/flows";
const PAGES = 5; // pages of 1,000 flows the list reads; more is said, not hidden
const STAGES = ["commitment", "allocation", "delivery", "disbursement"];
let only = { member: "", stage: "" }; // the list's filters (the API's own)
let who = null; // {member, role} when signed in
let ckey = null;
let members = new Map();
let currency = ""; // "" shows every figure in its own unit or currency

const $ = (id) => document.getElementById(id);
const who_ = (id) => (members.has(id) ? nameOf(members, id) + " (" + id + ")" : id);

// Who the figures are for: the API answers each viewer with what it may see, and says
// which view it gave ("public", "member" or "all"); the page repeats it in words.
function viewer(view) {
  const me = who ? who.member + (who.role ? " (" + who.role + ")" : "") : null;
  const text = view === "all" ? "Signed in as " + me + ": every flow, sealed ones included."
    : view === "member" ? "Signed in as " + me + ": your own flows, sealed or not, those naming " +
      "you as a reader, and every announced one."
    : (who ? "Signed in as " + me + ", but shown" : "You are not signed in: shown") +
      " are the public's figures, from announced flows only. Nothing sealed is counted or shown.";
  clear($("viewer"), el("p", { id: "viewer-says", "data-view": view }, text,
    who && who.role === "host" ? " As the host nation, load your console key below to confirm " +
      "or dispute a delivery or disbursement." : ""));
}

// The columns of the per-member table: reported and confirmed kept apart.
const COLS = [["pledged", "Pledged"], ["committed", "Committed"], ["allocated", "Allocated"],
  ["delivered", "Delivered (reported)"], ["disbursed", "Disbursed (reported)"],
  ["confirmed", "Confirmed by the host nation"], ["disputed", "Disputed by the host nation"]];

function figureRows(rows, keyCell) {
  const out = [];
  for (const r of rows) for (const f of r.figures || [])
    out.push([keyCell(r.key), measure(f), ...COLS.map(([k]) => f[k] ?? "0")]);
  return out;
}

async function byMember() {
  const box = $("by-member");
  try {
    const s = await getJSON(q(API + "/summary", { by: "member", currency }));
    const rows = figureRows(s.rows, who_);
    clear(box,
      el("p", { class: "legend" }, "Delivered and disbursed are what members report; confirmed " +
        "and disputed are what the host nation answered. Each unit and currency has its own row."),
      rows.length ? el("div", { id: "member-table" }, table("Flows by member, in each unit and " +
        "currency", ["Member", "Unit or currency", ...COLS.map(([, h]) => h)], rows))
        : notice("No flow or pledge to count yet."),
      csvLink(q(API + "/summary", { by: "member", currency, format: "csv" }),
        "these figures" + (currency ? " in " + currency : "")),
      csvLink(q(API, { format: "csv" }), "every flow"));
    converted(s);
    lag(s.rows);
  } catch (e) {
    fail(box, "The figures", e);
    clear($("lag"));
  }
}

// The totals in the chosen currency: each figure, the rates it used, and what could not
// be converted (no rate from its currency on or before its day).
function converted(s) {
  const box = $("converted");
  if (!currency) {
    clear(box);
    return;
  }
  const c = s.converted || {};
  const money = COLS.filter(([k]) => k !== "delivered"); // deliveries are in kind, never money
  const rows = (c.rows || []).map((r) => [who_(r.key), ...money.map(([k]) => r[k] ?? "not convertible")]);
  const nc = c.not_convertible || [];
  const total = c.not_convertible_total ?? nc.length;
  clear(box, el("h3", {}, "In " + currency),
    rows.length ? el("div", { id: "converted-table" }, table("Money by member, converted into " +
      currency, ["Member", ...money.map(([, h]) => h + " (" + currency + ")")], rows))
      : el("p", {}, "Nothing converted into " + currency + "."),
    el("div", { id: "rates-used" }, (c.rates || []).length ? table("Every rate these totals used",
      ["Date", "From", "To", "Rate", "Entry"], c.rates.map((r) => [r.date, r.from, r.to, r.rate,
        r.index !== undefined ? el("a", { href: "/entry/" + r.index }, "#" + r.index) : ""]))
      : el("p", {}, "No rate was needed.")),
    el("div", { id: "not-convertible" }, total ? [
      notice(total + " pledge(s) or flow(s) not convertible into " + currency + ": no rate " +
        "recorded from their currency on or before their day. They are left out of the totals " +
        "above, not guessed." + (total > nc.length ? " The first " + nc.length + " are listed." : ""),
      "warn"),
      table("Not convertible into " + currency, ["What", "Currency", "Date", "Why"],
        nc.map((n) => [el("span", {}, n.flow ? "flow " : "pledge ", el("code", {},
          String(n.flow || n.pledge || "").slice(0, 12))), n.currency, n.date,
        "not convertible: no " + n.currency + " to " + currency + " rate on or before " + n.date]))]
      : el("p", {}, "Every money figure converted.")));
}

// Lag: days from a pledge to its first delivery or disbursement.
function lag(rows) {
  const withLag = rows.filter((r) => r.lag_days && r.lag_days.pledges > 0);
  clear($("lag"), el("p", {}, "Days from a pledge's day to its first delivery or disbursement " +
    "(a month given alone counts from the 1st); the 90th percentile is the nearest rank."),
  withLag.length ? table("Pledge-to-delivery lag by member", ["Member", "Pledges delivered on",
    "Median (days)", "90th percentile (days)"], withLag.map((r) => [who_(r.key),
    r.lag_days.pledges, r.lag_days.median, r.lag_days.p90]))
    : el("p", {}, "No pledge has a delivery or disbursement yet."));
}

async function byCategory() {
  try {
    const [s, reg] = await Promise.all([getJSON(q(API + "/summary", { by: "category" })),
      registry()]);
    const order = reg.categories.map((c) => c.category); // the registry's order
    const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
    const rows = figureRows(s.rows.slice().sort((a, b) => rank(a.key) - rank(b.key)), category);
    if (rows.length) $("by-member").append(el("div", { id: "category-table" },
      table("Flows by category", ["Category", "Unit or currency", ...COLS.map(([, h]) => h)], rows)));
  } catch {
    /* the member table says what failed */
  }
}

async function byMonth() {
  const box = $("by-month");
  try {
    const s = await getJSON(q(API + "/summary", { by: "month" }));
    clear(box, charts(s.rows), csvLink(q(API + "/summary", { by: "month", format: "csv" }),
      "the figures by month"));
  } catch (e) {
    fail(box, "The months", e);
  }
}

// The currency selector: the currencies rates lead to, and "as reported".
async function currencies() {
  const box = $("currency-box");
  let rates = [];
  try {
    const r = await getJSON(API + "/rates");
    rates = r.rates || [];
  } catch {
    /* no rates: only "as reported" */
  }
  const to = [...new Set(rates.map((r) => r.to))].sort();
  const sel = el("select", { id: "currency", name: "currency" },
    el("option", { value: "" }, "as reported, each in its own unit or currency"),
    to.map((c) => el("option", { value: c, selected: c === currency }, c)));
  sel.addEventListener("change", () => {
    currency = sel.value;
    byMember();
  });
  clear(box, el("form", { id: "currency-form" }, el("div", {},
    el("label", { for: "currency" }, "Show money in"), sel)),
  el("p", { class: "help" }, to.length ? "Converted with the dated rates the coordinator " +
    "recorded (" + rates.length + "); every rate used is listed, and nothing is guessed."
    : "No exchange rate has been recorded yet: money is shown in its own currency."));
}

function node(i) {
  const drawn = i.drawn ?? "0", left = i.left ?? "";
  return el("li", { "data-instrument": i.instrument },
    el("p", { class: "req" }, el("strong", {}, i.name), " (", el("code", {}, i.instrument), ") \u00b7 " +
      String(i.type || "").replace(/_/g, " ") + " \u00b7 " + i.level +
      (i.provider ? " \u00b7 " + who_(i.provider) : "")),
    el("p", { class: "nums" }, el("strong", {}, i.amount + " " + i.currency), " \u00b7 drawn " +
      drawn + " \u00b7 left " + left + (i.flows !== undefined ? " \u00b7 " + i.flows + " flow(s)" : ""),
    i.possible_more ? el("span", { class: "small" }, " \u00b7 possibly " + i.possible_more + " " +
      i.currency + " more (shown, never counted)") : null),
    (i.children || []).length ? el("ul", { class: "tree" }, i.children.map(node)) : null);
}

async function tree() {
  const box = $("tree");
  try {
    const t = await getJSON(API + "/instruments");
    const roots = Array.isArray(t) ? t : t.instruments || [];
    clear(box, roots.length ? [el("p", { class: "legend" }, "A facility's drawn is what its " +
      "contracts drew; a contract's is what was disbursed under it. Money counts once, at the " +
      "contract."), el("ul", { class: "tree", id: "instrument-tree" }, roots.map(node))]
      : el("p", {}, "No instrument recorded yet."));
  } catch (e) {
    fail(box, "The instruments", e);
  }
}

// Every flow this viewer may see, oldest first, a page at a time ({flows, complete}).
async function allFlows() {
  const out = [];
  let p = await getJSON(q(API, { ...only, limit: 1000 }));
  const view = p.view;
  out.push(...p.flows);
  for (let n = 1; p.next && n < PAGES; n++) {
    p = await getJSON(p.next);
    out.push(...p.flows);
  }
  return { flows: out, complete: !p.next, view };
}

function act(f) {
  if (!who || who.role !== "host" || !ckey || !answerable(f)) return "";
  const open = (how) => answerForm($("answer-box"), ckey, f, how, async (said) => {
    clear($("answer-box"), notice(said, "ok"));
    await refresh();
  });
  return el("span", { class: "nowrap" },
    el("button", { type: "button", class: "secondary", "data-confirm": f.flow,
      onclick: () => open("confirm") }, "Confirm"),
    el("button", { type: "button", class: "secondary", "data-dispute": f.flow,
      onclick: () => open("dispute") }, "Dispute"));
}

async function flows() {
  const box = $("flows");
  try {
    const { flows: all, complete, view } = await allFlows();
    viewer(view || (who ? "member" : "public"));
    const host = who && who.role === "host";
    clear(box,
      complete ? null : notice("More flows than this page reads: choose a member or a stage " +
        "above, or download the CSV, which has them all.", "warn"),
      host && !ckey ? notice("Load your console key above to confirm or dispute a delivery.") : null,
      all.length ? el("div", { id: "flow-table" }, table("Every flow, newest correction marked",
        ["Entry", "Member", "Stage", "Date", "Reported", "Category", "Against", "Host nation",
          ...(host && ckey ? ["Act"] : [])],
        all.map((f) => [f.sealed ? "sealed" : el("a", { href: "/entry/" + f.index }, "#" + f.index),
          who_(f.author), f.stage + (f.superseded_by ? " (superseded)" : ""), f.date, figure(f),
          category(f.category), against(f), answerText(f), ...(host && ckey ? [act(f)] : [])])))
        : el("p", {}, only.member || only.stage ? "No flow matches." : "No flow recorded yet."));
  } catch (e) {
    fail(box, "The flows", e);
  }
}

// The list's filters: a member and a stage, asked of the API (never filtered here).
function filters() {
  const select = (id, label, options) => {
    const s = el("select", { id, name: id }, el("option", { value: "" }, "all"),
      options.map(([v, t]) => el("option", { value: v }, t)));
    s.addEventListener("change", () => {
      only = { ...only, [id.slice(2)]: s.value };
      flows();
    });
    return el("div", {}, el("label", { for: id }, label), s);
  };
  clear($("flow-filters"), el("form", { class: "filters", id: "flow-filter-form" },
    select("f-member", "Member", [...members.values()].map((m) => [m.member, m.name])),
    select("f-stage", "Stage", STAGES.map((x) => [x, x]))));
}

const against = (f) => [f.pledge ? "pledge " + f.pledge.slice(0, 12) : null,
  f.requirement ? "requirement " + f.requirement : null, f.instrument ? "instrument " +
  f.instrument : null, f.activity ? "activity " + f.activity : null].filter(Boolean).join(", ");

async function refresh() {
  await names;
  await Promise.all([byMember().then(byCategory), byMonth(), tree(), flows()]);
}

// The host's console key, once signed in.
function keyBox() {
  const box = $("key-box") || el("div", { id: "key-box" });
  if (!who || who.role !== "host") return clear(box);
  const status = el("div", { id: "key-status", "aria-live": "polite" });
  return clear(box, consoleKeyBox(who.member, async (k) => {
    ckey = k;
    clear(status, notice("Console key " + k.keyIdHex + " loaded: confirmations and disputes " +
      "written here are signed with it.", "ok"));
    await flows();
  }, (e) => clear(status, notice("The console key cannot be used: " + e.message, "error"))), status);
}

sessionBox($("whoami"), async (s) => {
  ckey = null;
  who = null;
  if (s) {
    try {
      who = await getJSON("/api/v1/whoami");
    } catch {
      who = { member: s.member, role: null };
    }
  }
  $("whoami").after(keyBox());
  clear($("answer-box"));
  await refresh();
});

const names = memberMap().then((m) => {
  members = m;
  filters();
});
currencies();
ledgerNotice();
