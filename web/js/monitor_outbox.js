// SPDX-License-Identifier: Apache-2.0
// The monitor's own part of the monitors' page (docs/internals/console.md, "The monitor's
// own section"), shown when a member of role monitor is signed in: the reports the ledger
// holds from it (GET /api/v1/reports?author=ID), and an outbox in this browser as the CLI's
// (`willing report new`, `willing sync`): a report written in the form is signed at once
// with the console key as a monitor.report entry (sign.js: the same bytes as the CLI's),
// kept in IndexedDB, and sent in order when the link allows (at once, on the browser's
// "online", or when asked): sent only on the log's receipt of exactly its bytes (an index
// and the leaf hash of the entry), refused only on the log's own JSON error (a 4xx) that
// cannot change (MAY_CHANGE below keeps the others pending), else left pending; the refused
// ones are sent again when asked. Each report shows its state: pending, sent with its index, refused with
// the log's words.
import { el, clear, getJSON, notice, table, when } from "./ui.js";
import { label } from "./monitor_map.js";
import { memberMap } from "./reveal.js";
import { consoleKeyBox, signEntry, origin as logOrigin } from "./sign.js";
import { b64decode, b64encode, leafHash } from "./verify.js";

const $ = (id) => document.getElementById(id);
const PRECISIONS = [[60, "1 minute"], [600, "10 minutes"], [1800, "30 minutes"], [3600, "1 hour"],
  [10800, "3 hours"], [21600, "6 hours"], [86400, "1 day"]];
let me = null; // the signed-in monitor
let key = null; // its console key, once loaded
let origin = null; // the log's origin, read while the link was up
let sending = false;

// ---- the outbox: IndexedDB "willing-outbox", store "reports" by seq ----

function db() {
  return new Promise((resolve, reject) => {
    const rq = indexedDB.open("willing-outbox", 1);
    rq.onupgradeneeded = () => rq.result.createObjectStore("reports", { keyPath: "seq" });
    rq.onsuccess = () => resolve(rq.result);
    rq.onerror = () => reject(rq.error);
  });
}

async function store(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction("reports", mode);
    const rq = fn(tx.objectStore("reports"));
    tx.oncomplete = () => resolve(rq && rq.result);
    tx.onerror = () => reject(tx.error);
  });
}

// This monitor's reports for this log, oldest first.
async function queued() {
  const all = (await store("readonly", (s) => s.getAll())) || [];
  return all.filter((r) => r.member === me && r.origin === origin).sort((a, b) => a.seq - b.seq);
}
const put = (rec) => store("readwrite", (s) => s.put(rec));

// ---- sending ----

// Whether a is the log's receipt of exactly these bytes: an index, and their leaf hash.
async function receipt(a, entry) {
  if (!a || !Number.isInteger(a.index) || typeof a.leaf_hash !== "string") return false;
  return b64encode(await leafHash(b64decode(entry))) === a.leaf_hash;
}

// The log's refusals that can change with time, so the report stays pending (as `willing
// sync`, src/cli/report.c): the monitor's key or membership not yet in the log, not
// announced, a time ahead of the log's clock. Any other refusal is final.
const MAY_CHANGE = new Set(["unknown_key", "unknown_member", "not_announced", "time_in_future"]);

// Sends one: "sent", "refused" (rec marked) or "unreached" (rec keeps pending, says why).
async function sendOne(rec) {
  let r, a = null;
  try {
    r = await fetch("/api/v1/entries", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ entry: rec.entry }) });
  } catch (e) {
    rec.last = "the log could not be reached (" + e.message + ")";
    return "unreached";
  }
  try {
    a = await r.json();
  } catch {
    a = null;
  }
  if ((r.status === 200 || r.status === 201) && (await receipt(a, rec.entry))) {
    Object.assign(rec, { state: "sent", index: a.index, existed: r.status === 200, last: null });
    return "sent";
  }
  if (r.status >= 400 && r.status < 500 && a && MAY_CHANGE.has(a.error)) {
    rec.last = r.status + " " + a.error + ": " + (a.message || "") + " (a refusal that may change: kept pending)";
    return "unreached";
  }
  if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429 && a && typeof a.error === "string") {
    Object.assign(rec, { state: "refused", why: r.status + " " + a.error + ": " + (a.message || ""), last: null });
    return "refused";
  }
  rec.last = "HTTP " + r.status + " is not the log's receipt of the report (another server?)";
  return "unreached";
}

// Sends the pending reports in order (and the refused ones too with retryRefused, as
// `willing sync --retry-refused`); stops at the first the log did not answer.
export async function sendQueue(retryRefused = false) {
  if (sending || !me || !origin) return;
  sending = true;
  try {
    for (const rec of await queued()) {
      if (retryRefused && rec.state === "refused") Object.assign(rec, { state: "pending", why: null });
      if (rec.state !== "pending") continue;
      const got = await sendOne(rec);
      rec.tried = Math.floor(Date.now() / 1000);
      await put(rec);
      if (got === "unreached") break;
    }
  } finally {
    sending = false;
  }
  await showOutbox();
  if ((await queued()).some((r) => r.state === "sent")) await showSent(me);
}

