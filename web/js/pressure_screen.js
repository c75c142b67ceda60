// SPDX-License-Identifier: Apache-2.0
// The pressure page's screenings of many names (pressure.js holds the one-name box):
// a CSV of names posted as it is (POST /api/v1/pressure/screen, Content-Type text/csv),
// each row's candidates or why it was refused, and the server's CSV answer to download;
// the counterparties of a facility's contracts, screened in one step (GET
// /api/v1/pressure/screen/counterparties?facility=). Candidates, never findings. Every
// text of the API goes into the page as text (ui.js el), never as markup.
import { el, clear, getJSON, table, notice, withQuery as q } from "./ui.js";

const API = "/api/v1/pressure";
const SHOWN = 500; // rows of a CSV's answer shown; the CSV answer holds them all
export const version = (v) => "data version " + v + " (the ledger's size the answer was computed from)";

// A candidate: its score, list:subject, type and name, its entry, then why.
export function candidate(c) {
  return el("li", { class: "candidate" },
    el("p", { class: "req" }, el("strong", {}, Number(c.score).toFixed(2)), " ",
      el("code", {}, c.source + ":" + c.subject), " ", c.type, c.name ? ": " : "",
      c.name ? el("span", { class: "cand-name" }, c.name) : null,
      c.entry !== undefined ? [" (", el("a", { href: "/entry/" + c.entry }, "entry #" + c.entry), ")"] : null),
    el("p", { class: "why small" }, c.why));
}

export const candidates = (cs, id) => cs && cs.length
  ? el("ol", { id, class: "announcements" }, cs.map(candidate))
  : el("p", { class: "small none" }, "No candidate scored 0.5 or more.");

export const notFindings = () => notice("Candidates, not findings: a score says which fields " +
  "agreed and how strongly, never that this is the same subject. An analyst decides.", "warn");

// ---- a CSV of names ----

const post = (file, format) => fetch(q(API + "/screen", { format }), {
  method: "POST", credentials: "same-origin", headers: { "Content-Type": "text/csv" }, body: file });

async function refusal(r) {
  let m = r.status + " " + r.statusText;
  try {
    const b = await r.json();
    if (b && b.message) m = b.message;
  } catch {
    /* the status says it */
  }
  return new Error(m);
}

// The server's CSV answer of the same file, fetched when asked for and then downloaded.
function csvAnswer(file) {
  const box = el("p", { class: "csv", id: "csv-answer" });
  const get = el("button", { type: "button", class: "secondary", id: "csv-answer-get" },
    "Download the answer as CSV (the server's, every row)");
  get.addEventListener("click", async () => {
    get.disabled = true;
    try {
      const r = await post(file, "csv");
      if (!r.ok) throw await refusal(r);
      const href = URL.createObjectURL(await r.blob());
      const a = el("a", { href, download: file.name.replace(/\.csv$/i, "") + "-screened.csv" },
        "The answer as CSV");
      clear(box, a);
      a.click();
    } catch (e) {
      clear(box, notice("The CSV answer cannot be had: " + e.message, "error"));
    }
  });
  return clear(box, get);
}

function rowOf(r) {
  const said = r.error
    ? el("p", { class: "notice error refused" }, "Refused: " + r.error + ": " + r.message)
    : candidates(r.candidates);
  return [String(r.line), r.ref || "", r.name == null ? "" : r.name, said];
}

export async function screenFile(ev) {
  ev.preventDefault();
  const box = document.getElementById("screen-csv");
  const file = document.getElementById("s-file").files[0];
  if (!file) {
    clear(box, notice("Choose a CSV file of names to screen.", "error"));
    return;
  }
  clear(box, el("p", { class: "loading" }, "Screening " + file.name + "…"));
  try {
    const r = await post(file);
    if (!r.ok) throw await refusal(r);
    const a = await r.json();
    const rows = a.results.slice(0, SHOWN).map(rowOf);
    clear(box, notFindings(),
      el("p", { class: "small", id: "csv-summary" }, a.rows + " row(s) screened, " + a.refused +
        " refused, against " + a.subjects_screened + " subject(s), " + version(a.data_version) + "."),
      a.results.length > SHOWN ? el("p", { class: "small" }, "The first " + SHOWN + " rows are " +
        "shown; the CSV answer holds them all.") : null,
      el("div", { id: "csv-results" }, table("Each row of " + file.name + " and its candidates",
        ["Line", "Reference", "Name", "Candidates, or why the row was refused"], rows)),
      csvAnswer(file));
  } catch (e) {
    clear(box, notice("Not screened: " + e.message, "error"));
  }
}

// ---- the counterparties of a facility ----

function contractRow(k) {
  const cp = k.counterparty;
  return [el("code", {}, k.instrument), k.name || "", k.provider || "",
    cp ? [el("span", { class: "cp-name" }, cp.name), cp.country ? " (" + cp.country + ")" : ""]
      : el("span", { class: "small" }, "(none named)"),
    cp ? (k.error ? el("p", { class: "notice error refused" }, "Refused: " + k.error + ": " +
      k.message) : candidates(k.candidates)) : ""];
}

export async function counterparties(ev) {
  ev.preventDefault();
  const box = document.getElementById("counterparties");
  const facility = document.getElementById("c-facility").value.trim();
  if (!facility) {
    clear(box, notice("Give the id of a facility (or of one contract).", "error"));
    return;
  }
  clear(box, el("p", { class: "loading" }, "Screening the counterparties…"));
  try {
    const a = await getJSON(q(API + "/screen/counterparties", { facility }));
    clear(box, notFindings(),
      el("p", { class: "small", id: "cp-summary" }, a.contracts.length + " contract(s) under " +
        a.instrument + " (" + a.level + "), " + version(a.data_version) + "."),
      a.contracts.length ? el("div", { id: "cp-results" }, table("The contracts under " +
        a.instrument + " and their counterparties' candidates", ["Contract", "Name", "Provider",
        "Counterparty", "Candidates"], a.contracts.map(contractRow)))
        : el("p", {}, "No contract under " + a.instrument + "."));
  } catch (e) {
    clear(box, notice("Not screened: " + e.message, "error"));
  }
}
