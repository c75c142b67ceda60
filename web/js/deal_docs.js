// SPDX-License-Identifier: Apache-2.0
// The deal page's documents: each version's text and annexes by their SHA-256,
// downloadable from GET /api/v1/blobs/<hash>, and checked in this browser: the
// bytes received are hashed with WebCrypto and compared with the hash the version
// names (the one its parties signed). The verdict is "matches", or a mismatch
// naming both hashes; only checked bytes are offered to save. A private document
// is fetched with the session (its parties, coordinators and the operator read
// it); to anyone else the server answers 404, and the page says so.
import { el, clear, table } from "./ui.js";
import { sha256, hex } from "./verify.js";

// Every document of every version, once per hash: {hash, names: ["v1 text", ...]}.
function documents(d) {
  const byHash = new Map();
  const add = (hash, what) => {
    if (!byHash.has(hash)) byHash.set(hash, { hash, names: [], file: what.file });
    byHash.get(hash).names.push(what.label);
  };
  for (const v of d.versions.slice().reverse()) {
    add(v.text, { label: "version " + v.version + ": the text", file: d.deal + "-v" + v.version +
      "-text" });
    for (const a of v.annexes || [])
      add(a.hash, { label: "version " + v.version + ": annex “" + a.name + "”",
        file: d.deal + "-v" + v.version + "-" + a.name.replace(/[^A-Za-z0-9._-]+/g, "_") });
  }
  return [...byHash.values()];
}

// Downloads the document and checks its bytes against its hash; writes the verdict in box.
export async function check(doc, box) {
  clear(box, el("span", { class: "loading" }, "Downloading and checking…"));
  let r;
  try {
    r = await fetch("/api/v1/blobs/" + doc.hash, { credentials: "same-origin" });
  } catch (e) {
    clear(box, el("span", { class: "verdict fail", "data-verdict": "error" },
      "Could not download it: " + e.message));
    return "error";
  }
  if (r.status === 404) {
    clear(box, el("span", { class: "verdict info", "data-verdict": "unavailable" },
      "Not available to you: it is private to the deal's parties (sign in), or not uploaded yet."));
    return "unavailable";
  }
  if (!r.ok) {
    clear(box, el("span", { class: "verdict fail", "data-verdict": "error" },
      "The server answered " + r.status + "."));
    return "error";
  }
  const bytes = new Uint8Array(await r.arrayBuffer());
  const got = hex(await sha256(bytes));
  if (got !== doc.hash) {
    clear(box, el("span", { class: "verdict fail", role: "alert", "data-verdict": "mismatch" },
      el("strong", {}, "MISMATCH"), ": the " + bytes.length + " bytes received hash to ",
      el("code", { class: "hash" }, got), ", not to the hash the version names. These are not " +
      "the document the parties signed: do not rely on them."));
    return "mismatch";
  }
  const type = r.headers.get("content-type") || "application/octet-stream";
  const href = URL.createObjectURL(new Blob([bytes], { type }));
  clear(box, el("span", { class: "verdict pass", "data-verdict": "matches" },
    el("strong", {}, "matches"), ": the SHA-256 of the " + bytes.length + " bytes received, " +
    "computed in this browser, is the hash the version names. "),
  el("a", { href, download: doc.file }, "Save the checked copy"));
  return "matches";
}

export function documentsOf(box, d) {
  const docs = documents(d);
  const rows = docs.map((doc) => {
    const verdict = el("div", { class: "doc-verdict", "data-hash": doc.hash },
      el("span", { class: "small" }, "not checked yet"));
    const button = el("button", { type: "button", class: "secondary check-doc",
      "data-hash": doc.hash }, "Download and check");
    button.addEventListener("click", () => check(doc, verdict));
    doc.verdict = verdict;
    return [el("ul", { class: "plain" }, doc.names.map((n) => el("li", {}, n))),
      el("code", { class: "hash" }, doc.hash),
      el("a", { href: "/api/v1/blobs/" + doc.hash, download: doc.file }, "as served"),
      [button, verdict]];
  });
  const all = el("button", { type: "button", id: "check-all" }, "Check every document");
  all.addEventListener("click", () => Promise.all(docs.map((doc) => check(doc, doc.verdict))));
  clear(box,
    el("p", {}, "Each document is named by the SHA-256 of its bytes, and a party's signature " +
      "covers those hashes. “Download and check” hashes what the server sends, here in the " +
      "browser, and compares."),
    all,
    el("div", { id: "documents-table" }, table("Documents of " + d.deal + " by hash",
      ["Document", "SHA-256", "Download", "Checked in this browser"], rows)));
}
