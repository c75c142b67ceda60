// SPDX-License-Identifier: Apache-2.0
// The monitors' daily report (GET /api/v1/daily/DAY): the period, the summary by region,
// the zones of the deal, restrictions, notable reports and the annex, each a table with
// its CSV; the day from ?day= (by default the last day whose period has ended); printed
// by the browser (a print stylesheet keeps the report and drops the controls).
import { el, clear, getJSON, notice, table, when, ledgerNotice } from "./ui.js";

const $ = (id) => document.getElementById(id);
const VIOLATIONS = ["explosion", "projectile", "muzzle_flash", "bursts_shots"];
const TYPES = [...VIOLATIONS, "weapon_in_violation", "restriction", "civilian_infrastructure_damage",
  "civilian_casualties"];
const label = (t) => t.replace(/_/g, " ");

// The last day whose period (to 19:30 Kyiv time, at most UTC+3) has surely ended.
function lastDay() {
  const d = new Date(Date.now() - (16 * 3600 + 1800) * 1000);
  return d.toISOString().slice(0, 10);
}

const entry = (i) => el("a", { href: "/entry/" + i }, "#" + i);

function byType(counts) {
  return TYPES.map((t) => String(counts[t] || 0));
}

function summary(r) {
  if (r.regions.length === 0) return el("p", {}, "No report was observed in this period.");
  const rows = r.regions.map((x) => [x.region, String(x.reports), String(x.violations), ...byType(x.by_type)]);
  const all = r.by_type.reduce((a, x) => ((a[x.type] = x.by_type[x.type] || 0), a), {});
  const violations = r.by_type.reduce((n, x) => n + x.violations, 0);
  rows.push([el("strong", {}, "All regions"), String(r.reports), String(violations), ...byType(all)]);
  return table(`Reports by region, ${r.day}`, ["Region", "Reports", "Ceasefire violations",
    ...TYPES.map(label)], rows);
}

function zones(r) {
  if (r.zones.length === 0) return el("p", {}, "No report was observed inside a zone.");
  return table(`Inside each zone, ${r.day}`, ["Zone", "Type", "Reports", "Ceasefire violations",
    "Weapons in violation"], r.zones.map((z) => [z.zone, z.type, String(z.reports), String(z.violations),
    Object.entries(z.weapons || {}).map(([w, n]) => `${n} ${label(w)}`).join(", ") || "none"]));
}

function restrictions(r) {
  if (r.restrictions.length === 0) return el("p", {}, "No restriction was reported.");
  return table(`Restrictions, ${r.day}`, ["Report", "Restriction", "Place", "Observed", "What the monitor wrote"],
    r.restrictions.map((x) => [entry(x.index), label(x.restriction), x.place, when(x.observed), x.text || ""]));
}

function notable(r) {
  if (r.notable.length === 0) return el("p", {}, "Nothing notable: no civilian casualties, no damage to civilian infrastructure, no weapon inside a zone.");
  const rows = new Map(r.annex.map((x) => [x.index, x]));
  return el("ul", { class: "notable" }, r.notable.map((i) => {
    const x = rows.get(i);
    return el("li", {}, entry(i), ` ${label(x.type)} (${x.count}) at ${x.place}, ${x.region}, observed ${when(x.observed)}`,
      x.report.text ? `: “${x.report.text}”` : "");
  }));
}

function annex(r) {
  if (r.annex.length === 0) return el("p", {}, "No report.");
  return table(`Every report, ${r.day}`, ["Report", "Observed (UTC)", "Precision", "Logged (UTC)", "Monitor",
    "Type", "Count", "Place", "Region", "Zones"], r.annex.map((x) => [entry(x.index), when(x.observed),
    `± ${x.precision_s} s`, when(x.logged), x.author, label(x.type), String(x.count), x.place, x.region,
    x.zones.join(" ")]));
}

async function show(day) {
  document.body.dataset.shown = "";
  clear($("title"), `The monitors' daily report, ${day}`);
  document.title = `willing: daily report ${day}`;
  $("day").value = day;
  let r;
  try {
    r = await getJSON("/api/v1/daily/" + encodeURIComponent(day));
  } catch (e) {
    clear($("summary"), notice("The report cannot be read: " + e.message, "error"));
    for (const id of ["zones", "restrictions", "notable", "annex", "period", "downloads"]) clear($(id));
    document.body.dataset.shown = "error";
    return;
  }
  clear($("period"), `From ${r.period.from_local} to ${r.period.to_local}, Kyiv time: `,
    el("strong", {}, `${r.reports} report${r.reports === 1 ? "" : "s"}`), ".");
  clear($("downloads"), el("p", { class: "small" }, "Download: ",
    el("a", { href: `/api/v1/daily/${day}`, download: `daily-${day}.json` }, "JSON"), ", ",
    el("a", { href: `/api/v1/daily/${day}?format=csv`, download: `daily-${day}.csv` }, "CSV (the annex)")));
  clear($("summary"), summary(r));
  clear($("zones"), zones(r));
  clear($("restrictions"), restrictions(r));
  clear($("notable"), notable(r));
  clear($("annex"), annex(r));
  document.body.dataset.shown = day;
}

$("pick").addEventListener("submit", (e) => {
  e.preventDefault();
  const day = $("day").value;
  history.replaceState(null, "", "/daily?day=" + day);
  show(day);
});
$("print").addEventListener("click", () => window.print());
ledgerNotice();
show(new URLSearchParams(location.search).get("day") || lastDay());
