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

// The zones' ceasefire violations day by day (GET /api/v1/compliance), the flags near a boundary,
// the oblasts named, and the alerts in force (GET /api/v1/compliance/alerts). The page asks for
// scope=all, every zone the deal module holds, as its table of zones counts them.
function compliance(c) {
  const days = c.trend.map((d) => d.day);
  const ids = [...new Set(c.trend.flatMap((d) => d.zones.map((z) => z.zone)))].sort();
  const out = [];
  if (ids.length === 0) out.push(el("p", {}, `No report was counted inside a zone from ${days[0]} to ${c.day}.`));
  else {
    out.push(table(`Ceasefire violations inside each zone, ${days[0]} to ${c.day}`, ["Zone",
      ...days.map((d) => d.slice(5)), `Near its boundary on ${c.day}`], ids.map((id) => {
      const today = c.zones.find((z) => z.zone === id);
      const near = today ? today.near_boundary : [];
      return [id, ...c.trend.map((d) => String((d.zones.find((z) => z.zone === id) || {}).violations || 0)),
        near.length ? near.map((n) => `#${n.index} (${n.counted ? "counted" : "outside"})`).join(", ") : "none"];
    })));
  }
  if (c.oblasts.length) {
    out.push(el("p", {}, "Reports naming only an oblast, counted there and in no zone: ",
      c.oblasts.map((o) => `${o.name} ${o.reports}`).join(", "), "."));
  }
  out.push(el("p", { class: "small no-print" }, "Download: ",
    el("a", { href: `/api/v1/compliance?day=${c.day}&days=${c.days}&scope=all`, download: `compliance-${c.day}.json` }, "JSON"),
    ", ", el("a", { href: `/api/v1/compliance.csv?day=${c.day}&days=${c.days}&scope=all`, download: `compliance-${c.day}.csv` },
      "CSV (by day, place and type)")));
  return out;
}

function alerts(a) {
  if (a.alerts.length === 0) {
    return el("p", {}, a.thresholds ? `No alert: none of the ${a.thresholds} thresholds is exceeded on ${a.day}.`
      : "No alert: the coordinator has set no threshold.");
  }
  return table(`Alerts in force on ${a.day}`, ["Threshold", "Zone", "Above", "Figures, day by day", "What it says"],
    a.alerts.map((x) => [entry(x.threshold), x.zone, `${label(x.type)} > ${x.above} on ${x.days} day${x.days === 1 ? "" : "s"}`,
      x.figures.map((f) => `${f.day.slice(5)}: ${f.figure}`).join(", "), x.text]));
}

async function showCompliance(day) {
  try {
    const [c, a] = await Promise.all([getJSON(`/api/v1/compliance?day=${encodeURIComponent(day)}&days=7&scope=all`),
      getJSON(`/api/v1/compliance/alerts?day=${encodeURIComponent(day)}&scope=all`)]);
    clear($("compliance"), ...compliance(c));
    clear($("alerts"), alerts(a));
  } catch (e) {
    clear($("compliance"), notice("The compliance figures cannot be read: " + e.message, "error"));
    clear($("alerts"));
  }
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
    for (const id of ["zones", "compliance", "alerts", "restrictions", "notable", "annex", "period", "downloads"]) clear($(id));
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
  await showCompliance(day);
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
