// SPDX-License-Identifier: Apache-2.0
// Small DOM helpers (no framework) and the API's JSON calls.

export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
}

export function clear(node, ...kids) {
  node.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined));
  return node;
}

export async function getJSON(path, opts = {}) {
  const r = await fetch(path, { credentials: "same-origin", ...opts });
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  if (!r.ok) {
    const msg = body && body.message ? body.message : r.status + " " + r.statusText;
    const err = new Error(msg);
    err.status = r.status;
    err.code = body && body.error;
    throw err;
  }
  return body;
}

// PATH with the params that have a value as its query string.
export function withQuery(path, params) {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  return path + (s.toString() ? "?" + s : "");
}

// A download link to a CSV the server writes.
export const csvLink = (href, what) => el("p", { class: "csv" }, el("a", { href, download: "" },
  "Download " + what + " (CSV)"));

// What failed to load, in BOX, as an error notice.
export function failed(box, what, e) {
  clear(box, notice(what + " cannot be loaded: " + e.message + ". Reload the page.", "error"));
}

export function when(unix) {
  return new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

// A table with a caption, header cells and rows of cells (strings or nodes).
// A CSV of what a table shows (RFC 4180), as a download link: every table has one.
// A cell a spreadsheet would take for a formula (it begins with = + - @, a tab or a
// carriage return: OWASP "CSV Injection") gets a leading single quote; a plain
// number stays a number. The server's CSV does the same (include/willing/csv.h).
const FORMULA = /^[=+\-@\t\r]/, NUMBER = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)$/;
export function csvOf(headers, rows) {
  const cell = (c) => {
    let t = c instanceof Node ? c.textContent : Array.isArray(c)
      ? c.map((x) => (x instanceof Node ? x.textContent : String(x))).join(" ") : String(c);
    if (FORMULA.test(t) && !NUMBER.test(t)) t = "'" + t;
    return '"' + t.replace(/"/g, '""') + '"';
  };
  return [headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

// Wrapped in a focusable region, so a wide table scrolls by keyboard too; with its CSV.
export function table(caption, headers, rows) {
  const href = URL.createObjectURL(new Blob([csvOf(headers, rows)], { type: "text/csv" }));
  const name = caption.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") + ".csv";
  return el("div", {}, tableOnly(caption, headers, rows),
    el("p", { class: "csv small" }, el("a", { href, download: name }, "This table as CSV")));
}

function tableOnly(caption, headers, rows) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    el("table", {},
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c)))))));
}

export function notice(text, kind = "info") {
  return el("p", { class: "notice " + kind, role: kind === "error" ? "alert" : "status", text });
}

// The ledger's own notice (the demo's "illustrative data"), shown on every page.
export async function ledgerNotice() {
  const box = document.getElementById("notice");
  if (!box) return;
  try {
    const m = await getJSON("/api/v1/members?limit=0");
    if (m.notice) clear(box, notice(m.notice, "warn"));
  } catch {
    /* the page says what failed where it matters */
  }
}
