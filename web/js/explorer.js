// SPDX-License-Identifier: Apache-2.0
// The ledger explorer: checkpoint and entries, each checked in the browser
// against the verifier key the user supplied (kept in localStorage).
import { el, clear, getJSON, when, table, notice, ledgerNotice } from "./ui.js";
import { parseVkey, fingerprint, verifyNote, verifyCosignature, parseNote, parseCheckpoint,
  checkTlogProof, b64decode } from "./verify.js";
import { memberMap, nameOf, allEntries, pledgeFates, conditionText, decodeEntry,
  checkAnnouncement, saidOn, summary } from "./reveal.js";
import { category } from "./registry.js";
import { logSetting, setLog, logBase, showLog, showMirrorEntry, auditLog, parseLogUrl }
  from "./explorer_log.js";

const KEY = "willing.vkey";
const WITNESSES = "willing.witnesses";
const QUORUM = "willing.quorum";
let vkey = null;
let mirror = logSetting(); // a mirror's log URL, or null: this server's own log

// The cosignatures required of n pinned witnesses: the quorum the user set, or all of them.
function quorum(n) {
  const q = localStorage.getItem(QUORUM);
  return q === null || q === "" ? n : Number(q);
}

async function witnessKeys() {
  const out = [];
  for (const line of (localStorage.getItem(WITNESSES) || "").split("\n"))
    if (line.trim()) out.push(await parseVkey(line).catch(() => null));
  return out.filter((k) => k && k.type === 4);
}

// The pinned witnesses' cosignatures on NOTE, each checked, and whether the quorum is met
// (ok when no witness is pinned): { ok, items (verdicts), keys (the pinned keys) }.
async function witnessCheck(note) {
  const ws = await witnessKeys();
  const items = [];
  let good = 0;
  for (const w of ws) {
    const t = await verifyCosignature(note, w);
    if (t !== null) good++;
    items.push(verdict(t !== null, "cosigned by the witness " + w.name,
      t !== null ? "at " + when(t) : "no valid cosignature by that key"));
  }
  const q = quorum(ws.length);
  if (ws.length)
    items.push(verdict(good >= q, "a quorum of witnesses: " + good + " of the " + ws.length +
      " pinned cosigned it, " + q + " required",
      good >= q ? null : "fewer valid cosignatures than the quorum you set"));
  return { ok: good >= q, items, keys: ws };
}

async function loadKey() {
  const box = document.getElementById("key-status");
  const text = localStorage.getItem(KEY);
  vkey = null;
  if (!text) {
    clear(box, notice("No verifier key yet: paste one above. Until then nothing here is " +
      "checked, and the page says so.", "warn"));
    return;
  }
  try {
    vkey = await parseVkey(text);
    document.getElementById("vkey").value = text;
    clear(box, el("p", { class: "notice ok", role: "status" },
      "Checking against the key of ", el("code", {}, vkey.name), ", fingerprint ",
      el("code", { class: "fp" }, await fingerprint(vkey)),
      ". Compare it with the fingerprint given to you with the key: `willing init` prints " +
      "both when it creates the ledger (`make run` prints the demo's); docs/FORMAT.md says how " +
      "it is computed."));
  } catch (e) {
    clear(box, notice("The saved key is not usable: " + e.message, "error"));
  }
}

function verdict(ok, what, detail) {
  return el("li", { class: ok ? "pass" : "fail" },
    el("strong", {}, ok ? "Verified: " : "Failed: "), what,
    detail ? el("span", { class: "detail" }, " (" + detail + ")") : null);
}

