// SPDX-License-Identifier: Apache-2.0
// The explorer's log setting and what it does with a log read from its static files
// only (a mirror served by any web server, docs/OPERATIONS.md "A static mirror"): an
// entry taken from its bundle and checked by an inclusion proof computed here from the
// tiles, and the whole log audited (every level-0 tile, the root recomputed). Every
// check against the checkpoint's root, whose signature is checked against the pinned key.
import { el, clear, when } from "./ui.js";
import { verifyNote, parseNote, parseCheckpoint, leafHash, rootFromInclusion, hex } from "./verify.js";
import { tileReader, auditRoot, getBytes } from "./tiles.js";
import { decodeEntry } from "./reveal.js";

const LOG = "willing.log";

// A log's base URL as given (…/log, no final slash), or an Error saying why not.
export function parseLogUrl(text) {
  let u;
  try {
    u = new URL(text.trim());
  } catch {
    return new Error("not a URL: give the log's base, as https://mirror.example/log");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return new Error("only http(s) URLs");
  if (u.search || u.hash || u.username || u.password)
    return new Error("a log's base URL has no query, fragment or user");
  return u.origin + u.pathname.replace(/\/+$/, "");
}

// The log the explorer reads: a URL set by ?log=URL (then kept) or in the page, else null
// (this server's own /log/ and its API).
export function logSetting() {
  const q = new URLSearchParams(location.search).get("log");
  if (q !== null) {
    const u = parseLogUrl(q);
    if (!(u instanceof Error)) localStorage.setItem(LOG, u);
  }
  return localStorage.getItem(LOG);
}
export const setLog = (u) => (u === null ? localStorage.removeItem(LOG) : localStorage.setItem(LOG, u));
export const logBase = () => localStorage.getItem(LOG) || "/log";

export function showLog(box, mirror) {
  clear(box, mirror
    ? el("p", { class: "notice warn log-where", role: "status" }, "Reading the log at ",
      el("code", { class: "log-url" }, mirror),
      ": its checkpoint, tiles and entry bundles only, fetched from there. Every proof is " +
      "computed here from those files and checked against the checkpoint signed by the key " +
      "you pinned; nothing else that server says is trusted.")
    : el("p", { class: "notice ok log-where", role: "status" },
      "Reading this server's own log (", el("code", {}, "/log/"), " and its API)."));
}

const verdict = (ok, what, detail) => el("li", { class: ok ? "pass" : "fail" },
  el("strong", {}, ok ? "Verified: " : "Failed: "), what,
  detail ? el("span", { class: "detail" }, " (" + detail + ")") : null);

// The log's checkpoint, read at BASE, and the checks of it against VKEY: {cp, steps}.
async function signedCheckpoint(base, vkey, steps, witnesses) {
  const note = new TextDecoder().decode(await getBytes(base + "/checkpoint", { cache: "no-store" }));
  const signed = await verifyNote(note, vkey);
  const cp = parseCheckpoint(parseNote(note).text);
  steps.push(verdict(signed, "the checkpoint is signed by the verifier key you supplied (" + vkey.name + ")",
    signed ? "Ed25519 signature valid" : "no valid signature by that key"));
  steps.push(verdict(cp.origin === vkey.name, "the checkpoint is for this log", "origin " + cp.origin));
  // the pinned witnesses and their quorum (explorer.js's witnessCheck), if given
  const w = witnesses ? await witnesses(note) : { ok: true, items: [] };
  steps.push(...w.items);
  return { cp, good: signed && cp.origin === vkey.name && w.ok };
}

const eq = (a, b) => a && hex(a) === hex(b);

// Entry INDEX of the mirror at BASE, checked in the browser, shown in BOX.
export async function showMirrorEntry(box, base, index, vkey, witnesses) {
  clear(box, el("p", { class: "loading" }, "Checking entry " + index + "…"));
  const steps = [];
  let bytes = null, verified = false;
  try {
    if (!vkey) throw new Error("supply the log's verifier key above: nothing is checked without it");
    const { cp, good } = await signedCheckpoint(base, vkey, steps, witnesses);
    if (index >= cp.size) throw new Error("there is no entry " + index + " in the checkpoint of size " + cp.size);
    let files = 0;
    const reader = tileReader(base, cp.size, (u) => getBytes(u), () => files++);
    bytes = await reader.entry(index);
    const leaf = await leafHash(bytes);
    const path = await reader.inclusion(index);
    const root = await rootFromInclusion(index, cp.size, leaf, path);
    const included = root !== null && eq(root, cp.root);
    steps.push(verdict(included, "the entry's bytes, from its bundle, are included at index " + index +
      " of the " + cp.size + " in that checkpoint", included
      ? "an inclusion proof of " + path.length + " hashes, computed here from " + files +
        " tile and bundle files, leads to its root"
      : "the inclusion proof computed from the tiles does not lead to the checkpoint's root"));
    verified = good && included;
  } catch (e) {
    steps.push(el("li", { class: "fail" }, el("strong", {}, "Not checked: "), e.message));
  }
  steps.unshift(el("li", { class: verified ? "pass overall" : "fail overall" },
    el("strong", {}, verified ? "This entry is verified." : "This entry could not be verified.")));
  const d = bytes ? decodeEntry(bytes) : null;
  clear(box,
    el("h3", {}, d ? "Entry #" + index + ": " + d.kind + " by " + d.author : "Entry #" + index),
    el("ul", { class: "checks" }, steps),
    d ? [el("dl", { class: "facts" },
      el("dt", {}, "Author"), el("dd", {}, d.author),
      el("dt", {}, "Ledger time"), el("dd", {}, when(d.time)),
      el("dt", {}, "Read from"), el("dd", {}, el("code", {}, base))),
    el("details", {}, el("summary", {}, "The body as signed (JSON)"),
      el("pre", { class: "body", tabindex: "0" }, d.body ? JSON.stringify(d.body, null, 2) : d.rawBody)),
    el("details", {}, el("summary", {}, "The exact signed bytes"),
      el("pre", { class: "raw", tabindex: "0" }, d.text))] : null);
}

// The whole log at BASE audited: every level-0 tile fetched, the root recomputed and
// compared with the signed checkpoint's. Progress in PROG (a <progress>), verdicts in BOX.
export async function auditLog(box, prog, base, vkey, witnesses) {
  const steps = [];
  let good = false;
  prog.hidden = false;
  prog.value = 0;
  clear(box, el("p", { class: "loading" }, "Auditing the log at " + base + "…"));
  try {
    if (!vkey) throw new Error("supply the log's verifier key above: nothing is checked without it");
    const s = await signedCheckpoint(base, vkey, steps, witnesses);
    const t0 = performance.now();
    const root = await auditRoot(base, s.cp.size, (u) => getBytes(u), (done, total) => {
      prog.max = total;
      prog.value = done;
      prog.textContent = done + " of " + total + " tiles";
    });
    const same = eq(root, s.cp.root);
    steps.push(verdict(same, "every level-0 tile (" + Math.ceil(s.cp.size / 256) + ") read and the root " +
      "recomputed: it matches the checkpoint's, for all " + s.cp.size + " entries", same
      ? "in " + Math.round(performance.now() - t0) + " ms" : "the tiles give another root"));
    good = s.good && same;
  } catch (e) {
    steps.push(el("li", { class: "fail" }, el("strong", {}, "Not audited: "), e.message));
  }
  steps.unshift(el("li", { class: good ? "pass overall" : "fail overall" }, el("strong", {},
    good ? "The whole log is audited: the root matches." : "The log could not be audited.")));
  clear(box, el("ul", { class: "checks" }, steps));
}