// ---- the form ----

function field(id, text, input, help) {
  return el("div", { class: "field", id: "f-" + id }, el("label", { for: id }, text), input,
    help ? el("p", { class: "help", id: id + "-help" }, help) : null);
}
const select = (id, opts, first) => el("select", { id, name: id }, first ? el("option", { value: "" }, first) : null,
  opts.map(([v, t]) => el("option", { value: v }, t)));
const num = (id, attrs) => el("input", { id, name: id, type: "number", ...attrs });

function form(tax) {
  const f = el("form", { id: "report-form", class: "stack" },
    el("fieldset", { id: "report-fields", disabled: true }, el("legend", {}, "A new report"),
      field("r-type", "Type", select("r-type", tax.types.map((t) => [t, label(t)]))),
      field("r-restriction", "Restriction", select("r-restriction", tax.restrictions.map((t) => [t, label(t)]))),
      field("r-weapon", "Weapon", select("r-weapon", tax.weapons.map((t) => [t, label(t)]))),
      field("r-wcount", "How many weapons", num("r-wcount", { min: 1, max: 10000, value: 1 })),
      field("r-count", "Count (optional)", num("r-count", { min: 1, max: 100000 })),
      el("fieldset", {}, el("legend", {}, "Where"),
        el("label", {}, el("input", { type: "radio", name: "r-where", value: "point", id: "r-where-point",
          checked: true }), " Coordinates and a radius"),
        el("label", {}, el("input", { type: "radio", name: "r-where", value: "oblast", id: "r-where-oblast" }),
          " An oblast (and a settlement)"),
        field("r-lat", "Latitude (degrees)", num("r-lat", { min: -90, max: 90, step: "any" })),
        field("r-lon", "Longitude (degrees)", num("r-lon", { min: -180, max: 180, step: "any" })),
        field("r-radius", "Within (metres)", num("r-radius", { min: 100, max: 50000, value: 500 })),
        field("r-oblast", "Oblast", select("r-oblast", tax.oblasts.map((o) => [o.id, o.name + " (" + o.id + ")"]))),
        field("r-settlement", "Settlement (optional)", el("input", { id: "r-settlement", maxlength: 100 }))),
      field("r-observed", "Observed (UTC)", el("input", { id: "r-observed", type: "datetime-local",
        required: true, value: new Date().toISOString().slice(0, 16), "aria-describedby": "r-observed-help" }), "When it was seen, in UTC; no more " +
        "than 5 minutes ahead of the log's clock."),
      field("r-precision", "Time precision", select("r-precision", PRECISIONS.map(([v, t]) => [v, "± " + t]))),
      field("r-direction", "Direction (optional)", select("r-direction", tax.directions.map((d) => [d, d]), "unknown")),
      field("r-distance", "Distance in metres (optional)", num("r-distance", { min: 0, max: 50000 })),
      field("r-text", "What you saw (optional)", el("textarea", { id: "r-text", maxlength: 4000, rows: 3 })),
      el("button", { type: "submit" }, "Sign and queue")),
    el("div", { id: "report-status", "aria-live": "polite" }));
  const shown = () => {
    const t = $("r-type").value, point = $("r-where-point").checked;
    $("f-r-restriction").hidden = t !== "restriction";
    for (const id of ["r-weapon", "r-wcount"]) $("f-" + id).hidden = t !== "weapon_in_violation";
    for (const id of ["r-lat", "r-lon", "r-radius"]) $("f-" + id).hidden = !point;
    for (const id of ["r-oblast", "r-settlement"]) $("f-" + id).hidden = point;
  };
  f.addEventListener("change", shown);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const rec = await queue(body());
      clear($("report-status"), notice("Report " + rec.seq + " signed and queued.", "info"));
      f.reset();
      shown();
      await showOutbox();
      await sendQueue();
    } catch (e) {
      clear($("report-status"), notice("Not queued: " + e.message, "error"));
    }
  });
  setTimeout(shown);
  return f;
}

// The body, in the order docs/FORMAT.md lists its fields; the log checks the rest.
function body() {
  const v = (id) => $(id).value.trim();
  const int = (id) => Number.parseInt(v(id), 10);
  const observed = Date.parse(v("r-observed") + "Z") / 1000;
  if (!Number.isFinite(observed)) throw new Error("say when it was observed");
  const b = { observed: Math.floor(observed), precision_s: int("r-precision") };
  if ($("r-where-point").checked) {
    if (v("r-lat") === "" || v("r-lon") === "") throw new Error("give the latitude and longitude, or an oblast");
    b.location = { lon: Number(v("r-lon")), lat: Number(v("r-lat")), radius_m: int("r-radius") };
  } else {
    b.location = { oblast: v("r-oblast") };
    if (v("r-settlement")) b.location.settlement = v("r-settlement");
  }
  b.type = v("r-type");
  if (b.type === "restriction") b.restriction = v("r-restriction");
  if (b.type === "weapon_in_violation") b.weapon = { type: v("r-weapon"), count: int("r-wcount") };
  if (v("r-count")) b.count = int("r-count");
  if (v("r-direction")) b.direction = v("r-direction");
  if (v("r-distance")) b.distance_m = int("r-distance");
  if (v("r-text")) b.text = v("r-text");
  return b;
}

