// SPDX-License-Identifier: Apache-2.0
// The monitors' page (docs/internals/console.md, "The monitors' page"): the reports of a
// day on the deal's map (map.js's background and zones, monitor_map.js's reports), from
// GET /api/v1/monitor/map?day=&type=&zoom=, asked again when the map's zoom changes;
// filters by day and type (the types from GET /api/v1/monitor/taxonomy); a timeline of
// 30 days (GET /api/v1/monitor/timeline) whose days show that day when selected; UCDP's
// events as their own layer; a link to the day's daily report. Signed in with a monitor's
// key, the monitor's own reports and outbox (monitor_outbox.js). The day is in the
// address (?day=&type=), so a view can be linked.
import { el, clear, getJSON, notice, table, ledgerNotice } from "./ui.js";
import { sessionBox } from "./session.js";
import { drawMap, currentMap } from "./map.js";
import { ReportsMap, legend, label, incidentsOf } from "./monitor_map.js";
import { ownSection } from "./monitor_outbox.js";

const $ = (id) => document.getElementById(id);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
let view = null; // the ReportsMap
let asked = 0; // the latest question: older answers are dropped
let tlTo = null; // the timeline's last day
let taxonomy = null;

// The day whose period (to 19:30 Kyiv time) holds now: Kyiv's clock from the browser's tzdata.
function currentDay() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Kyiv",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23" }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  const day = parts.year + "-" + parts.month + "-" + parts.day;
  return +parts.hour * 60 + +parts.minute >= 19 * 60 + 30 ? addDays(day, 1) : day;
}

function addDays(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function state() {
  const q = new URLSearchParams(location.search);
  const day = DAY.test(q.get("day") || "") ? q.get("day") : currentDay();
  return { day, type: q.get("type") || "" };
}

function zoomOf(map) {
  return Math.min(18, Math.max(0, Math.round(map.getZoom())));
}

const kyiv = (unix) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Kyiv", dateStyle: "medium",
  timeStyle: "short" }).format(new Date(unix * 1000)) + " Kyiv time";

// Asks the map's data for the day, type and the map's zoom, and draws it.
async function showDay() {
  const { day, type } = state();
  const map = currentMap();
  const zoom = zoomOf(map);
  const n = ++asked;
  $("day").value = day;
  $("type").value = type;
  clear($("daily-link"), el("a", { href: "/daily?day=" + day, id: "daily" }, "The daily report of " + day));
  let a, inc;
  try {
    [a, inc] = await Promise.all([getJSON("/api/v1/monitor/map?day=" + day + (type ? "&type=" + type : "") +
      "&zoom=" + zoom), incidentsOf(day, type).catch((e) => e)]);
  } catch (e) {
    if (n !== asked) return;
    clear($("map-says"), notice("The reports cannot be loaded: " + e.message, "error"));
    document.body.dataset.shown = "error";
    return;
  }
  if (n !== asked) return;
  const rows = view.draw(a);
  clear($("period"), "From " + kyiv(a.period.from) + " to " + kyiv(a.period.to) + ": " + a.reports +
    (a.reports === 1 ? " report" : " reports") + (type ? " of type " + label(type) : "") + ".");
  clear($("map-says"), el("p", { id: "map-count" }, a.reports ? a.reports + " reports drawn: " +
    a.points.length + " alone, " + (a.reports - a.points.length) + " in clusters or by oblast" +
    (a.clustered ? " (zoom in to split the clusters)." : ".") : "No report was observed in this period."));
  const h = a.history;
  clear($("history-says"), el("span", { id: "ucdp-attribution" }, "History layer: " + h.attribution +
    ". " + (h.events.length ? h.events.length + " events recorded by UCDP on " + day +
      (h.more ? " (more than shown)" : "") + ": a baseline, never counted with the reports."
      : "No UCDP event recorded on this day.")));
  if (inc instanceof Error) clear($("incidents-says"), notice("The incidents cannot be loaded: " + inc.message, "error"));
  else {
    const n = view.drawIncidents(inc);
    clear($("incidents-says"), el("span", { id: "incidents-count" }, n ? n + (n === 1 ? " incident joins" :
      " incidents join") + " two or more reports of this day (the dashed outlines: reports close enough " +
      "in place and time, by their precision, and of compatible types; nothing about who fired)" +
      (inc.more ? "; more than the server lists." : ".") : "No incident joins two or more reports of this day."));
  }
  clear($("reports"), rows.length ? table("The reports of " + day + " on the map, in words",
    ["Report", "Type", "Count", "Where", "Reports"], rows) : null);
  markTimeline(day);
  document.body.dataset.shown = day + "|" + (type || "all") + "|" + zoom;
}

