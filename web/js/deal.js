// SPDX-License-Identifier: Apache-2.0
// The deal page (docs/internals/console.md, "The deal page"): every deal
// (GET /api/v1/deals); the one chosen (?deal=ID, else the first) from
// GET /api/v1/deals/<id>: its status and since when it is in force (the entry of
// the last signature and the first checkpoint a witness cosigned after it), its
// versions side by side with what changed from each to the next, each party's
// signature and when, the text and annexes by hash, downloaded and checked in the
// browser (deal_docs.js), its notices; and the map of zones and sites (map.js).
// The API decides what each viewer sees; the page never filters.
import { el, clear, getJSON, table, notice, ledgerNotice } from "./ui.js";
import { sessionBox } from "./session.js";
import { memberMap, nameOf } from "./reveal.js";
import { documentsOf } from "./deal_docs.js";
import { drawMap } from "./map.js";

const $ = (id) => document.getElementById(id);
let members = new Map();
let who = null;

const STATUS = { proposed: "proposed: not every party has signed", in_force: "in force",
  superseded: "superseded by a later version", suspended: "suspended by a party's notice",
  terminated: "terminated by a party's notice" };
const statusText = (s) => STATUS[s] || s;
const who_ = (id) => (members.has(id) ? nameOf(members, id) + " (" + id + ")" : id);
const entryLink = (i) => el("a", { href: "/entry/" + i }, "entry " + i);
const hashCode = (h) => el("code", { class: "hash" }, h);
// the ledger's times, ISO 8601 in UTC as the API gives them
const when = (t) => String(t).replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "") + " UTC";

function fail(box, what, e) {
  clear(box, notice(what + " cannot be loaded: " + e.message + ". Reload the page.", "error"));
}

function viewer() {
  clear($("viewer"), el("p", { id: "viewer-says" }, who
    ? "Signed in as " + who.member + (who.role ? " (" + who.role + ")" : "") + ": the documents " +
      "you may read are downloadable below, private ones included, and sites are shown where the " +
      "API shows them to you."
    : "You are not signed in: shown is what the public sees. Private documents cannot be " +
      "downloaded, and each protected site is shown only as a coarse point."));
}

async function dealList(chosen) {
  const box = $("deals");
  const list = (await getJSON("/api/v1/deals")).deals;
  if (!list.length) {
    clear(box, notice("No deal has been proposed yet."));
    return null;
  }
  const id = chosen && list.some((d) => d.deal === chosen) ? chosen : list[0].deal;
  clear(box, table("Every deal", ["Deal", "Title", "Status", "Latest version", "In force since"],
    list.map((d) => [
      d.deal === id ? el("strong", {}, d.deal) : el("a", { href: "/deal?deal=" +
        encodeURIComponent(d.deal) }, d.deal),
      d.title, statusText(d.status), String(d.latest),
      d.in_force_since ? [entryLink(d.in_force_since.index), " (" + when(d.in_force_since.time) +
        ")"] : "not in force"])));
  return id;
}

// Since when: the entry of the last signature, and its first witness-cosigned checkpoint.
function sinceText(s) {
  if (!s) return "not in force";
  return [entryLink(s.index), ", signed " + when(s.time) + "; ",
    s.cosigned ? ["first cosigned by a witness in the checkpoint of size " + s.cosigned.size,
      " (it holds that entry)"] : "no witness has cosigned a checkpoint holding it yet"];
}

function status(d) {
  clear($("status"), el("dl", { class: "facts", id: "deal-facts" },
    el("dt", {}, "Deal"), el("dd", {}, d.deal),
    el("dt", {}, "Title"), el("dd", { id: "deal-title" }, d.title),
    el("dt", {}, "Status"), el("dd", { id: "deal-status", "data-status": d.status },
      statusText(d.status), d.suspended_by ? " (by " + who_(d.suspended_by) + ")" : ""),
    el("dt", {}, "Version in force"), el("dd", {}, d.in_force ? "version " + d.in_force : "none"),
    el("dt", {}, "In force since"), el("dd", { id: "in-force-since" }, sinceText(d.in_force_since))));
}

const annexKey = (a) => a.name;
const list = (xs) => (xs && xs.length ? xs : []);

// What changed from version a to version b, as sentences (empty: nothing but the number).
export function changes(a, b, zoneName = (i) => "entry " + i) {
  const out = [];
  if (a.title !== b.title) out.push(["title", "The title changed from “" + a.title + "” to “" +
    b.title + "”."]);
  if (a.text !== b.text) out.push(["text", "The text changed: its hash was " + a.text + ", is " +
    b.text + "."]);
  const an = new Map(list(a.annexes).map((x) => [annexKey(x), x.hash]));
  const bn = new Map(list(b.annexes).map((x) => [annexKey(x), x.hash]));
  for (const [n, h] of bn) {
    if (!an.has(n)) out.push(["annexes", "Annex “" + n + "” added (" + h + ")."]);
    else if (an.get(n) !== h) out.push(["annexes", "Annex “" + n + "” changed: its hash was " +
      an.get(n) + ", is " + h + "."]);
  }
  for (const n of an.keys()) if (!bn.has(n)) out.push(["annexes", "Annex “" + n + "” removed."]);
  const az = new Set(list(a.zones)), bz = new Set(list(b.zones));
  for (const z of bz) if (!az.has(z)) out.push(["zones", "Zone " + zoneName(z) + " added."]);
  for (const z of az) if (!bz.has(z)) out.push(["zones", "Zone " + zoneName(z) + " removed."]);
  const ap = new Set(a.parties.map((p) => p.member)), bp = new Set(b.parties.map((p) => p.member));
  for (const p of bp) if (!ap.has(p)) out.push(["parties", "Party " + who_(p) + " added."]);
  for (const p of ap) if (!bp.has(p)) out.push(["parties", "Party " + who_(p) + " removed."]);
  return out;
}

