// SPDX-License-Identifier: Apache-2.0
// A member's page: its sealed content and who can read each; its coverage view
// (its own pledges plus the public ones) with why each binds or not; and, with a
// console key loaded, new pledges (drafts kept in this browser until submitted),
// announcements and withdrawals, signed in the browser. Drafts and the salts of
// what was sealed here are kept in localStorage under the member's id, so
// members who sign in on one browser see only their own; the page says so and
// offers to clear them (a salt still needed to announce only when asked twice).
import { el, clear, getJSON, when, table, notice, ledgerNotice } from "./ui.js";
import { sessionBox } from "./session.js";
import { consoleKeyBox, seal, append, randomHex } from "./sign.js";
import { allEntries } from "./reveal.js";
import { registry, category, categorySelect, units, unitList } from "./registry.js";

let ckey = null;
let me = null;
let amending = null; // the pledge the form amends, with its body
let announced = new Map(); // envelope index -> index of my announce of it

// This browser's storage, one part per member: "willing.<member>.drafts" and
// "willing.<member>.kept.<sealed id>" (salt and content: needed to announce).
const store = (what) => "willing." + me + "." + what;
const kept = (id) => JSON.parse(localStorage.getItem(store("kept." + id)) || "null");
const keep = (r) => localStorage.setItem(store("kept." + r.id),
  JSON.stringify({ salt: r.salt, content: r.content }));
const drafts = () => JSON.parse(localStorage.getItem(store("drafts")) || "[]");
const saveDrafts = (d) => localStorage.setItem(store("drafts"), JSON.stringify(d));
const keptIds = () => Object.keys(localStorage).filter((k) => k.startsWith(store("kept.")))
  .map((k) => k.slice(store("kept.").length));

// Before storage was per member, salts were "willing.kept.<id>" and drafts
// "willing.drafts": a salt moves to the member whose sealed content it opens;
// the others stay for the member they belong to; old drafts are offered below.
function adoptOld(mineIds) {
  for (const id of mineIds) {
    const old = localStorage.getItem("willing.kept." + id);
    if (old === null) continue;
    if (localStorage.getItem(store("kept." + id)) === null) localStorage.setItem(store("kept." + id), old);
    localStorage.removeItem("willing.kept." + id);
  }
}

function what(s) {
  const b = s.body || {};
  if (s.kind === "pledge")
    return [b.quantity, b.unit, category(b.category), b.period || ""].join(" ");
  if (s.kind === "pledge.withdraw") return "withdraws " + b.pledge;
  if (s.kind === "member.add") return "membership of " + b.member + " (" + b.role + ")";
  if (s.kind === "member.status") return b.member + " is " + b.status;
  return s.kind;
}

function say(text, kind = "info") {
  clear(document.getElementById("write-status"), notice(text, kind));
}

async function announce(s, button) {
  const k = kept(s.id);
  button.disabled = true; // one click, one announcement
  try {
    const r = await append(ckey, "announce", { sealed: s.envelope, salt: k.salt, content: k.content });
    say("Announced: entry #" + r.index + ". It is public now.", "ok");
    await refresh();
  } catch (e) {
    say("The announcement was refused: " + e.message, "error");
  }
}

async function withdraw(s) {
  try {
    const r = await seal(ckey, "pledge.withdraw", { pledge: s.body.pledge });
    keep(r);
    say("Withdrawal sealed (" + r.id.slice(0, 12) + "); announce it to make it public.", "ok");
    await refresh();
  } catch (e) {
    say("The withdrawal was refused: " + e.message, "error");
  }
}

