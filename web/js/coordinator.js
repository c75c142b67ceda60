// SPDX-License-Identifier: Apache-2.0
// The coordinator's page: the clearing of every pledge (sealed ones included)
// with each one's reason, coverage with the gaps, members with their status,
// facts; with a console key, the requirements editor and the facts (the
// coordinator), and endorsements (the host nation), signed in the browser.
import { el, clear, getJSON, table, notice, ledgerNotice } from "./ui.js";
import { sessionBox } from "./session.js";
import { consoleKeyBox, append } from "./sign.js";
import { registry, category, categorySelect, unitList } from "./registry.js";

let ckey = null;
let who = null;

function say(text, kind = "info") {
  clear(document.getElementById("write-status"), notice(text, kind));
}

async function write(kind, body, done) {
  try {
    const r = await append(ckey, kind, body);
    say(done + " (entry #" + r.index + ").", "ok");
    await render();
  } catch (e) {
    say("Refused: " + e.message, "error");
  }
}

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
          category(p.category), p.binding ? "yes" : "no",
        p.reason || "its conditions hold"])));
  return c;
}

function field(id, label, attrs = {}) {
  return el("div", {}, el("label", { for: id }, label), el("input", { id, name: id, ...attrs }));
}

// The categories, units and priorities in the form come from the server's registry (reg).
function requirementsEditor(c, reg) {
  const coord = who.role === "coordinator" || who.role === "operator";
  const host = who.role === "host";
  const rows = c.requirements.map((q) => [q.requirement, category(q.category),
    q.quantity + " " + q.unit, String(q.priority), q.needed_by || "",
    q.endorsed ? "endorsed" : host && ckey ? el("button", { type: "button", class: "secondary",
      "data-endorse": q.requirement, onclick: () => write("requirement.endorse",
        { requirement: q.requirement, set: q.set }, "Endorsed " + q.requirement) }, "Endorse")
      : "not yet"]);
  const form = el("form", { id: "requirement-form" },
    field("r-id", "Requirement id", { type: "text", required: true, pattern: "[a-z0-9._\\-]+" }),
    el("div", {}, el("label", { for: "r-category" }, "Category"), categorySelect("r-category", reg)),
    field("r-quantity", "Quantity", { type: "text", required: true, inputmode: "decimal" }),
    field("r-unit", "Unit", { type: "text", required: true, list: "r-units" }), unitList("r-units", reg),
    field("r-priority", `Priority ${reg.priority.min}-${reg.priority.max}`, { type: "number",
      min: String(reg.priority.min), max: String(reg.priority.max), value: String(reg.priority.min) }),
    field("r-needed", "Needed by (YYYY-Qn)", { type: "text", pattern: "[0-9]{4}-Q[1-4]" }),
    el("div", {}, el("button", { type: "submit" }, "Set the requirement")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { requirement: f.get("r-id").trim(), category: f.get("r-category"),
      quantity: f.get("r-quantity").trim(), unit: f.get("r-unit").trim(),
      priority: Number(f.get("r-priority")) };
    if (f.get("r-needed").trim()) body.needed_by = f.get("r-needed").trim();
    write("requirement.set", body, "Requirement " + body.requirement + " set; the host nation " +
      "endorses it next");
  });
  return el("div", { id: "requirements" },
    rows.length ? table("Requirements and their endorsement by the host nation",
      ["Requirement", "Category", "Quantity", "Priority", "Needed by", "Host nation"], rows)
      : notice("No requirement yet."),
    coord && ckey ? form : null);
}

function factsEditor(c) {
  if (!(who.role === "coordinator" || who.role === "operator") || !ckey) return null;
  const form = el("form", { id: "fact-form" },
    field("fact-name", "Fact, e.g. ceasefire-signed", { type: "text", required: true,
      pattern: "[a-z0-9._\\-]+" }),
    el("div", {}, el("button", { type: "submit" }, "Record the fact")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const name = new FormData(form).get("fact-name").trim();
    write("fact.record", { fact: name }, "Fact " + name + " recorded");
  });
  return el("div", { id: "facts" },
    c.facts.length ? table("Facts recorded", ["Fact", "Act"], c.facts.map((f) => [f,
      el("button", { type: "button", class: "secondary", onclick: () =>
        write("fact.retract", { fact: f }, "Fact " + f + " retracted") }, "Retract")]))
      : el("p", {}, "No fact recorded."), form);
}

async function members(box) {
  const m = await getJSON("/api/v1/members");
  clear(box, table("Members, sealed ones included", ["Member", "Name", "Role", "Status", "Public"],
    m.members.map((x) => [x.member, x.name, x.role, x.status, x.sealed ? "no (sealed)" : "yes"])));
}

const priv = document.getElementById("private");
async function render() {
  const run = el("button", { type: "button", id: "run-clearing" }, "Run the clearing");
  const cl = el("div", { id: "clearing" });
  const mem = el("div", { id: "all-members" });
  const ed = el("div", { id: "editors" });
  const status = document.getElementById("write-status") ||
    el("div", { id: "write-status", "aria-live": "polite" });
  clear(priv,
    el("section", { "aria-labelledby": "h-clear" }, el("h2", { id: "h-clear" }, "Clearing"), run, cl),
    el("section", { "aria-labelledby": "h-edit" }, el("h2", { id: "h-edit" }, "Requirements and facts"),
      consoleKeyBox(who.member, async (k) => {
        ckey = k;
        await render();
        say("Console key " + k.keyIdHex + " loaded: entries written here are signed with it.", "ok");
      }, (e) => say("The console key cannot be used: " + e.message, "error")), status, ed),
    el("section", { "aria-labelledby": "h-members" }, el("h2", { id: "h-members" }, "Members"), mem));
  const go = async () => {
    try {
      const c = await clearing(cl);
      clear(ed, el("h3", {}, "Requirements"), requirementsEditor(c, await registry()), el("h3", {}, "Facts"),
        factsEditor(c) || el("p", {}, "Load a console key of the coordinator to record facts."));
    } catch (e) {
      clear(cl, notice(e.status === 403 ? "The clearing is for members with role coordinator " +
        "or operator; " + who.member + " is " + who.role + "." : "The clearing failed: " + e.message,
      e.status === 403 ? "warn" : "error"));
      if (e.status === 403) {
        const c = await getJSON("/api/v1/coverage");
        clear(ed, el("h3", {}, "Requirements"), requirementsEditor(c, await registry()));
      }
    }
  };
  run.addEventListener("click", go);
  await go();
  try {
    await members(mem);
  } catch (e) {
    clear(mem, notice("The members cannot be loaded: " + e.message, "error"));
  }
}

sessionBox(document.getElementById("whoami"), async (s) => {
  ckey = null;
  if (!s) {
    clear(priv);
    return;
  }
  who = await getJSON("/api/v1/whoami");
  await render();
});

ledgerNotice();