// One cell of the side-by-side table, marked when it differs from the version before.
function cell(content, changed) {
  return changed ? el("span", { class: "changed" }, content, " ",
    el("span", { class: "changed-mark" }, "(changed)")) : content;
}

function versions(d, zoneName) {
  const vs = d.versions;
  const changedFields = vs.map((v, i) => new Set(i ? changes(vs[i - 1], v).map(([f]) => f) : []));
  const row = (label, f, content) => [el("strong", {}, label),
    ...vs.map((v, i) => cell(content(v), changedFields[i].has(f)))];
  const rows = [
    row("Status", "", (v) => statusText(v.status)),
    row("Proposed", "", (v) => [entryLink(v.index), " (" + when(v.proposed.time) + ")"]),
    row("Version hash (what parties sign)", "", (v) => hashCode(v.hash)),
    row("Title", "title", (v) => v.title),
    row("Text", "text", (v) => hashCode(v.text)),
    row("Annexes", "annexes", (v) => list(v.annexes).length ? el("ul", { class: "plain" },
      v.annexes.map((a) => el("li", {}, a.name + ": ", hashCode(a.hash)))) : "none"),
    row("Zones and sites", "zones", (v) => list(v.zones).length ? el("ul", { class: "plain" },
      v.zones.map((z) => el("li", {}, zoneName(z)))) : "none"),
    row("Parties", "parties", (v) => el("ul", { class: "plain" },
      v.parties.map((p) => el("li", {}, who_(p.member))))),
    row("Public", "", (v) => (v.public ? "yes: its documents are public" : "no: its documents " +
      "are readable by its parties, coordinators and the operator")),
  ];
  clear($("versions"), el("div", { id: "versions-table" }, table("The versions of " + d.deal +
    ", oldest first", ["", ...vs.map((v) => "Version " + v.version)], rows)));
  const said = [];
  for (let i = 1; i < vs.length; i++) {
    const c = changes(vs[i - 1], vs[i], zoneName);
    said.push(el("h3", {}, "Version " + vs[i].version + " against version " + vs[i - 1].version),
      c.length ? el("ul", { class: "changes", "data-version": vs[i].version },
        c.map(([f, t]) => el("li", { "data-field": f }, t)))
        : el("p", {}, "Nothing changed but the version number."));
  }
  clear($("changes"), vs.length > 1 ? [el("h3", { class: "sr" }, "What changed"), said]
    : el("p", {}, "One version: nothing to compare yet."));
}

function signatures(d) {
  clear($("signatures"), d.versions.slice().reverse().map((v) => {
    const signed = v.parties.filter((p) => p.signed).length;
    return el("div", { class: "sigs", "data-version": v.version },
      table("Version " + v.version + " (" + statusText(v.status) + "): " + signed + " of " +
        v.parties.length + " parties signed", ["Party", "Signed", "At entry", "Signed at (UTC)"],
      v.parties.map((p) => [who_(p.member), p.signed ? "signed" : "not signed",
        p.signed ? entryLink(p.signed.index) : "", p.signed ? when(p.signed.time) : ""])),
      v.in_force_since ? el("p", { class: "small" }, "In force since ",
        sinceText(v.in_force_since)) : null);
  }));
}

function notices(d) {
  clear($("notices"), d.notices && d.notices.length ? table("Notices of " + d.deal,
    ["Entry", "When", "Party", "Notice", "Text"], d.notices.map((n) => [entryLink(n.at.index),
      when(n.at.time), who_(n.party), n.notice, n.text]))
    : el("p", {}, "No party has given notice."));
}

async function show(id) {
  if (!id) {
    clear($("status"), notice("Nothing to show until a deal is proposed."));
    await drawMap($("map"), $("map-legend"), $("zones"), $("map-says"), null);
    return;
  }
  let d;
  try {
    d = await getJSON("/api/v1/deals/" + encodeURIComponent(id));
  } catch (e) {
    fail($("status"), "The deal", e);
    return;
  }
  status(d);
  // the map first: its zones name the deal's zone versions in the tables
  const zones = await drawMap($("map"), $("map-legend"), $("zones"), $("map-says"), d);
  const byEntry = new Map((zones || []).map((f) => [f.properties.entry, f]));
  const zoneName = (i) => {
    const f = byEntry.get(i);
    return f ? f.id + " (" + f.properties.type.replace(/_/g, " ") + ", version " +
      f.properties.version + ", entry " + i + ")" : "entry " + i + " (an earlier zone version)";
  };
  versions(d, zoneName);
  signatures(d);
  documentsOf($("documents"), d);
  notices(d);
  document.body.dataset.shown = who ? who.member : "public"; // for whom the page is drawn
}

async function start() {
  ledgerNotice();
  members = await memberMap();
  const chosen = new URLSearchParams(location.search).get("deal");
  let id; // undefined until the list is read: a sign-in before then shows nothing twice
  await sessionBox($("whoami"), async (s) => {
    who = s;
    viewer();
    if (id !== undefined) await show(id); // signed in or out: the API answers anew
  });
  try {
    id = await dealList(chosen);
  } catch (e) {
    fail($("deals"), "The deals", e);
    id = null;
  }
  await show(id);
}

start();
