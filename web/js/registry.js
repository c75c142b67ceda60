// SPDX-License-Identifier: Apache-2.0
// What the server lists for its clients (GET /api/v1/registry, docs/FORMAT.md
// "The registry"): the pledge categories with their units and the range of a
// requirement's priority. The console takes them from there, never a copy of
// its own; read once per page.
import { el, getJSON } from "./ui.js";

let once = null;
export function registry() {
  if (!once) once = getJSON("/api/v1/registry").catch((e) => { once = null; throw e; });
  return once;
}

// A category as words: ground_forces reads "ground forces".
export const category = (c) => String(c || "").replace(/_/g, " ");

// A <select> of the categories, each shown as words (ground_forces: "ground forces").
export function categorySelect(id, reg) {
  return el("select", { id, name: id }, reg.categories.map((c) =>
    el("option", { value: c.category }, category(c.category))));
}

// The units the categories count in, each once.
export const units = (reg) => [...new Set(reg.categories.map((c) => c.unit).filter(Boolean))];

// The same, as suggestions for a unit field (a <datalist>; the field names it in `list`).
export function unitList(id, reg) {
  return el("datalist", { id }, units(reg).map((u) => el("option", { value: u })));
}