function go(day, type) {
  const q = new URLSearchParams({ day });
  if (type) q.set("type", type);
  history.pushState(null, "", "/monitor?" + q);
  return Promise.all([timeline(), showDay()]);
}

// The 30 days ending on today's period, or on the day shown when it is earlier than those.
async function timeline() {
  const { day, type } = state();
  const now = currentDay();
  if (!tlTo || day > tlTo || day <= addDays(tlTo, -30))
    tlTo = day <= now && day > addDays(now, -30) ? now : day;
  let t;
  try {
    t = await getJSON("/api/v1/monitor/timeline?to=" + tlTo + "&days=30" + (type ? "&type=" + type : ""));
  } catch (e) {
    clear($("timeline"), notice("The timeline cannot be loaded: " + e.message, "error"));
    return;
  }
  const top = Math.max(1, ...t.timeline.map((x) => x.reports));
  clear($("timeline"), el("p", { class: "small" }, "Reports per day (each day ends at 19:30 Kyiv " +
    "time), " + t.timeline[0].day + " to " + t.to + (type ? ", type " + label(type) : "") +
    ". Select a day to show it."),
  el("ol", { class: "timeline", id: "timeline-days" }, t.timeline.map((x) => {
    const bar = el("span", { class: "bar", "aria-hidden": "true" });
    bar.style.height = Math.round((x.reports / top) * 100) + "%"; // CSSOM: allowed by the CSP
    const b = el("button", { type: "button", "data-day": x.day, "data-reports": x.reports,
      title: x.day + ": " + x.reports + " reports" }, bar, el("span", { class: "n" }, String(x.reports)),
    el("span", { class: "sr" }, " reports on " + x.day.slice(0, 8)), el("span", { class: "d" }, x.day.slice(8)));
    b.addEventListener("click", () => go(x.day, state().type));
    return el("li", {}, b);
  })));
  markTimeline(day);
}

function markTimeline(day) {
  for (const b of document.querySelectorAll("#timeline-days button")) {
    b.setAttribute("aria-pressed", b.dataset.day === day ? "true" : "false");
    if (b.dataset.day === day) b.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

async function start() {
  ledgerNotice();
  let oblasts = null;
  try {
    [taxonomy, oblasts] = await Promise.all([getJSON("/api/v1/monitor/taxonomy"),
      getJSON("/geo/ukraine-oblasts.geojson")]);
  } catch (e) {
    clear($("map-says"), notice("The page cannot be loaded: " + e.message + ". Reload the page.", "error"));
    return;
  }
  for (const t of taxonomy.types) $("type").append(el("option", { value: t }, label(t)));
  await sessionBox($("whoami"), (s) => ownSection($("mine"), s, taxonomy));
  await drawMap($("map"), $("deal-legend"), $("zones"), $("zones-says"), null);
  const map = currentMap();
  view = new ReportsMap(map, oblasts.features);
  legend($("map-legend"));
  let zoom = zoomOf(map);
  map.on("zoomend", () => {
    if (zoomOf(map) !== zoom) {
      zoom = zoomOf(map);
      showDay();
    }
  });
  $("show-reports").addEventListener("change", (e) => {
    view.showReports = e.target.checked;
    view.apply();
  });
  $("show-incidents").addEventListener("change", (e) => {
    view.showIncidents = e.target.checked;
    view.apply();
  });
  $("show-history").addEventListener("change", (e) => {
    view.showHistory = e.target.checked;
    view.apply();
  });
  $("pick").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (DAY.test($("day").value)) go($("day").value, $("type").value);
  });
  window.addEventListener("popstate", () => Promise.all([timeline(), showDay()]));
  await Promise.all([timeline(), showDay()]);
}

start();