function actions(s) {
  if (!ckey) return "load a console key to act";
  const out = [];
  const k = kept(s.id);
  if (s.kind === "pledge" || s.kind === "pledge.withdraw") {
    if (s.envelope !== null && announced.has(s.envelope))
      out.push("announced: ", el("a", { href: "/entry/" + announced.get(s.envelope) },
        "#" + announced.get(s.envelope)));
    else if (s.envelope !== null && k)
      out.push(el("button", { type: "button", class: "secondary", "data-announce": s.id,
        onclick: (ev) => announce(s, ev.currentTarget) }, "Announce"));
    else if (!k) out.push("announce where it was sealed");
    else out.push("announce after its batch");
  }
  if (s.kind === "pledge") {
    out.push(el("button", { type: "button", class: "secondary", "data-amend": s.id,
      onclick: () => amend(s) }, "Amend"));
    out.push(el("button", { type: "button", class: "secondary", onclick: () => withdraw(s) }, "Withdraw"));
  }
  return out;
}

// A condition as the form's rows: [{type, a, b, c}] and how they combine, or null
// when the form cannot show it (nested, or more than two parts).
function condRows(cond) {
  const one = (c) => {
    if (typeof c.requires === "string") return { type: "requires", a: c.requires };
    if (typeof c.fact === "string") return { type: "fact", a: c.fact };
    if (c.at_least) return { type: "at_least", a: String(c.at_least.n), b: c.at_least.category };
    if (c.total) return { type: "total", b: c.total.category, c: c.total.unit + " " + c.total.min };
    return null;
  };
  if (!cond) return { rows: [], combine: "all" };
  const combine = cond.all ? "all" : cond.any ? "any" : null;
  const parts = combine ? cond[combine] : [cond];
  const rows = parts.map(one);
  return parts.length <= 2 && rows.every(Boolean) ? { rows, combine: combine || "all" } : null;
}

// Amending: the form, filled with the pledge and its conditions; what it seals
// names its predecessor. Conditions the form cannot show are kept as they were.
async function amend(s) {
  const b = s.body;
  const form = condRows(b.condition);
  amending = { ...b, keptCondition: form ? undefined : b.condition };
  await refresh();
  for (const [id, v] of [["category", b.category], ["quantity", b.quantity], ["unit", b.unit],
    ["place", b.place], ["period", b.period], ["text", b.text],
    ["caveat", (b.caveats || [])[0]], ["readers", (b.readers || []).join(", ")]])
    if (v !== undefined) document.getElementById(id).value = v;
  if (form) {
    document.getElementById("combine").value = form.combine;
    form.rows.forEach((r, i) => {
      for (const k of ["type", "a", "b", "c"]) if (r[k] !== undefined) document.getElementById(`c${i}-${k}`).value = r[k];
    });
  }
  say("Amending " + b.pledge.slice(0, 12) + ": change the form and seal it; the new pledge " +
    "replaces it" + (form ? ", with the conditions shown" : ", with its conditions as they " +
    "were (" + JSON.stringify(b.condition) + "): change those with `willing pledge amend`") + ".", "info");
  document.getElementById("quantity").focus();
}

// All my sealed content: the server answers a page at a time, `next` naming the following one.
async function sealedAll() {
  const r = await getJSON("/api/v1/sealed");
  for (let p = r; p.next; ) {
    p = await getJSON(p.next);
    r.sealed.push(...p.sealed);
  }
  return r;
}

let mySealed = [];
async function mine() {
  const r = await sealedAll();
  mySealed = r.sealed;
  adoptOld(r.sealed.map((s) => s.id));
  const a = await allEntries("kind=announce&author=" + encodeURIComponent(me));
  announced = new Map(a.entries.map((e) => [e.body.sealed, e.index]));
  if (r.sealed.length === 0)
    return el("div", { id: "mine" }, notice("Nothing sealed yet: add a pledge below, or with " +
      "`willing pledge add`."));
  return el("div", { id: "mine" }, table("My sealed content, and who can read it",
    ["Id", "Kind", "What", "Who can read it", "Envelope", "Act"],
    r.sealed.map((s) => [el("code", {}, s.id.slice(0, 12)), s.kind, what(s),
      ["you (" + me + ")", "the coordinator"].concat(s.readers || []).join(", "),
      s.envelope === null ? "waiting for its batch (" + when(s.deadline) + ")"
        : el("a", { href: "/entry/" + s.envelope }, "#" + s.envelope), actions(s)])));
}

