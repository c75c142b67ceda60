// SPDX-License-Identifier: Apache-2.0
// The monitors' reports over the deal's map (the monitors' page, docs/internals/console.md,
// "The monitors' page"): a day's answer of GET /api/v1/monitor/map drawn as Leaflet layers
// over map.js's map. A report alone in its cell is a dot of its type's colour inside the
// circle of its precision (radius_m), its observed and logged times fetched when opened;
// reports sharing a cell are one numbered cluster (a click zooms to its bounds, where the
// page asks the server again at that zoom); reports naming an oblast outline that oblast,
// never spread over it. UCDP's events are their own layer, attributed to UCDP. Incidents
// (GET /api/v1/incidents) are a layer too: each joining two or more reports is outlined
// around their precision circles, with how many. The map's element counts what it drew:
// data-points, data-cluster-reports, data-oblast-reports, data-drawn (their sum, the API's
// `reports`), data-history, data-incidents and data-incident-reports.
import * as L from "/vendor/leaflet/leaflet.esm.js";
import { el, clear, getJSON, when } from "./ui.js";

export const COLOURS = { explosion: "#c0392b", projectile: "#d35400", muzzle_flash: "#b7950b",
  bursts_shots: "#8e44ad", weapon_in_violation: "#1f618d", restriction: "#117a65",
  civilian_infrastructure_damage: "#6e2c00", civilian_casualties: "#000000" };
export const label = (t) => String(t).replace(/_/g, " ");
const UCDP_COLOUR = "#6c757d";
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const byTypeText = (b) => Object.entries(b || {}).map(([t, n]) => n + " " + label(t)).join(", ");
const precision = (s) => (s >= 3600 ? "± " + s / 3600 + " h" : "± " + Math.round(s / 60) + " min");

// One report's words, fetched when its popup opens: the type, what it saw, both times.
async function fill(box, index) {
  try {
    const r = await getJSON("/api/v1/reports/" + index);
    const b = r.report;
    clear(box, el("strong", {}, label(r.type)), b.count ? " (" + b.count + ")" : "",
      b.weapon ? ": " + b.weapon.count + " " + label(b.weapon.type) : "",
      b.restriction ? ": " + label(b.restriction) : "",
      el("br"), "observed " + when(r.observed) + " " + precision(r.precision_s),
      el("br"), "logged " + when(r.logged), el("br"), "by " + r.author + ", ",
      el("a", { href: "/entry/" + r.index }, "entry " + r.index),
      b.location && b.location.radius_m ? el("br") : null,
      b.location && b.location.radius_m ? "within " + b.location.radius_m + " m" : null,
      b.text ? el("p", {}, "“" + b.text + "”") : null);
    box.dataset.loaded = "1";
  } catch (e) {
    clear(box, "Report " + index + " cannot be loaded: " + e.message);
  }
}

function countIcon(n, cls) {
  return L.divIcon({ className: "count-icon " + cls, iconSize: [34, 34],
    html: el("span", { "aria-hidden": "true" }, String(n)) });
}

// The convex hull of [lon, lat] points (Andrew's monotone chain), counter-clockwise.
function hull(ps) {
  const p = ps.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (xs) => xs.reduce((h, q) => {
    while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
    h.push(q);
    return h;
  }, []);
  const lo = half(p), hi = half(p.slice().reverse());
  return lo.slice(0, -1).concat(hi.slice(0, -1));
}

// Points on a report's precision circle (12, in degrees about its point).
function ring(l) {
  const dlat = l.radius_m / 111320, dlon = dlat / Math.max(0.01, Math.cos((l.lat * Math.PI) / 180));
  return [...Array(12).keys()].map((k) => [l.lon + dlon * Math.cos((k * Math.PI) / 6),
    l.lat + dlat * Math.sin((k * Math.PI) / 6)]);
}

