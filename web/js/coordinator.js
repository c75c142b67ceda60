// SPDX-License-Identifier: Apache-2.0
// The coordinator's page: the clearing of every pledge (sealed ones included)
// with each one's reason, coverage with the gaps, members with their status, facts.
import { el, clear, getJSON, table, notice } from "./ui.js";
import { sessionBox } from "./session.js";

async function clearing(box) {
  clear(box, el("p", { class: "loading" }, "Clearing every pledge…"));
  const c = await getJSON("/api/v1/coverage?view=coordinator&limit=1000");
  const binding = c.pledges.filter((p) => p.binding).length;
  clear(box,
    el("p", { role: "status" }, `${c.pledges_total} pledges cleared: ${binding} of the first ` +
      `${c.pledges.length} bind. Facts recorded: ${c.facts.length ? c.facts.join(", ") : "none"}.`),
    table("Coverage of every requirement (sealed pledges included)", ["Requirement", "Endorsed",
      "Needed", "Binding", "Pledged, not binding", "Gap"], c.requirements.map((q) => [q.requirement,
      q.endorsed ? "yes, by the host nation" : "not yet", q.quantity + " " + q.unit, q.binding,
      q.pledged_not_binding, el("strong", { class: Number(q.gap) > 0 ? "gap" : "" },
        Number(q.gap) > 0 ? q.gap + " short" : "covered")])),
    el("p", { class: "csv" }, el("a", { href: "/api/v1/coverage?view=coordinator&format=csv",
      download: "" }, "Download the coverage (CSV)")),
    table("Each pledge: why it binds or not, and what would make it bind",
      ["Pledge", "Member", "What", "Binding", "Why"], c.pledges.map((p) => [
        el("code", {}, p.pledge.slice(0, 12)), p.member, p.quantity + " " + p.unit + " " +
          p.category.replace(/_/g, " "), p.binding ? "yes" : "no",
        p.reason || "its conditions hold"])));
}

async function members(box) {
  const m = await getJSON("/api/v1/members");
  clear(box, table("Members, sealed ones included", ["Member", "Name", "Role", "Status", "Public"],
    m.members.map((x) => [x.member, x.name, x.role, x.status, x.sealed ? "no (sealed)" : "yes"])));
}

const priv = document.getElementById("private");
sessionBox(document.getElementById("whoami"), async (s) => {
  if (!s) {
    clear(priv);
    return;
  }
  const run = el("button", { type: "button", id: "run-clearing" }, "Run the clearing");
  const cl = el("div", { id: "clearing" });
  const mem = el("div", { id: "all-members" });
  clear(priv,
    el("section", { "aria-labelledby": "h-clear" }, el("h2", { id: "h-clear" }, "Clearing"), run, cl),
    el("section", { "aria-labelledby": "h-members" }, el("h2", { id: "h-members" }, "Members"), mem));
  const go = async () => {
    try {
      await clearing(cl);
    } catch (e) {
      clear(cl, notice(e.status === 403 ? "This page is for members with role coordinator or " +
        "operator; " + s.member + " is not one." : "The clearing failed: " + e.message, "error"));
    }
  };
  run.addEventListener("click", go);
  await go();
  try {
    await members(mem);
  } catch (e) {
    clear(mem, notice("The members cannot be loaded: " + e.message, "error"));
  }
});
