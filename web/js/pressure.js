// SPDX-License-Identifier: Apache-2.0
// The pressure page (issue 12): the alignment of the members' sanctions designations
// as a matrix (a row per member "designated by", a column per member "not by", each
// cell the count of subjects, GET /api/v1/pressure/alignment); a cell chosen lists its
// subjects below (GET .../alignment/gaps?by=X&not=Y, a page at a time, with the CSV),
// and ?by=&not= in the address opens one; the reference lists of other authorities
// apart; a screening box (GET /api/v1/pressure/screen: a name, any number of
// identifiers, a date of birth, a country) giving candidates with their score and why,
// never a verdict; a CSV of names and a facility's counterparties screened
// (pressure_screen.js); the import snapshots of each list (GET .../snapshots, ?list=,
// with the CSV). Every answer's data_version is shown. Every text of the API goes into
// the page as text (ui.js el), never as markup.
import { el, clear, getJSON, table, notice, ledgerNotice, withQuery as q, csvLink, failed as fail }
  from "./ui.js";
import { candidates, notFindings, screenFile, counterparties, version } from "./pressure_screen.js";

const API = "/api/v1/pressure";
const PAGE = 100; // subjects of a gap read at a time; "More" reads the next
const $ = (id) => document.getElementById(id);

// The matrix: rows "designated by X", columns "not by Y", the cell X's subjects Y lacks.
function matrix(a) {
  const lists = a.members.map((m) => m.list);
  const pair = new Map(a.pairs.map((p) => [p.x + "\n" + p.y, p]));
  const cell = (x, y) => {
    if (x === y) return "—";
    const p = pair.get(x + "\n" + y);
    const n = p ? p.x_not_y : 0;
    return el("button", { type: "button", class: "secondary", "data-by": x, "data-not": y,
      "aria-label": n + " designated by " + x + ", not by " + y,
      onclick: () => gaps(x, y, true) }, String(n));
  };
  const rows = a.members.map((m) => ["designated by " + m.list, ...lists.map((y) => cell(m.list, y)),
    String(m.subjects), String(m.first)]);
  const refs = a.references || [];
  return [
    el("p", { class: "legend" }, a.subjects_of_members + " subject(s) designated by a member, " +
      a.subjects + " in all. " + (a.rule || "")),
    lists.length ? el("div", { id: "matrix-table" }, table("Subjects designated by the row's " +
      "member and not by the column's", ["", ...lists.map((y) => "not by " + y), "Designates",
      "Of them first"], rows)) : notice("No member designates anything yet."),
    el("div", { id: "pairs" }, a.pairs.filter((p) => p.y_after_x).length ? table("Who followed " +
      "whom", ["First", "Followed by", "Times", "Median delay (days)", "Same day"],
    a.pairs.filter((p) => p.y_after_x).map((p) => [p.x, p.y, String(p.y_after_x),
      p.y_after_x_median_days == null ? "" : String(p.y_after_x_median_days),
      String(p.same_day)])) : null),
    el("div", { id: "references" }, refs.length ? table("Reference lists of other authorities " +
      "(counted in no pair)", ["List", "Subjects"], refs.map((r) => [r.list, String(r.subjects)]))
      : el("p", { class: "small" }, "No reference list (another authority's) is held.")),
    csvLink(API + "/alignment.csv", "every pair"),
  ];
}

async function alignment() {
  try {
    const a = await getJSON(API + "/alignment");
    clear($("version"), "Alignment as of " + version(a.data_version) + ".");
    clear($("matrix"), matrix(a));
    const s = new URLSearchParams(location.search);
    if (s.get("by") && s.get("not")) gaps(s.get("by"), s.get("not"), false);
  } catch (e) {
    fail($("matrix"), "The alignment", e);
  }
}

const dated = (l) => l.list + " " + l.listed + (l.delay_days ? " (" + l.delay_days + " days after the first)"
  : l.first ? " (first)" : "");

function subjectRows(subjects) {
  return subjects.map((s) => [el("code", {}, s.subject), s.type, s.name,
    (s.members || []).map(dated).join("; "), (s.references || []).map(dated).join("; ")]);
}