async function coverage() {
  const c = await getJSON("/api/v1/coverage?view=member");
  const my = c.pledges.filter((p) => p.member === me);
  return el("div", { id: "my-coverage" },
    table("Coverage, with my sealed pledges counted", ["Requirement", "Needed", "Binding",
      "Pledged, not binding", "Gap"], c.requirements.map((q) => [q.requirement,
      q.quantity + " " + q.unit, q.binding, q.pledged_not_binding, q.gap])),
    my.length ? table("Why each of my pledges binds or not", ["Pledge", "What", "Binding", "Why"],
      my.map((p) => [el("code", {}, p.pledge.slice(0, 12)), p.quantity + " " + p.unit + " " +
        category(p.category), p.binding ? "yes" : "no", p.reason || "its conditions hold"]))
      : notice("None of your pledges is in the coverage yet."),
    el("p", { class: "csv" }, el("a", { href: "/api/v1/coverage?view=member&format=csv",
      download: "" }, "Download my coverage (CSV)")));
}

function field(id, label, attrs = {}) {
  return el("div", {}, el("label", { for: id }, label), el("input", { id, name: id, ...attrs }));
}

// One condition row: its type and its parameters (a category from the registry).
function condRow(i, reg) {
  const type = el("select", { id: `c${i}-type`, name: `c${i}-type` },
    ["", "requires", "at_least", "total", "fact"].map((t) => el("option", { value: t },
      { "": "(none)", requires: "requires member", at_least: "at least N others in category",
        total: "total in category ≥", fact: "fact recorded" }[t])));
  return el("fieldset", { class: "cond" }, el("legend", {}, "Condition " + (i + 1)),
    el("div", {}, el("label", { for: `c${i}-type` }, "Kind"), type),
    field(`c${i}-a`, "Member, number or fact", { type: "text" }),
    el("div", {}, el("label", { for: `c${i}-b` }, "Category (at least, total)"),
      categorySelect(`c${i}-b`, reg)),
    field(`c${i}-c`, "Unit and minimum (total), e.g. troops 5000", { type: "text" }));
}

