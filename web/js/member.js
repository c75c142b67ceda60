// SPDX-License-Identifier: Apache-2.0
// A member's page: its sealed content and who can read each, and its coverage
// view (its own pledges plus the public ones) with why each binds or not.
import { el, clear, getJSON, when, table, notice } from "./ui.js";
import { sessionBox } from "./session.js";

function what(s) {
  const b = s.body || {};
  if (s.kind === "pledge")
    return [b.quantity, b.unit, (b.category || "").replace(/_/g, " "), b.period || ""].join(" ");
  if (s.kind === "pledge.withdraw") return "withdraws " + b.pledge;
  if (s.kind === "member.add") return "membership of " + b.member + " (" + b.role + ")";
  if (s.kind === "member.status") return b.member + " is " + b.status;
  return s.kind;
}

async function mine(box, me) {
  const r = await getJSON("/api/v1/sealed");
  if (r.sealed.length === 0)
    return el("div", { id: "mine" }, notice("Nothing sealed yet. Seal a pledge with " +
      "`willing pledge add`; it shows here."));
  return el("div", { id: "mine" }, table("My sealed content, and who can read it",
    ["Id", "Kind", "What", "Who can read it", "Envelope"],
    r.sealed.map((s) => [el("code", {}, s.id.slice(0, 12)), s.kind, what(s),
      ["you (" + me + ")", "the coordinator"].concat(s.readers || []).join(", "),
      s.envelope === null ? "waiting for its batch (" + when(s.deadline) + ")"
        : el("a", { href: "/entry/" + s.envelope }, "#" + s.envelope)])));
}

async function coverage(me) {
  const c = await getJSON("/api/v1/coverage?view=member");
  const my = c.pledges.filter((p) => p.member === me);
  return el("div", { id: "my-coverage" },
    table("Coverage, with my sealed pledges counted", ["Requirement", "Needed", "Binding",
      "Pledged, not binding", "Gap"], c.requirements.map((q) => [q.requirement,
      q.quantity + " " + q.unit, q.binding, q.pledged_not_binding, q.gap])),
    my.length ? table("Why each of my pledges binds or not", ["Pledge", "What", "Binding", "Why"],
      my.map((p) => [el("code", {}, p.pledge.slice(0, 12)), p.quantity + " " + p.unit + " " +
        p.category.replace(/_/g, " "), p.binding ? "yes" : "no", p.reason || "its conditions hold"]))
      : notice("None of your pledges is in the coverage yet."),
    el("p", { class: "csv" }, el("a", { href: "/api/v1/coverage?view=member&format=csv",
      download: "" }, "Download my coverage (CSV)")));
}

const priv = document.getElementById("private");
sessionBox(document.getElementById("whoami"), async (s) => {
  if (!s) {
    clear(priv);
    return;
  }
  try {
    clear(priv,
      el("section", { "aria-labelledby": "h-mine" }, el("h2", { id: "h-mine" }, "Sealed content"),
        await mine(priv, s.member)),
      el("section", { "aria-labelledby": "h-cov" }, el("h2", { id: "h-cov" }, "Coverage"),
        await coverage(s.member)));
  } catch (e) {
    clear(priv, notice("Your pledges cannot be loaded: " + e.message, "error"));
  }
});