// The day's incidents (of the type), and where each of their reports is: the reports of
// the UTC days their times span (GET /api/v1/reports?day=, page by page, at most 20,000).
export async function incidentsOf(day, type) {
  const a = await getJSON("/api/v1/incidents?day=" + day + (type ? "&type=" + type : ""));
  const many = a.incidents.filter((i) => i.size > 1);
  const days = new Set();
  for (const i of many)
    for (let t = i.t_min - (i.t_min % 86400); t <= i.t_max; t += 86400)
      days.add(new Date(t * 1000).toISOString().slice(0, 10));
  const where = new Map();
  for (const d of days) {
    let after = null;
    do {
      const r = await getJSON("/api/v1/reports?day=" + d + "&limit=1000" + (after !== null ? "&after=" + after : ""));
      for (const x of r.reports) if (x.report.location && x.report.location.radius_m) where.set(x.index, x.report.location);
      after = r.next === undefined ? null : r.next;
    } while (after !== null && where.size < 20000);
  }
  return { incidents: many, more: a.more, where };
}

export class ReportsMap {
  // map: the Leaflet map; oblasts: the background's GeoJSON features; zoomTo(bounds)
  constructor(map, oblasts) {
    this.map = map;
    this.oblasts = new Map((oblasts || []).map((f) => [f.properties.name, f]));
    this.reports = L.layerGroup().addTo(map);
    this.history = null;
    this.incidents = L.layerGroup().addTo(map);
    this.showReports = true;
    this.showHistory = false;
    this.showIncidents = true;
  }

  // Draws one answer of GET /api/v1/monitor/map; returns the rows of the table in words.
  draw(a) {
    const box = this.map.getContainer();
    this.reports.clearLayers();
    const rows = [];
    for (const p of a.points) {
      const at = [p.lat, p.lon], c = COLOURS[p.type] || "#333333";
      const pop = el("div", { class: "report-pop", "data-index": p.index }, "Loading report " +
        p.index + "…");
      const dot = L.circleMarker(at, { radius: 6, color: "#ffffff", weight: 1, fillColor: c, className: "report-dot",
        fillOpacity: 1 }).bindPopup(pop).bindTooltip(label(p.type) + " (" + p.count + ")");
      dot.on("popupopen", () => fill(pop, p.index));
      L.featureGroup([L.circle(at, { radius: p.radius_m, color: c, weight: 1, fillOpacity: 0.1,
        interactive: false }), dot]).addTo(this.reports);
      rows.push([el("a", { href: "/entry/" + p.index }, "#" + p.index), label(p.type), String(p.count),
        p.lat.toFixed(4) + ", " + p.lon.toFixed(4) + " within " + p.radius_m + " m", "1"]);
    }
    for (const c of a.clusters) {
      const [w, s, e, n] = c.bounds;
      const m = L.marker([c.lat, c.lon], { icon: countIcon(c.reports, "cluster"), keyboard: true,
        title: c.reports + " reports: " + byTypeText(c.by_type) + ". Select to zoom in.",
        alt: c.reports + " reports" }).bindTooltip(c.reports + " reports: " + byTypeText(c.by_type));
      m.on("click", () => {
        if (w === e && s === n) this.map.setView([s, w], Math.max(13, this.map.getZoom() + 2));
        else this.map.fitBounds([[s, w], [n, e]], { padding: [40, 40], maxZoom: 13 });
      });
      m.addTo(this.reports);
      rows.push(["cluster", byTypeText(c.by_type), String(c.count), "around " + c.lat.toFixed(3) +
        ", " + c.lon.toFixed(3) + " (" + s + " to " + n + " N, " + w + " to " + e + " E)",
        String(c.reports)]);
    }
    for (const o of a.oblasts) {
      const f = this.oblasts.get(o.name);
      const what = o.reports + " reports naming " + o.name + ": " + byTypeText(o.by_type);
      if (f) {
        const area = L.geoJSON(f, { style: { color: "#117a65", weight: 3, dashArray: "6 4",
          fill: false }, interactive: false });
        const centre = area.getBounds().getCenter();
        L.featureGroup([area, L.marker(centre, { icon: countIcon(o.reports, "oblast"), title: what,
          alt: o.reports + " reports" }).bindTooltip(what)]).addTo(this.reports);
      }
      rows.push([o.indexes.map((i) => el("a", { href: "/entry/" + i }, "#" + i + " ")),
        byTypeText(o.by_type), String(o.count), o.name + " (the oblast, no point)", String(o.reports)]);
    }
    const sum = (xs) => xs.reduce((t, x) => t + x.reports, 0);
    box.dataset.points = String(a.points.length);
    box.dataset.clusterReports = String(sum(a.clusters));
    box.dataset.oblastReports = String(sum(a.oblasts));
    box.dataset.drawn = String(a.points.length + sum(a.clusters) + sum(a.oblasts));
    this.drawHistory(a.history);
    this.apply();
    return rows;
  }

