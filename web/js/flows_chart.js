// SPDX-License-Identifier: Apache-2.0
// The flows page's chart: cumulative pledged, delivered (as reported) and
// confirmed (by the host nation) by month, one chart per unit or currency
// (missiles and pounds are never drawn against one another), drawn as plain SVG
// through the DOM (the page's CSP allows no inline style), each with its figures
// as a table beside it: the chart's text alternative. Sums are exact: decimals
// are added as BigInt, never as floating point (docs/internals/console.md).
import { el, table } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";
const SCALE = 18; // decimals kept when adding: more than any figure the API gives
const TEN = 10n ** BigInt(SCALE);

// "1234.5" -> 1234500000000000000000n (scaled by 10^18); "" or null -> 0n.
export function dec(s) {
  const m = /^(-?)([0-9]*)(?:\.([0-9]*))?$/.exec(String(s ?? "").trim());
  if (!m || (m[2] === "" && !m[3])) return 0n;
  const frac = (m[3] || "").slice(0, SCALE).padEnd(SCALE, "0");
  const v = BigInt(m[2] || "0") * TEN + BigInt(frac || "0");
  return m[1] ? -v : v;
}

// The exact decimal a scaled BigInt stands for, trailing zeroes trimmed: 1234.5.
export function decText(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % TEN).toString().padStart(SCALE, "0").replace(/0+$/, "");
  return (neg ? "-" : "") + (a / TEN).toString() + (frac ? "." + frac : "");
}

const num = (v) => Number(v) / Number(TEN); // for drawing only

// A figure's measure: its unit (in kind) or its currency (money).
export const measure = (f) => f.unit || f.currency || "";

// Every month from first to last, YYYY-MM.
function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(y + "-" + String(m).padStart(2, "0"));
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

// From the summary by month ({rows: [{key: "2025-06", figures: [...]}]}) to one
// series per measure: {measure, months, pledged, delivered, confirmed}, each a
// list of cumulative BigInts, month by month with no month left out.
export function cumulative(rows) {
  const keys = rows.map((r) => r.key).filter((k) => /^[0-9]{4}-[0-9]{2}$/.test(k)).sort();
  if (keys.length === 0) return [];
  const months = monthsBetween(keys[0], keys[keys.length - 1]);
  const by = new Map();
  for (const r of rows) for (const f of r.figures || []) {
    const u = measure(f);
    if (!by.has(u)) by.set(u, new Map());
    by.get(u).set(r.key, f);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([u, perMonth]) => {
    const s = { measure: u, months, pledged: [], delivered: [], confirmed: [] };
    let p = 0n, d = 0n, c = 0n;
    for (const mo of months) {
      const f = perMonth.get(mo) || {};
      p += dec(f.pledged);
      d += dec(f.delivered) + dec(f.disbursed);
      c += dec(f.confirmed);
      s.pledged.push(p);
      s.delivered.push(d);
      s.confirmed.push(c);
    }
    return s;
  });
}

function svg(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const k of kids.flat(Infinity)) if (k) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

const SERIES = [
  ["pledged", "Pledged", "s-pledged"],
  ["delivered", "Delivered or disbursed, as reported by the members", "s-delivered"],
  ["confirmed", "Confirmed received by the host nation", "s-confirmed"],
];

// One chart: the three cumulative lines of one measure, with its table.
function chart(s, i) {
  const W = 640, H = 240, L = 64, R = 12, T = 12, B = 36;
  const top = s.pledged.concat(s.delivered, s.confirmed).reduce((a, v) => (v > a ? v : a), 0n);
  const max = num(top) > 0 ? num(top) : 1;
  const n = s.months.length;
  const x = (k) => L + (n === 1 ? (W - L - R) / 2 : (k * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - num(v) / max);
  const id = "chart-" + i;
  const last = (k) => decText(s[k][n - 1]);
  const words = `Cumulative, in ${s.measure}, from ${s.months[0]} to ${s.months[n - 1]}: pledged ` +
    `${last("pledged")}, delivered or disbursed as reported ${last("delivered")}, confirmed ` +
    `received ${last("confirmed")}.`;
  const step = Math.max(1, Math.ceil(n / 8));
  const drawing = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "flowchart", role: "img",
    "aria-labelledby": id + "-t " + id + "-d" },
  svg("title", { id: id + "-t" }, "Cumulative " + s.measure + " by month"),
  svg("desc", { id: id + "-d" }, words),
  svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }),
  svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }),
  [0n, top / 2n, top].map((v) => [
    svg("line", { x1: L - 4, y1: y(v), x2: W - R, y2: y(v), class: "grid" }),
    svg("text", { x: L - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, short(v))]),
  s.months.map((m, k) => (k % step === 0 || k === n - 1) && (k === n - 1 || n - 1 - k >= step / 2)
    ? svg("text", { x: x(k), y: H - B + 16, class: "tick", "text-anchor": n > 1 && k === n - 1
      ? "end" : k === 0 && n > 1 ? "start" : "middle" }, m) : null),
  SERIES.map(([k, , cls]) => n === 1
    ? svg("circle", { cx: x(0), cy: y(s[k][0]), r: 4, class: "line " + cls })
    : svg("polyline", { class: "line " + cls, points: s[k].map((v, j) => x(j) + "," + y(v)).join(" ") })));
  return el("figure", { class: "flowchart", "data-measure": s.measure },
    el("figcaption", {}, words),
    drawing,
    el("details", { class: "chart-table" }, el("summary", {}, "The figures of this chart, month " +
      "by month"), table("Cumulative " + s.measure + " by month",
      ["Month", "Pledged", "Delivered or disbursed (reported)", "Confirmed (host nation)"],
      s.months.map((m, k) => [m, decText(s.pledged[k]), decText(s.delivered[k]),
        decText(s.confirmed[k])]))));
}

// An axis label: 1.6 billion reads 1.6G, to fit beside the chart.
function short(v) {
  const a = Math.abs(num(v));
  for (const [d, u] of [[1e9, "G"], [1e6, "M"], [1e3, "k"]])
    if (a >= d) return String(+(num(v) / d).toFixed(2)) + u;
  return String(+num(v).toFixed(2));
}

const legend = () => el("ul", { class: "chart-legend" }, SERIES.map(([, label, cls]) =>
  el("li", {}, svg("svg", { viewBox: "0 0 28 10", width: 28, height: 10, "aria-hidden": "true" },
    svg("line", { x1: 0, y1: 5, x2: 28, y2: 5, class: "line " + cls })), " " + label)));

// The charts for the summary by month, or a sentence when there is nothing to draw.
export function charts(rows) {
  const series = cumulative(rows);
  if (series.length === 0) return [el("p", {}, "No flow or pledge has a month yet.")];
  return [el("p", { class: "legend" }, "One chart per unit or currency, each on its own scale; " +
    "every figure is in the table below its chart."), legend(), series.map(chart)];
}
