// SPDX-License-Identifier: Apache-2.0
// The ledger explorer: checkpoint and entries, each checked in the browser
// against the verifier key the user supplied (kept in localStorage).
import { el, clear, getJSON, when, table, notice, ledgerNotice } from "./ui.js";
import { parseVkey, fingerprint, verifyNote, verifyCosignature, parseNote, parseCheckpoint,
  checkTlogProof, b64decode } from "./verify.js";

const KEY = "willing.vkey";
const WITNESSES = "willing.witnesses";
let vkey = null;

async function witnessKeys() {
  const out = [];
  for (const line of (localStorage.getItem(WITNESSES) || "").split("\n"))
    if (line.trim()) out.push(await parseVkey(line).catch(() => null));
  return out.filter((k) => k && k.type === 4);
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
      ". Compare this fingerprint with the one you were given."));
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
    const r = await fetch("/log/checkpoint", { cache: "no-store" });
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
      const ws = await witnessKeys();
      for (const w of ws) {
        const t = await verifyCosignature(note, w);
        checks.push(verdict(t !== null, "cosigned by the witness " + w.name,
          t !== null ? "at " + when(t) : "no valid cosignature by that key"));
      }
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

function decodeEntry(bytes) {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split("\n");
  return { text, header: lines[0], origin: lines[1], kind: lines[2], author: lines[3],
    seq: lines[4], time: Number(lines[5]), body: lines[6] };
}

async function showEntry(index) {
  const box = document.getElementById("entry");
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
        const res = await checkTlogProof(await pr.text(), bytes, vkey);
        if (res.index !== undefined && res.index !== index)
          res.steps.push({ what: "The proof is for entry " + index, ok: false,
            detail: "it is for entry " + res.index });
        for (const s of res.steps) items.push(verdict(s.ok, s.what, s.detail));
        items.unshift(el("li", { class: res.ok && res.index === index ? "pass overall" : "fail overall" },
          el("strong", {}, res.ok && res.index === index ? "This entry is verified." :
            "This entry could not be verified.")));
      }
    }
    let body = d.body;
    try {
      body = JSON.stringify(JSON.parse(d.body), null, 2);
    } catch {
      /* shown as is */
    }
    clear(box,
      el("h3", {}, "Entry #" + index + ": " + d.kind + " by " + d.author),
      el("ul", { class: "checks" }, items),
      el("dl", { class: "facts" },
        el("dt", {}, "Time"), el("dd", {}, when(d.time)),
        el("dt", {}, "Signed with"), el("dd", {}, e.key_scope === "console"
          ? "a key of scope console: written from the web console"
          : e.key_scope ? "a key of scope " + e.key_scope : "a key the log no longer lists"),
        el("dt", {}, "Permalink"), el("dd", {}, el("a", { href: "/entry/" + index }, "/entry/" + index))),
      el("pre", { class: "body", tabindex: "0" }, body),
      el("details", {}, el("summary", {}, "The exact signed bytes"),
        el("pre", { class: "raw", tabindex: "0" }, d.text)));
  } catch (e) {
    clear(box, notice(e.status === 404 ? "There is no entry " + index + " yet." :
      "Entry " + index + " cannot be read: " + e.message, "error"));
  }
}

async function listEntries(params) {
  const box = document.getElementById("entries");
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined) q.set(k, v);
  if (!q.has("order")) q.set("order", "newest");
  q.set("limit", "50");
  try {
    const r = await getJSON("/api/v1/entries?" + q);
    if (r.entries.length === 0) {
      clear(box, notice("No entry matches. Clear the filters to see every entry."));
      return;
    }
    q.set("format", "csv");
    clear(box,
      table("Entries, newest first", ["Index", "Kind", "Author", "Time", "Summary"],
        r.entries.map((e) => [el("a", { href: "/entry/" + e.index }, "#" + e.index), e.kind,
          e.author, when(e.time),
          e.revealed ? "reveals " + e.revealed.kind + " by " + e.revealed.author
                     : (e.body.text || JSON.stringify(e.body)).slice(0, 90)])),
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
  localStorage.setItem(WITNESSES, document.getElementById("wkeys").value.trim());
  await checkpoint();
});
document.getElementById("key-forget").addEventListener("click", async () => {
  localStorage.removeItem(KEY);
  document.getElementById("vkey").value = "";
  await loadKey();
  await checkpoint();
});
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
  document.getElementById("wkeys").value = localStorage.getItem(WITNESSES) || "";
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
