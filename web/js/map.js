// SPDX-License-Identifier: Apache-2.0
// The map of zones and sites (the deal page): Leaflet, served by the daemon from
// Debian's libjs-leaflet at /vendor/leaflet/, no tiles and nothing from elsewhere.
// The background is Ukraine's oblast boundaries as the build simplified them
// (/geo/ukraine-oblasts.geojson, CC BY-SA 4.0, credited in the attribution);
// over it every zone's current version from GET /api/v1/zones, drawn by type
// (the contact line, each side's withdrawal line, buffer and exclusion zones) and
// each protected site by category. The public sees a site as its coarse point
// (the API's `coarse`), drawn with a ring of its precision. A table under the map
// says the same in words. The container's data-oblasts, data-zones and data-sites
// count the layers drawn.
import * as L from "/vendor/leaflet/leaflet.esm.js";
import { el, clear, getJSON, table, notice } from "./ui.js";

const TYPES = {
  contact_line: { label: "Contact line", style: { color: "#a0141e", weight: 4 } },
  withdrawal_line: { label: "Withdrawal line", style: { weight: 3, dashArray: "8 6" } },
  buffer: { label: "Buffer zone", style: { color: "#7a4d00", weight: 1, fillColor: "#f2a900",
    fillOpacity: 0.35 } },
  exclusion: { label: "Exclusion zone", style: { color: "#5b2a86", weight: 1,
    fillColor: "#5b2a86", fillOpacity: 0.3 } },
};
const SIDES = ["#1d4f91", "#0b6b2f", "#8a3b00", "#444444"]; // a withdrawal line's colour by side
const CATEGORIES = { energy: "#d35400", water: "#1f78b4", port: "#2c3e50", nuclear: "#8e44ad",
  other: "#555555" };
const ATTRIBUTION = "Oblast boundaries: Ministry for Communities and Territories Development of " +
  "Ukraine, via PeaceRep ukraine-map, CC BY-SA 4.0 (simplified)";

// One feature's words: for the tooltip and the table.
function describe(f) {
  const p = f.properties;
  const what = p.type === "site" ? "Protected site (" + p.category + ")"
    : (TYPES[p.type] || { label: p.type }).label;
  return what + " " + f.id + ", version " + p.version + (p.side ? ", side " + p.side : "") +
    (p.measured_from ? ", measured from " + p.measured_from : "") +
    (p.coarse ? ", shown to within " + p.precision_km + " km" : "");
}

function styleOf(f, sides) {
  const p = f.properties;
  if (p.type === "withdrawal_line") {
    if (!sides.has(p.side)) sides.set(p.side, SIDES[sides.size % SIDES.length]);
    return { ...TYPES.withdrawal_line.style, color: sides.get(p.side) };
  }
  if (p.type === "site") {
    const c = CATEGORIES[p.category] || CATEGORIES.other;
    return { color: c, fillColor: c, fillOpacity: 0.5, weight: 2 };
  }
  return (TYPES[p.type] || TYPES.buffer).style;
}

function legend(box, sides, zones) {
  const swatch = (cls, colour) => {
    const s = el("span", { class: "swatch " + cls, "aria-hidden": "true" });
    s.style.borderColor = colour; // CSSOM, allowed by the page's CSP
    s.style.backgroundColor = cls === "line" ? colour : "";
    return s;
  };
  const items = [];
  const types = new Set(zones.map((f) => f.properties.type));
  for (const [t, d] of Object.entries(TYPES)) {
    if (!types.has(t) || t === "withdrawal_line") continue;
    items.push(el("li", {}, swatch(t === "contact_line" ? "line" : "area", d.style.color), d.label));
  }
  for (const [side, colour] of sides)
    items.push(el("li", {}, swatch("line dashed", colour), "Withdrawal line of " + side));
  for (const c of new Set(zones.filter((f) => f.properties.type === "site")
    .map((f) => f.properties.category)))
    items.push(el("li", {}, swatch("dot", CATEGORIES[c] || CATEGORIES.other), "Site: " + c));
  clear(box, items.length ? el("ul", { class: "legend-list", "aria-label": "Legend" }, items) : null);
}

let map = null;
// The Leaflet map drawMap drew last (the monitors' page draws its reports over it).
export const currentMap = () => map;

// Draws the map and the zones' table; returns the zones' features (or null on failure).
export async function drawMap(container, legendBox, tableBox, says, deal) {
  let oblasts, zones;
  try {
    [oblasts, zones] = await Promise.all([getJSON("/geo/ukraine-oblasts.geojson"),
      getJSON("/api/v1/zones")]);
  } catch (e) {
    clear(says, notice("The map cannot be drawn: " + e.message + ".", "error"));
    return null;
  }
  if (map) map.remove();
  map = L.map(container, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  const back = L.geoJSON(oblasts, { style: { color: "#777777", weight: 1, fillColor: "#f4f1e8",
    fillOpacity: 1 }, interactive: false, attribution: ATTRIBUTION.replace(/&/g, "&amp;")
    .replace(/</g, "&lt;") }).addTo(map);
  const sides = new Map();
  const inDeal = new Set(deal ? deal.versions.flatMap((v) => v.zones || []) : []);
  const features = zones.features || [];
  let nZones = 0, nSites = 0;
  const layer = L.geoJSON({ type: "FeatureCollection", features }, {
    style: (f) => styleOf(f, sides),
    pointToLayer: (f, at) => {
      const p = f.properties;
      const dot = L.circleMarker(at, { radius: 7 });
      if (!p.coarse) return dot;
      // the public's point is the centre of a cell of precision_km: the ring says how coarse
      return L.featureGroup([L.circle(at, { radius: p.precision_km * 500, dashArray: "4 4",
        fill: false, weight: 1, color: CATEGORIES[p.category] || CATEGORIES.other }), dot]);
    },
    onEachFeature: (f, l) => {
      if (f.properties.type === "site") nSites++;
      else nZones++;
      l.bindTooltip(el("span", {}, describe(f)));
    },
  }).addTo(map);
  map.fitBounds(back.getBounds());
  container.dataset.oblasts = String(back.getLayers().length);
  container.dataset.zones = String(nZones);
  container.dataset.sites = String(nSites);
  legend(legendBox, sides, features);
  const coarse = features.some((f) => f.properties.coarse);
  clear(says, el("p", {}, features.length ? features.length + " zones and sites, each as its " +
    "current version. " + (coarse ? "Protected sites are shown to the public only as the centre " +
    "of a grid cell of their precision (the dashed ring), never where they are." : "")
    : "No zone or site has been set."));
  clear(tableBox, features.length ? table("Zones and sites, in words", ["Zone", "Type", "Version",
    "Entry", "Side / measured from", "Category", "Shown as", "In this deal"],
  features.map((f) => {
    const p = f.properties;
    return [f.id, p.type.replace(/_/g, " "), String(p.version),
      el("a", { href: "/entry/" + p.entry }, String(p.entry)),
      p.side ? p.side + " / " + p.measured_from : "", p.category || "",
      p.coarse ? "a coarse point (to " + p.precision_km + " km)" : f.geometry.type,
      inDeal.has(p.entry) ? "yes" : "no"];
  })) : null);
  layer.bringToFront();
  return features;
}
