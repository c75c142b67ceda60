// SPDX-License-Identifier: Apache-2.0
// The public page: members, announcements and coverage, from public data only.
import { el, clear, getJSON, when, table, notice } from "./ui.js";
import { memberMap, nameOf, allEntries, pledgeFates, pledgesIn, saidOn, summary } from "./reveal.js";
import { category } from "./registry.js";

function csvLink(href, what) {
  return el("p", { class: "csv" }, el("a", { href, download: "" }, "Download " + what + " (CSV)"));
}

const pct = (part, whole) => (Number(whole) > 0 ? (Number(part) / Number(whole)) * 100 : 0);

// One bar per requirement, each on its own scale (its required quantity is the
// full width), with the figures written beside it: troops, aircraft and missiles
// are never drawn against one another.
function bars(reqs) {
  return el("ul", { class: "cover" }, reqs.map((r) => {
    const bind = Math.min(100, pct(r.binding, r.quantity));
    const more = Math.min(100 - bind, pct(r.pledged_not_binding, r.quantity));
    const solid = el("span", { class: "binding" });
    const hatched = el("span", { class: "pledged" });
    solid.style.width = bind + "%"; // CSSOM, allowed by the page's CSP (no inline style)
    hatched.style.width = more + "%";
    const covered = Math.round(pct(r.binding, r.quantity));
    return el("li", {},
      el("p", { class: "req" }, el("strong", {}, r.requirement), " \u00b7 " + category(r.category) +
        (r.needed_by ? " \u00b7 needed by " + r.needed_by : "")),
      el("div", { class: "bar", "aria-hidden": "true" }, solid, hatched),
      el("p", { class: "nums" }, el("strong", {}, r.binding + " of " + r.quantity + " " + r.unit),
        " binding (" + covered + "%) \u00b7 " + r.pledged_not_binding + " pledged, not binding \u00b7 ",
        el("strong", { class: Number(r.gap) > 0 ? "gap" : "" }, "gap " + r.gap)));
  }));
}

async function coverage(box) {
  try {
    const c = await getJSON("/api/v1/coverage");
    if (c.notice) clear(document.getElementById("notice"), notice(c.notice, "warn"));
    const reqs = c.requirements.filter((r) => r.endorsed);
    if (reqs.length === 0) {
      clear(box, notice("No requirement has been endorsed by the host nation yet. The " +
        "coordinator sets requirements; the host nation endorses them."));
      return;
    }
    clear(box,
      el("p", { class: "legend" }, "Each bar is one requirement on its own scale: the full " +
        "width is the quantity it needs. Solid: binding. Hatched: pledged, not binding yet."),
      bars(reqs),
      el("div", { class: "coverage-table" }, table("Coverage by requirement (announced pledges)",
        ["Requirement", "Needed", "Gap", "Binding", "Pledged, not binding"],
        reqs.map((r) => [el("span", {}, r.requirement, el("br"),
          el("span", { class: "small" }, category(r.category))),
        el("span", {}, r.quantity + " " + r.unit, r.needed_by ? el("br") : null,
          r.needed_by ? el("span", { class: "small" }, "by " + r.needed_by) : null),
        el("strong", { class: Number(r.gap) > 0 ? "gap" : "" }, r.gap),
        r.binding, r.pledged_not_binding]))),
      csvLink("/api/v1/coverage?format=csv", "the coverage"));
  } catch (e) {
    clear(box, notice("The coverage cannot be loaded: " + e.message + ". Reload the page.", "error"));
  }
}

async function members(box) {
  try {
    const m = await getJSON("/api/v1/members");
    clear(box,
      table("Members and their status", ["Member", "Name", "Role", "Status", "Entry"],
        m.members.map((x) => [x.member, x.name, x.role, x.status,
          x.added === null ? "" : el("a", { href: "/entry/" + x.added }, "#" + x.added)])),
      csvLink("/api/v1/members?format=csv", "the members"));
  } catch (e) {
    clear(box, notice("The members cannot be loaded: " + e.message + ". Reload the page.", "error"));
  }
}

// What became of an announced pledge, or of its author, as a mark beside it.
function marks(e, fates, members) {
  const r = e.revealed;
  if (!r || r.kind !== "pledge") return null;
  const f = fates.get(r.body.pledge) || {};
  const out = [];
  if (f.superseded !== undefined) out.push(el("span", { class: "mark" }, "Superseded by ",
    el("a", { href: "/entry/" + f.superseded }, "entry #" + f.superseded)));
  if (f.withdrawn !== undefined) out.push(el("span", { class: "mark" }, "Withdrawn at ",
    el("a", { href: "/entry/" + f.withdrawn }, "entry #" + f.withdrawn)));
  const m = members.get(r.author);
  if (m && m.status === "withdrawn") out.push(el("span", { class: "mark" },
    nameOf(members, r.author) + " has withdrawn: its pledges no longer count"));
  return out.length ? el("p", { class: "marks" }, out) : null;
}

async function announcements(box) {
  try {
    const [r, members, all] = await Promise.all([
      getJSON("/api/v1/entries?kind=statement,announce&order=newest&limit=100"), memberMap(),
      allEntries("kind=announce")]);
    if (r.entries.length === 0) {
      clear(box, notice("Nothing has been announced yet."));
      return;
    }
    const fates = pledgeFates(all.entries), pledges = pledgesIn(all.entries);
    clear(box,
      all.complete ? null : notice("The log holds more announcements than this page reads: " +
        "a pledge's later amendment or withdrawal may not be marked here.", "warn"),
      el("ol", { class: "announcements", reversed: true }, r.entries.map((e) => {
        const said = e.revealed ? null : saidOn(e.body);
        const superseded = e.revealed && e.revealed.kind === "pledge" &&
          fates.has(e.revealed.body.pledge);
        return el("li", { class: superseded ? "superseded" : null },
          el("p", { class: "what" }, e.revealed ? summary(e, members, pledges)
            : el("span", {}, e.body.text || "")),
          marks(e, fates, members),
          el("p", { class: "meta" },
            nameOf(members, e.revealed ? e.revealed.author : e.author) + " \u00b7 ",
            said ? "said " + said + " (per its source) \u00b7 " : "",
            "in the ledger " + when(e.time) + " \u00b7 ",
            el("a", { href: "/entry/" + e.index }, "entry #" + e.index + ", checked in your browser"),
            e.body.source ? el("span", {}, " \u00b7 Source: " + e.body.source) : null));
      })),
      csvLink("/api/v1/entries?kind=statement,announce&order=newest&limit=1000&format=csv",
        "the announcements"));
  } catch (e) {
    clear(box, notice("The announcements cannot be loaded: " + e.message + ". Reload the page.",
      "error"));
  }
}

coverage(document.getElementById("coverage"));
members(document.getElementById("members"));
announcements(document.getElementById("announcements"));