// The subjects X designates and Y does not, PAGE at a time.
async function gaps(by, not, remember) {
  const box = $("gaps");
  if (remember) history.replaceState(null, "", q(location.pathname, { by, not }));
  for (const b of document.querySelectorAll("#matrix-table button"))
    b.setAttribute("aria-pressed", b.dataset.by === by && b.dataset.not === not ? "true" : "false");
  clear(box, el("p", { class: "loading" }, "Loading the gaps…"));
  const rows = [];
  let after = "";
  const more = el("button", { type: "button", class: "secondary", id: "gaps-more" }, "More");
  const show = (g) => clear(box,
    el("h3", { id: "gaps-title" }, "Designated by " + by + ", not by " + not),
    el("p", { class: "small" }, rows.length + " subject(s) shown, " + version(g.data_version) + "."),
    rows.length ? el("div", { id: "gaps-table" }, table("Designated by " + by + ", not by " + not,
      ["Subject", "Type", "Name", "Members (earliest listing)", "Reference lists"], rows))
      : el("p", {}, "None: every subject " + by + " designates, " + not + " designates too."),
    g.next ? more : null,
    csvLink(q(API + "/alignment/gaps.csv", { by, not }), "every one of them"));
  const page = async () => {
    try {
      const g = await getJSON(q(API + "/alignment/gaps", { by, not, after, limit: PAGE }));
      rows.push(...subjectRows(g.subjects));
      after = g.next || "";
      show(g);
    } catch (e) {
      fail(box, "The gaps of " + by + " not " + not, e);
    }
  };
  more.addEventListener("click", page);
  await page();
}

// The identifiers of the box, one a line (or separated by ;): each its own id= of the query.
const idsOf = (t) => t.split(/[\n;]/).map((x) => x.trim()).filter((x) => x);

async function screen(ev) {
  ev.preventDefault();
  const box = $("screen");
  const f = new FormData(ev.target);
  const params = Object.fromEntries(["name", "dob", "country"].map((k) => [k, f.get(k).trim()]));
  const ids = idsOf(f.get("id"));
  if (!params.name && !ids.length) {
    clear(box, notice("Give a name or an identifier to screen.", "error"));
    return;
  }
  const path = q(API + "/screen", params);
  const query = ids.map((i) => "id=" + encodeURIComponent(i)).join("&");
  clear(box, el("p", { class: "loading" }, "Screening…"));
  try {
    const r = await getJSON(path + (query ? (path.includes("?") ? "&" : "?") + query : ""));
    clear(box, notFindings(),
      el("p", { class: "small" }, r.subjects_screened + " subject(s) screened, " + r.name_keys +
        " name keys" + (ids.length ? ", " + ids.length + " identifier(s) given" : "") + ", " +
        version(r.data_version) + "."),
      r.candidates.length ? candidates(r.candidates, "candidates")
        : el("p", { id: "no-candidates" }, "No candidate scored 0.5 or more."));
  } catch (e) {
    clear(box, notice("Not screened: " + e.message, "error"));
  }
}

// ---- the import snapshots of the lists ----

const COUNTS = ["subjects", "added", "amended", "delisted"];

// Every list's imports, or list's alone (?list=): a choice of the lists held above them.
async function snapshots(list, chosen) {
  const box = $("snapshots");
  try {
    const [all, one] = await Promise.all([getJSON(API + "/snapshots"),
      list ? getJSON(q(API + "/snapshots", { list })) : null]);
    const a = one || all;
    const lists = [...new Set(all.snapshots.map((s) => s.list))];
    const pick = el("select", { id: "snap-list", onchange: (e) => snapshots(e.target.value, true) },
      el("option", { value: "" }, "every list"),
      lists.map((l) => el("option", { value: l, selected: l === list }, l)));
    clear(box,
      lists.length ? el("p", {}, el("label", { for: "snap-list" }, "Imports of "), pick) : null,
      el("p", { class: "small", id: "snap-summary" }, a.snapshots.length + " import(s), " +
        version(a.data_version) + "."),
      a.snapshots.length ? el("div", { id: "snap-table" }, table("Imports of " + (list || "every list") +
        ", each list's in the order imported", ["List", "File's date", "Entry", "Subjects in the " +
        "file", "Added", "Amended", "Delisted", "Compared against", "File's SHA-256"],
        a.snapshots.map((s) => [s.list, s.date, el("a", { href: "/entry/" + s.entry }, "#" + s.entry),
          ...COUNTS.map((k) => String(s.counts[k])), s.base == null ? "(the list's first)"
            : el("a", { href: "/entry/" + s.base }, "#" + s.base), el("code", { class: "hash" }, s.file)])))
        : el("p", {}, "No list has been imported yet."),
      csvLink(q(API + "/snapshots.csv", { list }), list ? "the imports of " + list : "every import"));
    if (chosen) pick.focus();
  } catch (e) {
    fail(box, "The imports", e);
  }
}

$("screen-form").addEventListener("submit", screen);
$("csv-form").addEventListener("submit", screenFile);
$("cp-form").addEventListener("submit", counterparties);
ledgerNotice();
alignment();
snapshots("");
