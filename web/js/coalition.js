// SPDX-License-Identifier: Apache-2.0
// The public page: members, announcements and coverage, from public data only.
import { el, clear, getJSON, when, table, notice } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

function csvLink(href, what) {
  return el("p", { class: "csv" }, el("a", { href, download: "" }, "Download " + what + " (CSV)"));
}

// Bars: the need (outline), what binds (solid) and what is pledged but does not bind (hatched).
function chart(reqs) {
  const w = 640, row = 44, left = 170, h = row * reqs.length + 30;
  const max = Math.max(1, ...reqs.map((r) => Math.max(Number(r.quantity),
    Number(r.binding) + Number(r.pledged_not_binding))));
  const scale = (v) => (Number(v) / max) * (w - left - 20);
  const s = svg("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", class: "chart",
    "aria-label": "Coverage of each endorsed requirement: what binds, what is pledged but does " +
      "not bind, and the need. The table below gives the figures." });
  const defs = svg("defs", {}, svg("pattern", { id: "hatch", width: 6, height: 6,
    patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
  svg("rect", { width: 6, height: 6, fill: "#fff" }),
  svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#1d4f91", "stroke-width": 3 })));
  s.append(defs);
  reqs.forEach((r, i) => {
    const y = 10 + i * row;
    const label = svg("text", { x: 0, y: y + 20, class: "label" });
    label.textContent = r.requirement;
    s.append(label,
      svg("rect", { x: left, y: y + 6, width: scale(r.binding), height: 20, fill: "#1d4f91" }),
      svg("rect", { x: left + scale(r.binding), y: y + 6, width: scale(r.pledged_not_binding),
        height: 20, fill: "url(#hatch)", stroke: "#1d4f91" }),
      svg("rect", { x: left, y: y + 2, width: scale(r.quantity), height: 28, fill: "none",
        stroke: "#222", "stroke-dasharray": "4 3" }));
  });
  return s;
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
      chart(reqs),
      el("p", { class: "legend" }, "Solid: binding. Hatched: pledged, not binding yet. " +
        "Dashed outline: the requirement."),
      table("Coverage by requirement (announced pledges)",
        ["Requirement", "Category", "Needed", "Binding", "Pledged, not binding", "Gap", "Needed by"],
        reqs.map((r) => [r.requirement, r.category.replace(/_/g, " "),
          r.quantity + " " + r.unit, r.binding, r.pledged_not_binding,
          el("strong", { class: Number(r.gap) > 0 ? "gap" : "" }, r.gap), r.needed_by || ""])),
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

function describe(e) {
  if (e.revealed) {
    const b = e.revealed.body;
    if (e.revealed.kind === "pledge") {
      const what = [b.quantity, b.unit, "for", (b.category || "").replace(/_/g, " ")].join(" ");
      return el("span", {}, e.revealed.author + " announced a pledge: " + what +
        (b.period ? ", " + b.period : "") + (b.place ? ", " + b.place : "") +
        (b.condition ? " (conditional)" : ""));
    }
    if (e.revealed.kind === "member.add")
      return el("span", {}, b.name + " announced its membership (" + b.role + ")");
    return el("span", {}, e.revealed.author + " announced " + e.revealed.kind);
  }
  return el("span", {}, e.body.text || "");
}

async function announcements(box) {
  try {
    const r = await getJSON("/api/v1/entries?kind=statement,announce&order=newest&limit=100");
    if (r.entries.length === 0) {
      clear(box, notice("Nothing has been announced yet."));
      return;
    }
    clear(box,
      el("ol", { class: "announcements", reversed: true }, r.entries.map((e) =>
        el("li", {},
          el("p", { class: "what" }, describe(e)),
          el("p", { class: "meta" },
            (e.revealed ? e.revealed.author : e.author) + ", " + when(e.time) + " · ",
            el("a", { href: "/entry/" + e.index }, "entry #" + e.index + ", checked in your browser"),
            e.body.source ? el("span", {}, " · Source: " + e.body.source) : null)))),
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