async function checkpoint() {
  const box = document.getElementById("checkpoint");
  try {
    const r = await fetch(logBase() + "/checkpoint", { cache: "no-store" });
    if (!r.ok) throw new Error(r.status + " " + r.statusText);
    const note = await r.text();
    const n = parseNote(note);
    const cp = parseCheckpoint(n.text);
    const rows = [
      ["Origin", cp.origin], ["Size", String(cp.size)],
      ["Root", el("code", { class: "hash" }, n.text.split("\n")[2])],
      ["Signatures", n.sigs.map((s) => s.name + " (" + s.keyId + ")").join(", ")],
    ];
    const checks = [];
    if (vkey) {
      const ok = await verifyNote(note, vkey);
      checks.push(verdict(ok, "the checkpoint is signed by the key you supplied",
        ok ? "Ed25519, WebCrypto" : "no valid signature by " + vkey.name + " " + vkey.id));
      const w = await witnessCheck(note);
      checks.push(...w.items);
      const ws = w.keys;
      const cos = n.sigs.filter((s) => s.name !== vkey.name && !ws.some((w) => w.name === s.name));
      if (cos.length)
        checks.push(el("li", { class: "info" }, cos.length + " other cosignature(s), not checked: " +
          "add their witnesses' keys above to check them."));
    } else {
      checks.push(el("li", { class: "fail" }, el("strong", {}, "Not checked: "),
        "no verifier key supplied"));
    }
    clear(box, el("ul", { class: "checks" }, checks),
      el("dl", { class: "facts" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
    return cp;
  } catch (e) {
    clear(box, notice("The checkpoint cannot be read: " + e.message, "error"));
    return null;
  }
}

let members = new Map();

const row = (k, v) => v === undefined || v === null || v === "" ? null
  : [el("dt", {}, k), el("dd", {}, v)];

// What an announcement reveals, decoded in the browser from the entry's own bytes.
function revealedFacts(c, env, index, fate) {
  const b = c.body || {};
  const m = members.get(c.author);
  const rows = [row("Member", (m ? m.name + " " : "") + "(" + c.author + ")" +
      (m && m.status === "withdrawn" ? ": withdrawn from the coalition, its pledges no longer count" : "")),
    row("Kind", c.kind)];
  if (c.kind === "pledge") {
    rows.push(row("Category", category(b.category)), row("Quantity", b.quantity + " " + b.unit),
      row("Place", b.place), row("Period", b.period),
      row("Caveats", (b.caveats || []).join("; ")),
      row("Conditions", b.condition === undefined ? "none: it binds as it stands"
        : conditionText(b.condition, members)),
      row("Readers before it was announced", (b.readers || []).map((r) => nameOf(members, r)).join(", ")),
      row("Text", b.text),
      row("Amends", b.amends ? el("code", {}, b.amends) : null),
      row("Pledge id", el("code", {}, b.pledge)));
  } else if (c.kind === "pledge.withdraw") {
    rows.push(row("Withdraws the pledge", el("code", {}, b.pledge)));
  } else if (c.kind === "member.add") {
    rows.push(row("Name", b.name), row("Role", b.role));
  } else {
    rows.push(row("Body", JSON.stringify(b)));
  }
  rows.push(row("Signed by its author", when(c.time)),
    row("Sealed in the ledger", env ? el("span", {}, when(env.time) + ", ",
      el("a", { href: "/entry/" + env.index }, "envelope #" + env.index)) : null),
    row("Announced", "entry #" + index));
  const marks = [];
  if (fate && fate.superseded !== undefined)
    marks.push(el("p", { class: "notice warn mark" }, "Superseded: amended by the pledge announced at ",
      el("a", { href: "/entry/" + fate.superseded }, "entry #" + fate.superseded), "."));
  if (fate && fate.withdrawn !== undefined)
    marks.push(el("p", { class: "notice warn mark" }, "Withdrawn by its author at ",
      el("a", { href: "/entry/" + fate.withdrawn }, "entry #" + fate.withdrawn), "."));
  return [marks, el("dl", { class: "facts revealed" }, rows)];
}

async function fateOf(c) {
  if (c.kind !== "pledge") return null;
  try {
    return pledgeFates((await allEntries("kind=announce")).entries).get(c.body.pledge) || null;
  } catch {
    return null;
  }
}

async function showEntry(index) {
  const box = document.getElementById("entry");
  if (mirror) return showMirrorEntry(box, mirror, index, vkey, witnessCheck);
  clear(box, el("p", { class: "loading" }, "Checking entry " + index + "…"));
  try {
    const e = await getJSON("/api/v1/entries/" + index);
    const bytes = b64decode(e.entry);
    const d = decodeEntry(bytes);
    const items = [];
    if (!vkey) {
      items.push(el("li", { class: "fail" }, el("strong", {}, "Not checked: "),
        "supply the log's verifier key above"));
    } else {
      const pr = await fetch("/api/v1/entries/" + index + "/proof", { cache: "no-store" });
      if (!pr.ok) {
        items.push(el("li", { class: "fail" }, el("strong", {}, "Not checked yet: "),
          "no published checkpoint covers this entry yet; retry in a second"));
      } else {
        const text = await pr.text();
        const res = await checkTlogProof(text, bytes, vkey);
        if (res.index !== undefined && res.index !== index)
          res.steps.push({ what: "The proof is for entry " + index, ok: false,
            detail: "it is for entry " + res.index });
        for (const s of res.steps) items.push(verdict(s.ok, s.what, s.detail));
        // the pinned witnesses' quorum, on the checkpoint the proof leads to
        const w = await witnessCheck(text.slice(text.indexOf("\n\n") + 2));
        items.push(...w.items);
        const ok = res.ok && res.index === index && w.ok;
        items.unshift(el("li", { class: ok ? "pass overall" : "fail overall" },
          el("strong", {}, ok ? "This entry is verified." : "This entry could not be verified.")));
      }
    }
    const body = d.body ? JSON.stringify(d.body, null, 2) : d.rawBody;
    if (members.size === 0) members = await memberMap();
    const author = nameOf(members, d.author);
    let revealed = [];
    if (d.kind === "announce") {
      const a = await checkAnnouncement(index, d, vkey, members);
      const okAll = a.steps.every((s) => s.ok);
      revealed = [el("h4", {}, a.content ? "What it reveals: " + (a.content.kind === "pledge"
        ? "a pledge by " + nameOf(members, a.content.author) : a.content.kind + " by " +
        nameOf(members, a.content.author)) : "What it reveals"),
      a.content ? revealedFacts(a.content, a.envelope, index, await fateOf(a.content)) : null,
      el("ul", { class: "checks revealed-checks" },
        el("li", { class: okAll && vkey ? "pass overall" : "fail overall" }, el("strong", {},
          !okAll ? "The revealed content could not be verified."
            : vkey ? "The revealed content is verified: its commitment and its author's signature."
              : "Not verified: without the log's verifier key, the envelope and the author's key " +
                "are only what this server says. Supply the key above.")),
        a.steps.map((s) => verdict(s.ok, s.what, s.detail)))];
    } else if (d.kind === "statement" && d.body) {
      revealed = [el("blockquote", { class: "statement" }, d.body.text),
        el("dl", { class: "facts" }, row("Said", saidOn(d.body) ? saidOn(d.body) +
          " (the date its source gives)" : null), row("Source", d.body.source))];
    }
    clear(box,
      el("h3", {}, "Entry #" + index + ": " + d.kind + " by " + author),
      el("ul", { class: "checks" }, items),
      revealed,
      el("dl", { class: "facts" },
        el("dt", {}, "Author"), el("dd", {}, author + " (" + d.author + ")"),
        el("dt", {}, "Ledger time"), el("dd", {}, when(d.time)),
        el("dt", {}, "Signed with"), el("dd", {}, e.key_scope === "console"
          ? "a key of scope console: written from the web console"
          : e.key_scope ? "a key of scope " + e.key_scope : "a key the log no longer lists"),
        el("dt", {}, "Permalink"), el("dd", {}, el("a", { href: "/entry/" + index }, "/entry/" + index))),
      el("details", {}, el("summary", {}, "The body as signed (JSON)"),
        el("pre", { class: "body", tabindex: "0" }, body)),
      el("details", {}, el("summary", {}, "The exact signed bytes"),
        el("pre", { class: "raw", tabindex: "0" }, d.text)));
  } catch (e) {
    clear(box, notice(e.status === 404 ? "There is no entry " + index + " yet." :
      "Entry " + index + " cannot be read: " + e.message, "error"));
  }
}

async function listEntries(params) {
  const box = document.getElementById("entries");
  if (mirror) {
    clear(box, notice("A mirror serves the log's files only: listing and filtering entries need " +
      "a daemon's API. Check an entry by its index above, or read this server's own log."));
    return;
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined) q.set(k, v);
  if (!q.has("order")) q.set("order", "newest");
  q.set("limit", "50");
  try {
    const r = await getJSON("/api/v1/entries?" + q);
    if (members.size === 0) members = await memberMap();
    if (r.entries.length === 0) {
      clear(box, notice("No entry matches. Clear the filters to see every entry."));
      return;
    }
    q.set("format", "csv");
    clear(box,
      table("Entries, newest first", ["Index", "Kind", "Author", "Time", "Summary"],
        r.entries.map((e) => [el("a", { href: "/entry/" + e.index }, "#" + e.index),
          el("span", { class: "nowrap" }, e.kind),
          nameOf(members, e.author), el("span", { class: "nowrap" }, when(e.time)),
          summary(e, members).slice(0, 120)])),
      el("p", { class: "csv" }, el("a", { href: "/api/v1/entries?" + q, download: "" },
        "Download these entries (CSV)")));
  } catch (e) {
    clear(box, notice("The entries cannot be listed: " + e.message, "error"));
  }
}

function dateToUnix(s) {
  return s ? String(Math.floor(Date.parse(s + "T00:00:00Z") / 1000)) : "";
}

document.getElementById("key-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = document.getElementById("vkey").value.trim();
  try {
    await parseVkey(text);
    localStorage.setItem(KEY, text);
  } catch (e) {
    clear(document.getElementById("key-status"), notice("Not a verifier key: " + e.message, "error"));
    return;
  }
  await loadKey();
  await checkpoint();
  const i = document.getElementById("entry-index").value;
  if (i !== "") await showEntry(Number(i));
});
document.getElementById("witness-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const keys = document.getElementById("wkeys").value.trim();
  const q = document.getElementById("wquorum").value.trim();
  const n = keys ? keys.split("\n").filter((l) => l.trim()).length : 0;
  const status = document.getElementById("witness-status");
  if (q !== "" && (!/^[0-9]+$/.test(q) || Number(q) > n)) {
    clear(status, notice("The quorum must be a whole number, at most the " + n +
      " witness key(s) given.", "error"));
    return;
  }
  clear(status);
  localStorage.setItem(WITNESSES, keys);
  if (q === "") localStorage.removeItem(QUORUM);
  else localStorage.setItem(QUORUM, q);
  await checkpoint();
});
document.getElementById("key-forget").addEventListener("click", async () => {
  localStorage.removeItem(KEY);
  document.getElementById("vkey").value = "";
  await loadKey();
  await checkpoint();
});
async function useLog(u) {
  setLog(u);
  mirror = u;
  if (new URLSearchParams(location.search).has("log")) history.replaceState(null, "", location.pathname);
  showLog(document.getElementById("log-status"), mirror);
  document.getElementById("log-url").value = mirror || "";
  clear(document.getElementById("audit"));
  await checkpoint();
  const i = document.getElementById("entry-index").value;
  if (i !== "") await showEntry(Number(i));
  await listEntries({});
}
document.getElementById("log-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = document.getElementById("log-url").value.trim();
  const u = text === "" ? null : parseLogUrl(text);
  if (u instanceof Error) {
    clear(document.getElementById("log-status"), notice("Not a log's URL: " + u.message, "error"));
    return;
  }
  await useLog(u);
});
document.getElementById("log-own").addEventListener("click", () => useLog(null));
document.getElementById("audit-run").addEventListener("click", () =>
  auditLog(document.getElementById("audit"), document.getElementById("audit-progress"), logBase(), vkey, witnessCheck));
document.getElementById("entry-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const i = document.getElementById("entry-index").value;
  if (i === "" || Number(i) < 0) return;
  history.replaceState(null, "", "/entry/" + Number(i));
  showEntry(Number(i));
});
document.getElementById("filter-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const until = dateToUnix(f.get("until"));
  listEntries({ kind: f.get("kind"), author: f.get("author"), from: f.get("from"),
    since: dateToUnix(f.get("since")),
    until: until ? String(Number(until) + 86400) : "" });
});

(async () => {
  showLog(document.getElementById("log-status"), mirror);
  document.getElementById("log-url").value = mirror || "";
  document.getElementById("wkeys").value = localStorage.getItem(WITNESSES) || "";
  document.getElementById("wquorum").value = localStorage.getItem(QUORUM) || "";
  await loadKey();
  await checkpoint();
  const m = /^\/entry\/([0-9]+)$/.exec(location.pathname);
  if (m) {
    document.getElementById("entry-index").value = m[1];
    await showEntry(Number(m[1]));
  }
  await listEntries({});
})();

ledgerNotice();