function readCondition(f) {
  const parts = [];
  for (let i = 0; i < 2; i++) {
    const t = f.get(`c${i}-type`), a = (f.get(`c${i}-a`) || "").trim();
    const b = (f.get(`c${i}-b`) || "").trim(), c = (f.get(`c${i}-c`) || "").trim().split(/\s+/);
    if (t === "requires") parts.push({ requires: a });
    else if (t === "at_least") parts.push({ at_least: { n: Number(a), category: b } });
    else if (t === "total") parts.push({ total: { category: b, unit: c[0], min: c[1] || "" } });
    else if (t === "fact") parts.push({ fact: a });
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { [f.get("combine")]: parts };
}

function readPledge(form) {
  const f = new FormData(form);
  const body = { pledge: randomHex(16), category: f.get("category"), quantity: f.get("quantity").trim(),
    unit: f.get("unit").trim() };
  for (const k of ["place", "period", "text"]) if ((f.get(k) || "").trim()) body[k] = f.get(k).trim();
  if ((f.get("caveat") || "").trim()) body.caveats = [f.get("caveat").trim()];
  if ((f.get("readers") || "").trim()) body.readers = f.get("readers").split(",").map((x) => x.trim()).filter(Boolean);
  const cond = amending && amending.keptCondition ? amending.keptCondition : readCondition(f);
  if (cond) body.condition = cond;
  if (amending && (amending.caveats || []).length > 1) // the form shows the first
    body.caveats = (body.caveats || []).concat(amending.caveats.slice(1));
  if (amending) body.amends = amending.pledge;
  return body;
}

async function submit(body) {
  const r = await seal(ckey, "pledge", body);
  keep(r);
  return r;
}

// The categories and their units come from the server's registry.
function pledgeForm(reg) {
  const form = el("form", { id: "pledge-form", class: "stack" },
    el("div", {}, el("label", { for: "category" }, "Category"), categorySelect("category", reg)),
    field("quantity", "Quantity (an exact decimal)", { type: "text", required: true, inputmode: "decimal" }),
    field("unit", "Unit (a lower-case word, e.g. " + units(reg).join(", ") + ", or a currency)",
      { type: "text", required: true, list: "units" }), unitList("units", reg),
    field("place", "Place: a country or region, no coordinates", { type: "text" }),
    field("period", "Period: a quarter, e.g. 2026-Q2", { type: "text", pattern: "[0-9]{4}-Q[1-4]" }),
    field("caveat", "A national caveat", { type: "text" }),
    field("readers", "Members who may read it (ids, comma-separated)", { type: "text" }),
    field("text", "Free text", { type: "text" }),
    el("div", {}, el("label", { for: "combine" }, "Conditions combine with"),
      el("select", { id: "combine", name: "combine" }, el("option", { value: "all" }, "all (and)"),
        el("option", { value: "any" }, "any (or)"))),
    condRow(0, reg), condRow(1, reg),
    el("p", { class: "help" }, "Conditions may only ask for more: a pledge is never undone by " +
      "others joining."),
    el("div", { class: "buttons" },
      el("button", { type: "submit", id: "pledge-submit" }, "Seal and send"),
      el("button", { type: "button", id: "pledge-draft", class: "secondary" }, "Keep as a draft here")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await submit(readPledge(form));
      say("Sealed " + r.id.slice(0, 12) + (amending ? " (amending " + amending.pledge.slice(0, 12) +
        ")" : "") + ": the operator's receipt names batch " + r.batch + ", published " +
        when(r.deadline) + ".", "ok");
      amending = null;
      form.reset();
      await refresh();
    } catch (e) {
      say("The pledge was refused: " + e.message, "error");
    }
  });
  if (amending && amending.keptCondition)
    for (const f of form.querySelectorAll("fieldset.cond")) f.disabled = true;
  if (amending)
    form.prepend(el("p", { class: "notice" }, "Amending pledge ", el("code", {},
      amending.pledge.slice(0, 12)), ". ", el("button", { type: "button", class: "secondary",
      onclick: () => { amending = null; refresh(); } }, "Cancel")));
  form.querySelector("#pledge-draft").addEventListener("click", () => {
    const d = drafts();
    d.push(readPledge(form));
    saveDrafts(d);
    say("Kept as a draft in this browser, for " + me + " only: nothing was sent.", "ok");
    form.reset();
    refresh();
  });
  return form;
}

