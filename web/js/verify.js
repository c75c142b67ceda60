// SPDX-License-Identifier: Apache-2.0
// Checks done in the browser, trusting nothing the server says about them:
// C2SP signed notes and verifier keys (Ed25519 through WebCrypto), RFC 9162
// leaf and node hashes and inclusion proofs, C2SP tlog-proof files.

const enc = new TextEncoder();

export function b64decode(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function b64encode(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

export const leafHash = (data) => sha256(concat(new Uint8Array([0]), data));
export const nodeHash = (l, r) => sha256(concat(new Uint8Array([1]), l, r));

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

// A verifier key: name+hex8(key ID)+base64(0x01 || 32-byte Ed25519 key).
export async function parseVkey(text) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text.trim());
  if (!m) throw new Error("a verifier key reads name+8 hex digits+base64");
  const raw = b64decode(m[3]);
  if (raw.length !== 33 || (raw[0] !== 1 && raw[0] !== 4))
    throw new Error("only Ed25519 keys: signatures (type 0x01) or cosignatures (type 0x04)");
  const id = await sha256(concat(enc.encode(m[1] + "\n"), raw));
  if (hex(id.slice(0, 4)) !== m[2]) throw new Error("the key ID does not match the key");
  return { name: m[1], id: m[2], type: raw[0], pk: raw.slice(1), text: text.trim() };
}

// A fingerprint to compare out of band: SHA-256 of the whole key text, grouped.
export async function fingerprint(vkey) {
  const h = hex(await sha256(enc.encode(vkey.text)));
  return h.slice(0, 32).match(/.{4}/g).join(" ");
}

// Splits a signed note into its text (with the final newline) and signatures.
export function parseNote(note) {
  const cut = note.lastIndexOf("\n\n");
  if (cut < 0) throw new Error("not a signed note: no blank line before the signatures");
  const text = note.slice(0, cut + 1);
  const sigs = [];
  for (const line of note.slice(cut + 2).split("\n")) {
    if (line === "") continue;
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
    if (!m) throw new Error("a signature line is malformed");
    const raw = b64decode(m[2]);
    sigs.push({ name: m[1], keyId: hex(raw.slice(0, 4)), sig: raw.slice(4) });
  }
  return { text, sigs };
}

// True when the note carries a valid signature by vkey; false when it does not.
export async function verifyNote(note, vkey) {
  const n = parseNote(note);
  const key = await crypto.subtle.importKey("raw", vkey.pk, { name: "Ed25519" }, false, ["verify"]);
  for (const s of n.sigs) {
    if (s.name !== vkey.name || s.keyId !== vkey.id || s.sig.length !== 64) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, s.sig, enc.encode(n.text))) return true;
  }
  return false;
}

// A witness's tlog-cosignature/v1 (type 0x04) on a checkpoint note: its time, or null.
export async function verifyCosignature(note, wkey) {
  const n = parseNote(note);
  const key = await crypto.subtle.importKey("raw", wkey.pk, { name: "Ed25519" }, false, ["verify"]);
  for (const s of n.sigs) {
    if (s.name !== wkey.name || s.keyId !== wkey.id || s.sig.length !== 72) continue;
    let t = 0n;
    for (const b of s.sig.slice(0, 8)) t = (t << 8n) | BigInt(b);
    const msg = enc.encode("cosignature/v1\ntime " + t.toString() + "\n" + n.text);
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, s.sig.slice(8), msg)) return Number(t);
  }
  return null;
}

export function parseCheckpoint(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || !/^[0-9]+$/.test(lines[1])) throw new Error("not a checkpoint");
  const root = b64decode(lines[2]);
  if (root.length !== 32) throw new Error("a checkpoint's root is 32 bytes");
  return { origin: lines[0], size: Number(lines[1]), root };
}

// RFC 9162, 2.1.3.2: the root an inclusion path leads to, or null.
export async function rootFromInclusion(index, size, leaf, path) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// Checks an entry's C2SP tlog-proof against its exact bytes and the user's key.
// Returns the steps checked, each {what, ok, detail}, and ok for the whole.
export async function checkTlogProof(proofText, entryBytes, vkey) {
  const steps = [];
  const add = (what, ok, detail) => steps.push({ what, ok, detail });
  try {
    const blank = proofText.indexOf("\n\n");
    const head = proofText.slice(0, blank).split("\n");
    const note = proofText.slice(blank + 2);
    if (head[0] !== "c2sp.org/tlog-proof@v1" || !/^index [0-9]+$/.test(head[1] || ""))
      throw new Error("not a c2sp.org/tlog-proof@v1 file");
    const index = Number(head[1].slice(6));
    const path = head.slice(2).map(b64decode);
    const signed = await verifyNote(note, vkey);
    add("The checkpoint is signed by the verifier key you supplied (" + vkey.name + ")", signed,
      signed ? "Ed25519 signature valid" : "no valid signature by that key");
    const cp = parseCheckpoint(parseNote(note).text);
    add("The checkpoint is for this log", cp.origin === vkey.name, "origin " + cp.origin);
    const leaf = await leafHash(entryBytes);
    const root = await rootFromInclusion(index, cp.size, leaf, path);
    const included = root !== null && equal(root, cp.root);
    add("The entry's bytes are included at index " + index + " of the " + cp.size +
        " in that checkpoint", included,
      included ? "inclusion proof of " + path.length + " hashes leads to its root"
               : "the inclusion proof does not lead to the checkpoint's root");
    return { ok: steps.every((s) => s.ok), steps, index, size: cp.size };
  } catch (e) {
    add("The proof can be read", false, e.message);
    return { ok: false, steps };
  }
}
