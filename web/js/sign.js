// SPDX-License-Identifier: Apache-2.0
// Writing from the console: a key of scope `console` (never the member's main
// signing key) signs sealed content and entries in the browser, as C2SP signed
// notes. The key file is read by this page only; its private key is imported
// non-extractable for signing (an extractable copy is imported once, only to
// read the public key the note's key ID is computed from, then dropped).
import { b64decode, b64encode, sha256, hex } from "./verify.js";
import { el } from "./ui.js";

const enc = new TextEncoder();

export async function loadConsoleKey(file) {
  const text = await file.text();
  const member = /^Member:\s*(\S+)\s*$/m.exec(text);
  const scope = /^Scope:\s*(\S+)\s*$/m.exec(text);
  const pem = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(text);
  if (!pem || !member) throw new Error("not a key file of willing keygen --member ID");
  if (!scope || scope[1] !== "console")
    throw new Error("the console writes only with a key of scope console " +
      "(willing keygen --scope console); never load your signing key into a page");
  const der = b64decode(pem[1].replace(/\s+/g, ""));
  const tmp = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", tmp);
  const pk = b64decode(jwk.x.replace(/-/g, "+").replace(/_/g, "/") + "=");
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  const id = (await sha256(new Uint8Array([...enc.encode(member[1] + "\n"), 1, ...pk]))).slice(0, 4);
  return { member: member[1], key, keyId: id, keyIdHex: hex(id) };
}

// A signed note: text (ending in a newline), a blank line, "— name base64(keyid || sig)".
export async function signNote(text, k) {
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, k.key, enc.encode(text)));
  const both = new Uint8Array(68);
  both.set(k.keyId, 0);
  both.set(sig, 4);
  return text + "\n\u2014 " + k.member + " " + b64encode(both) + "\n";
}

export function randomHex(n) {
  return hex(crypto.getRandomValues(new Uint8Array(n)));
}

export const b64utf8 = (s) => b64encode(enc.encode(s));

export async function origin() {
  const r = await fetch("/log/checkpoint", { cache: "no-store" });
  return (await r.text()).split("\n")[0];
}

// Seals content of this kind and body: returns the server's answer plus salt and content.
export async function seal(k, kind, body) {
  const o = await origin();
  const now = Math.floor(Date.now() / 1000);
  const text = `willing.sealed/v1\n${o}\n${kind}\n${k.member}\n${randomHex(16)}\n${now}\n` +
    JSON.stringify(body) + "\n";
  const content = b64utf8(await signNote(text, k));
  const salt = b64encode(crypto.getRandomValues(new Uint8Array(32)));
  const r = await fetch("/api/v1/sealed", { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify({ salt, content }) });
  const a = await r.json();
  if (!r.ok) throw new Error(a.message || r.statusText);
  return { ...a, salt, content };
}

// An entry of this kind and body for the log of origin o, signed now: its base64 and seq
// (the clock in microseconds, as the CLI's). No network: the monitors' outbox queues it.
export async function signEntry(k, o, kind, body) {
  const now = Math.floor(Date.now() / 1000);
  const seq = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  const text = `willing.entry/v1\n${o}\n${kind}\n${k.member}\n${seq}\n${now}\n` +
    JSON.stringify(body) + "\n";
  return { entry: b64utf8(await signNote(text, k)), seq, now };
}

// Signs and appends an entry of this kind and body.
export async function append(k, kind, body) {
  const { entry } = await signEntry(k, await origin(), kind, body);
  const r = await fetch("/api/v1/entries", { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify({ entry }) });
  const a = await r.json();
  if (!r.ok) throw new Error(a.message || r.statusText);
  return a;
}

// The console key's file input: loads the key of the signed-in member `me`.
export function consoleKeyBox(me, loaded, failed) {
  const input = el("input", { id: "consolekey", type: "file", accept: ".key,.pem,.txt",
    "aria-describedby": "consolekey-help" });
  input.addEventListener("change", async () => {
    try {
      const k = await loadConsoleKey(input.files[0]);
      if (k.member !== me) throw new Error("this key is " + k.member + "'s, you are signed in as " + me);
      await loaded(k);
    } catch (e) {
      failed(e);
    }
  });
  return el("div", {}, el("label", { for: "consolekey" }, "Your console key file"), input,
    el("p", { id: "consolekey-help", class: "help" }, "A key of scope console (",
      el("code", {}, "willing keygen --scope console"), "), registered for your member. It stays " +
      "in this page, imported so it cannot be exported."));
}