// What this browser keeps for the member, where, and clearing it.
function keptBox() {
  const ids = keptIds();
  const needed = ids.filter((id) => {
    const s = mySealed.find((x) => x.id === id);
    return !(s && s.envelope !== null && announced.has(s.envelope));
  });
  const done = ids.filter((id) => !needed.includes(id));
  const all = Object.fromEntries(ids.map((id) => [id, kept(id)]));
  const backup = URL.createObjectURL(new Blob([JSON.stringify({ member: me,
    server: location.origin, kept: all }, null, 1)], { type: "application/json" }));
  const forget = (list) => {
    for (const id of list) localStorage.removeItem(store("kept." + id));
    refresh();
  };
  const old = JSON.parse(localStorage.getItem("willing.drafts") || "[]");
  return el("div", { id: "kept" },
    el("p", {}, "Your drafts and the salts of what you sealed here are kept in this browser's " +
      "local storage for " + location.origin + ", under your member id ", el("strong", {}, me),
      ", until you clear them. Another member who signs in on this browser does not see them; " +
      "anyone who can use this browser profile can read them. Without its salt, sealed content " +
      "cannot be announced: download a copy before clearing."),
    el("p", { id: "kept-count" }, drafts().length + " draft(s); " + ids.length + " salt(s), " +
      needed.length + " still needed to announce."),
    el("div", { class: "buttons" },
      ids.length ? el("a", { href: backup, download: "willing-" + me + "-salts.json" },
        "Download my salts (JSON)") : null,
      el("button", { type: "button", class: "secondary", id: "clear-drafts",
        disabled: drafts().length ? null : true,
        onclick: () => { localStorage.removeItem(store("drafts")); refresh(); } }, "Clear my drafts"),
      el("button", { type: "button", class: "secondary", id: "clear-done",
        disabled: done.length ? null : true, onclick: () => forget(done) },
        "Clear salts no longer needed (" + done.length + ")"),
      el("button", { type: "button", class: "secondary", id: "clear-all",
        disabled: ids.length || drafts().length ? null : true, onclick: () => {
          if (needed.length && !confirm(needed.length + " salt(s) are still needed to announce " +
            "what they sealed, and cannot be recovered once cleared. Clear everything kept here " +
            "for " + me + "?")) return;
          localStorage.removeItem(store("drafts"));
          forget(ids);
        } }, "Clear everything kept here for " + me)),
    old.length ? el("p", { class: "notice warn", id: "old-drafts" }, old.length + " draft(s) in " +
      "this browser date from before drafts were kept per member and belong to nobody in " +
      "particular. ", el("button", { type: "button", class: "secondary", onclick: () => {
        saveDrafts(drafts().concat(old));
        localStorage.removeItem("willing.drafts");
        refresh();
      } }, "Take them as mine"), " ", el("button", { type: "button", class: "secondary",
        onclick: () => { localStorage.removeItem("willing.drafts"); refresh(); } }, "Delete them"))
      : null);
}

function draftList() {
  const d = drafts();
  if (d.length === 0) return el("div", { id: "drafts" }, el("p", {}, "No drafts of yours in this browser."));
  return el("div", { id: "drafts" }, table("My drafts, kept in this browser (not sent)",
    ["What", "Act"], d.map((b, i) => [[b.quantity, b.unit, category(b.category)].join(" "),
      [el("button", { type: "button", class: "secondary", disabled: ckey ? null : true,
        onclick: async () => {
          try {
            const r = await submit(b);
            const rest = drafts();
            rest.splice(i, 1);
            saveDrafts(rest);
            say("Draft sealed: " + r.id.slice(0, 12) + ".", "ok");
            await refresh();
          } catch (e) {
            say("The draft was refused: " + e.message, "error");
          }
        } }, "Submit"),
      el("button", { type: "button", class: "secondary", onclick: () => {
        const rest = drafts();
        rest.splice(i, 1);
        saveDrafts(rest);
        refresh();
      } }, "Delete")]])));
}

const priv = document.getElementById("private");
async function refresh() {
  try {
    const status = el("div", { id: "write-status", "aria-live": "polite" });
    const old = document.getElementById("write-status");
    clear(priv,
      el("section", { "aria-labelledby": "h-mine" }, el("h2", { id: "h-mine" }, "Sealed content"),
        await mine()),
      el("section", { "aria-labelledby": "h-write" }, el("h2", { id: "h-write" }, "Write from this browser"),
        consoleKeyBox(me, async (k) => {
          ckey = k;
          say("Console key " + k.keyIdHex + " loaded: entries and sealed content written here " +
            "are signed with it, and say so.", "ok");
          await refresh();
        }, (e) => say("The console key cannot be used: " + e.message, "error")), old || status, ckey ? pledgeForm(await registry()) : notice("Load a console key to add, " +
          "announce or withdraw pledges here."), el("h3", {}, "Drafts"), draftList(),
        el("h3", {}, "Kept in this browser"), keptBox()),
      el("section", { "aria-labelledby": "h-cov" }, el("h2", { id: "h-cov" }, "Coverage"),
        await coverage()));
  } catch (e) {
    clear(priv, notice("Your pledges cannot be loaded: " + e.message, "error"));
  }
}

sessionBox(document.getElementById("whoami"), async (s) => {
  me = s ? s.member : null;
  ckey = null;
  if (!s) {
    clear(priv);
    return;
  }
  await refresh();
});

ledgerNotice();