// Signs the report now, with no network, and keeps it in the outbox.
async function queue(b) {
  if (!key) throw new Error("load your console key first");
  const { entry, seq, now } = await signEntry(key, origin, "monitor.report", b);
  const rec = { seq, member: me, origin, type: b.type, observed: b.observed, queued: now, entry,
    state: "pending" };
  await put(rec);
  return rec;
}

// ---- what is shown ----

function stateOf(r) {
  if (r.state === "sent") return el("span", { class: "state", "data-state": "sent" }, "sent: ",
    el("a", { href: "/entry/" + r.index }, "entry " + r.index), r.existed ? " (already logged)" : "");
  if (r.state === "refused") return el("span", { class: "state", "data-state": "refused" }, "refused: " + r.why);
  return el("span", { class: "state", "data-state": "pending" }, "pending" + (r.last ? ": " + r.last : ""));
}

async function showOutbox() {
  const rs = await queued();
  const n = (s) => rs.filter((r) => r.state === s).length;
  clear($("outbox-list"), rs.length ? table("Your outbox in this browser, oldest first",
    ["Queued", "Type", "Observed", "State"], rs.map((r) => [when(r.queued), label(r.type), when(r.observed),
      stateOf(r)])) : el("p", {}, "The outbox is empty."));
  $("outbox-list").dataset.pending = String(n("pending"));
  $("outbox-list").dataset.sent = String(n("sent"));
  $("outbox-list").dataset.refused = String(n("refused"));
  for (const [i, tr] of [...$("outbox-list").querySelectorAll("tbody tr")].entries())
    tr.dataset.seq = String(rs[i].seq);
}

// The reports the log holds from this member, newest first, page by page (at most 5,000).
async function sentReports(member) {
  const all = [];
  let after = null;
  do {
    const a = await getJSON("/api/v1/reports?author=" + encodeURIComponent(member) + "&limit=1000" +
      (after !== null ? "&after=" + after : ""));
    all.push(...a.reports);
    after = a.next;
  } while (after !== null && after !== undefined && all.length < 5000);
  return all.reverse();
}

export async function showSent(member) {
  let rs;
  try {
    rs = await sentReports(member);
  } catch (e) {
    clear($("sent"), notice("Your reports cannot be loaded: " + e.message, "error"));
    return;
  }
  clear($("sent"), el("h3", {}, "Sent and logged"), rs.length ? table("Your reports in the ledger, newest first",
    ["Report", "Type", "Observed", "Precision (s)", "Logged", "Place", "Text"], rs.map((r) => {
      const l = r.report.location || {};
      return [el("a", { href: "/entry/" + r.index }, "#" + r.index), label(r.type), when(r.observed),
        String(r.precision_s), when(r.logged), l.oblast ? l.oblast + (l.settlement ? ", " + l.settlement : "")
          : l.lat + ", " + l.lon + " within " + l.radius_m + " m", r.report.text || ""];
    })) : el("p", { id: "sent-none" }, "The ledger holds no report of yours yet."));
  $("sent").dataset.count = String(rs.length);
}

// Called with the session (or null) on every sign-in and sign-out.
export async function ownSection(box, s, tax) {
  const m = s ? (await memberMap()).get(s.member) : null;
  if (!m || m.role !== "monitor") {
    box.hidden = true;
    me = key = null;
    clear($("sent"));
    clear($("outbox"));
    return;
  }
  box.hidden = false;
  me = s.member;
  key = null;
  try {
    origin = await logOrigin();
    localStorage.setItem("willing.origin", origin);
  } catch {
    origin = localStorage.getItem("willing.origin");
  }
  clear($("mine-says"), el("p", {}, "Signed in as " + me + ", a monitor. A report you write here is " +
    "signed in this browser at once with your console key and kept in this browser's outbox until " +
    "the log has it: write with no link, and it is sent when the link is back (or when you ask)."));
  const send = el("button", { type: "button", id: "send-now", class: "secondary" }, "Send the pending reports");
  send.addEventListener("click", () => sendQueue());
  const retry = el("button", { type: "button", id: "retry-refused", class: "secondary" }, "Send the refused ones again");
  retry.addEventListener("click", () => sendQueue(true));
  clear($("outbox"), consoleKeyBox(me, async (k) => {
    key = k;
    $("report-fields").disabled = false;
    clear($("report-status"), notice("Console key " + k.keyIdHex + " loaded: write a report.", "info"));
  }, (e) => clear($("report-status"), notice("Key not loaded: " + e.message, "error"))),
  form(tax), el("h3", {}, "Outbox"), send, retry, el("div", { id: "outbox-list" }));
  await showOutbox();
  await Promise.all([showSent(me), sendQueue()]);
}

window.addEventListener("online", () => sendQueue());