  // UCDP's events of the day, their own layer with UCDP's attribution (CC BY 4.0).
  drawHistory(h) {
    if (this.history) this.map.removeLayer(this.history);
    this.history = L.layerGroup([], { attribution: esc(h.attribution) });
    for (const e of h.events) {
      L.circleMarker([e.lat, e.lon], { radius: 5, color: UCDP_COLOUR, weight: 2, fill: false,
        dashArray: "2 2" }).bindTooltip("UCDP event " + e.id + ", " + e.date_start +
        (e.date_end !== e.date_start ? " to " + e.date_end : "") + ": " + e.best +
        " deaths (best estimate), " + esc(e.where || "")).addTo(this.history);
    }
    this.map.getContainer().dataset.history = String(h.events.length);
  }

  // Each incident of two or more reports outlined around their precision circles.
  drawIncidents(a) {
    this.incidents.clearLayers();
    let reports = 0;
    for (const i of a.incidents) {
      const ls = i.reports.map((r) => a.where.get(r.report)).filter((l) => l);
      if (ls.length < 2) continue;
      reports += i.size;
      const types = [...new Set(i.reports.map((r) => label(r.type)))].join(", ");
      L.polygon(hull(ls.flatMap(ring)).map(([x, y]) => [y, x]), { color: "#222222", weight: 2,
        dashArray: "5 3", fill: true, fillOpacity: 0.05, className: "incident" })
        .bindTooltip("Incident " + i.id + ": " + i.size + " reports (" + types + "), observed " +
          when(i.t_min) + (i.t_max !== i.t_min ? " to " + when(i.t_max) : ""))
        .addTo(this.incidents);
    }
    const box = this.map.getContainer();
    box.dataset.incidents = String(this.incidents.getLayers().length);
    box.dataset.incidentReports = String(reports);
    this.apply();
    return this.incidents.getLayers().length;
  }

  // The layers' toggles.
  apply() {
    if (this.showReports) this.reports.addTo(this.map);
    else this.map.removeLayer(this.reports);
    if (this.showIncidents) this.incidents.addTo(this.map);
    else this.map.removeLayer(this.incidents);
    if (this.history && this.showHistory) this.history.addTo(this.map);
    else if (this.history) this.map.removeLayer(this.history);
  }
}

// The legend: one swatch per type, the precision circle, the clusters and UCDP.
export function legend(box) {
  const swatch = (colour) => {
    const s = el("span", { class: "swatch dot", "aria-hidden": "true" });
    s.style.backgroundColor = colour; // CSSOM, allowed by the page's CSP
    s.style.borderColor = colour;
    return s;
  };
  clear(box, el("ul", { class: "legend-list", "aria-label": "Legend of the reports" },
    Object.entries(COLOURS).map(([t, c]) => el("li", {}, swatch(c), label(t))),
    el("li", {}, "circle: the report's precision"), el("li", {}, "dashed outline: an incident's reports"), el("li", {}, "numbered: reports sharing a " +
      "cell (select to zoom in)"), el("li", {}, "green dashed oblast: reports naming it"),
    el("li", {}, swatch(UCDP_COLOUR), "UCDP event (history)")));
}
