// SPDX-License-Identifier: Apache-2.0
// What a reader needs beside the bytes: members' names, sealed content decoded,
// conditions in words, what became of each announced pledge (amended, withdrawn),
// and the checks of an announcement made in the browser: the commitment
// recomputed from salt and content, and the author's signature on the content.
import { getJSON } from "./ui.js";
import { category } from "./registry.js";
import { b64decode, b64encode, sha256, hex, concat, parseNote, checkTlogProof } from "./verify.js";

const enc = new TextEncoder();
const PAGES = 50; // pages of 1,000 entries read for one answer; more is said, not hidden

// Public members by id ({member, name, role, status, added}); empty when unreadable.
export async function memberMap() {
  try {
    const m = await getJSON("/api/v1/members");
    return new Map(m.members.map((x) => [x.member, x]));
  } catch {
    return new Map();
  }
}

export function nameOf(members, id) {
  const m = members.get(id);
  return m ? m.name : id;
}

// Every entry a query matches, oldest first: {entries, complete}.
export async function allEntries(query) {
  const out = [];
  let from = 0;
  for (let page = 0; page < PAGES; page++) {
    const r = await getJSON("/api/v1/entries?" + query + "&order=oldest&limit=1000&from=" + from);
    out.push(...r.entries);
    if (r.next_from === undefined || r.next_from === null) return { entries: out, complete: true };
    from = r.next_from;
  }
  return { entries: out, complete: false };
}

// Announced pledges by id: {index, body, author}, from a list of announcements.
export function pledgesIn(announces) {
  const out = new Map();
  for (const e of announces)
    if (e.revealed && e.revealed.kind === "pledge")
      out.set(e.revealed.body.pledge, { index: e.index, body: e.revealed.body, author: e.revealed.author });
  return out;
}

// What became of each announced pledge: superseded by an announced amendment, or
// withdrawn by an announced pledge.withdraw, each by the pledge's own author (as
// the coverage counts them). Map pledge id -> {superseded?: index, withdrawn?: index}.
export function pledgeFates(announces) {
  const pledges = pledgesIn(announces);
  const fates = new Map();
  const mark = (id, author, what, index) => {
    if (id && pledges.has(id) && pledges.get(id).author === author)
      fates.set(id, { ...fates.get(id), [what]: index });
  };
  for (const e of announces) {
    const r = e.revealed;
    if (!r) continue;
    if (r.kind === "pledge" && r.body.amends) mark(r.body.amends, r.author, "superseded", e.index);
    if (r.kind === "pledge.withdraw") mark(r.body.pledge, r.author, "withdrawn", e.index);
  }
  return fates;
}

// The date a statement gives for itself ("date": "2025-03-02", "2025-03" or "2025"),
// in words at the precision given; or null.
export function saidOn(body) {
  const m = body && typeof body.date === "string" &&
    /^([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$/.exec(body.date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2] || 1) - 1, Number(m[3] || 1)));
  const opts = { year: "numeric", timeZone: "UTC" };
  if (m[2]) opts.month = "long";
  if (m[3]) opts.day = "numeric";
  return d.toLocaleDateString("en-GB", opts);
}

const pledgeWhat = (b) => [b.quantity, b.unit, "for", category(b.category)].join(" ");

// One line saying what a listed entry is, with names (pledges: announced pledges by
// id, to say which one a withdrawal withdraws).
export function summary(e, members, pledges = null) {
  const r = e.revealed;
  if (r) {
    const b = r.body || {}, who = nameOf(members, r.author);
    if (r.kind === "pledge")
      return who + " announced a pledge: " + pledgeWhat(b) +
        (b.period ? ", " + b.period : "") + (b.place ? ", " + b.place : "") +
        (b.condition !== undefined ? " (conditional)" : "");
    if (r.kind === "pledge.withdraw") {
      const p = pledges && pledges.get(b.pledge);
      return who + " withdrew " + (p ? "its pledge of " + pledgeWhat(p.body) + " (entry #" + p.index + ")"
        : (pledges ? "a pledge it has not announced (" : "a pledge (") + String(b.pledge).slice(0, 12) + ")");
    }
    if (r.kind === "member.add") return b.name + " announced its membership (" + b.role + ")";
    return who + " announced " + r.kind;
  }
  const b = e.body || {};
  if (e.kind === "statement") return b.text || "";
  if (e.kind === "sealed") return "an envelope: the commitment to sealed content, unreadable until announced";
  if (e.kind === "member.add") return "adds " + (b.name || b.member) + " (" + b.role + ")";
  if (e.kind === "key.add") return "a " + (b.scope || "sign") + " key for " + nameOf(members, b.member);
  if (e.kind === "requirement.set") return "requirement " + b.requirement + ": " + b.quantity + " " +
    b.unit + " of " + category(b.category);
  return JSON.stringify(b);
}

// A condition (its JSON form, docs/internals/clearing.md) in words.
export function conditionText(c, members) {
  if (c === true) return "none";
  if (c === null || typeof c !== "object") return String(c);
  if (c.requires !== undefined) return nameOf(members, c.requires) + " holds a binding pledge";
  if (c.fact !== undefined) return "the coordinator has recorded the fact \u201c" + c.fact + "\u201d";
  if (c.at_least) return "at least " + c.at_least.n + " other members hold binding pledges in " +
    category(c.at_least.category);
  if (c.total) return "the binding total of " + category(c.total.category) + " is at least " +
    c.total.min + (c.total.unit ? " " + c.total.unit : "");
  if (Array.isArray(c.all)) return "all of: " + c.all.map((x) => conditionText(x, members)).join("; ");
  if (Array.isArray(c.any)) return "any of: " + c.any.map((x) => conditionText(x, members)).join("; ");
  return JSON.stringify(c);
}

// Sealed content (docs/FORMAT.md, "Sealed entries"): its seven lines and signature.
export function decodeSealed(bytes) {
  const note = new TextDecoder().decode(bytes);
  const n = parseNote(note);
  const l = n.text.split("\n");
  if (l.length !== 8 || l[0] !== "willing.sealed/v1" || !/^[0-9a-f]{32}$/.test(l[4]))
    throw new Error("the content is not willing.sealed/v1 content");
  return { note, text: n.text, sigs: n.sigs, origin: l[1], kind: l[2], author: l[3],
    time: Number(l[5]), body: JSON.parse(l[6]) };
}

// An entry's seven lines (docs/FORMAT.md, "Entries").
export function decodeEntry(bytes) {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split("\n");
  let body = null;
  try {
    body = JSON.parse(lines[6]);
  } catch {
    body = null;
  }
  return { text, header: lines[0], origin: lines[1], kind: lines[2], author: lines[3],
    seq: lines[4], time: Number(lines[5]), rawBody: lines[6], body };
}

// SHA-256("willing.seal/v1" || salt || content), base64.
export async function commitmentOf(salt, content) {
  return b64encode(await sha256(concat(enc.encode("willing.seal/v1"), salt, content)));
}

async function keyIdOf(member, pk) {
  return hex((await sha256(concat(enc.encode(member + "\n"), new Uint8Array([1]), pk))).slice(0, 4));
}

// The keys a member's key entry (member.add, key.add, or the announcement of sealed
// ones) adds, read from the entry's own bytes: [{key, scope}].
function keysIn(bytes, member) {
  const d = decodeEntry(bytes);
  let kind = d.kind, b = d.body || {};
  if (kind === "announce") {
    const c = decodeSealed(b64decode(b.content));
    kind = c.kind;
    b = c.body;
  }
  if ((kind === "member.add" || kind === "key.add") && b.member === member && b.key)
    return [{ key: b.key, scope: b.scope || "sign" }];
  return [];
}

async function entryBytes(index) {
  return b64decode((await getJSON("/api/v1/entries/" + index)).entry);
}

// The entry's inclusion in the checkpoint the user's key signs: a step.
async function included(index, bytes, vkey, what) {
  const pr = await fetch("/api/v1/entries/" + index + "/proof", { cache: "no-store" });
  if (!pr.ok) return { what, ok: false, detail: "no published checkpoint covers entry #" + index + " yet" };
  const res = await checkTlogProof(await pr.text(), bytes, vkey);
  const ok = res.ok && res.index === index;
  return { what, ok, detail: ok ? "inclusion proof checked against the checkpoint you verified"
    : (res.steps.find((s) => !s.ok) || { detail: "the proof is for entry " + res.index }).detail };
}

// The key of `member` whose key ID is `keyId`, as the log added it: {key, pk, scope,
// added, revoked} (revoked: the index of its key.revoke, or null), or null.
async function findKey(member, keyId) {
  const first = await getJSON("/api/v1/entries?order=oldest&limit=1&from=0");
  const op = first.entries.length ? first.entries[0].author : "";
  const adds = await allEntries("kind=member.add,key.add,key.revoke");
  const anns = await allEntries("kind=announce&author=" + encodeURIComponent(op));
  const cands = [];
  for (const e of adds.entries.concat(anns.entries)) {
    const b = e.revealed ? e.revealed.body : e.body;
    const kind = e.revealed ? e.revealed.kind : e.kind;
    if ((kind === "member.add" || kind === "key.add") && b.member === member && b.key)
      cands.push({ key: b.key, added: e.index });
  }
  for (const c of cands) {
    const pk = b64decode(c.key);
    if (pk.length !== 32 || (await keyIdOf(member, pk)) !== keyId) continue;
    const rev = adds.entries.find((e) => e.kind === "key.revoke" && e.body.member === member &&
      e.body.key === c.key);
    return { ...c, pk, revoked: rev ? rev.index : null, complete: adds.complete && anns.complete };
  }
  return null;
}

// Checks an announcement in the browser. d: the announce entry, decoded from its
// verified bytes; index: its index; members: for names. Returns {content (decoded, or null), envelope
// ({index, time} or null), steps: [{what, ok, detail}]}.
export async function checkAnnouncement(index, d, vkey, members = new Map()) {
  const steps = [];
  const add = (what, ok, detail) => steps.push({ what, ok, detail });
  const out = { content: null, envelope: null, steps, key: null };
  const b = d.body || {};
  let salt, bytes;
  try {
    salt = b64decode(b.salt);
    bytes = b64decode(b.content);
    out.content = decodeSealed(bytes);
  } catch (e) {
    add("The revealed content can be read", false, e.message);
    return out;
  }
  const c = out.content;
  add("The revealed content is sealed content of this log", c.origin === d.origin,
    "origin " + c.origin);
  // the commitment the log holds, against the one recomputed here
  try {
    const eb = await entryBytes(b.sealed);
    const env = decodeEntry(eb);
    out.envelope = { index: b.sealed, time: env.time };
    const mine = await commitmentOf(salt, bytes);
    const ok = env.kind === "sealed" && env.body && env.body.commitment === mine &&
      b.sealed < index;
    add("The commitment sealed at entry #" + b.sealed + " is SHA-256(\"willing.seal/v1\" \u2016 salt " +
      "\u2016 content), recomputed here", ok, ok ? mine : env.kind !== "sealed"
      ? "entry #" + b.sealed + " is not a sealed envelope"
      : "the log holds " + (env.body && env.body.commitment) + ", the content gives " + mine);
    if (vkey) {
      const s = await included(b.sealed, eb, vkey, "The envelope #" + b.sealed +
        " is included in the checkpoint");
      steps.push(s);
    }
  } catch (e) {
    add("The envelope #" + b.sealed + " can be read", false, e.message);
  }
  // the author's signature on the content, with a key the log lists for the author
  const sig = c.sigs.find((s) => s.name === c.author);
  const who = "The content is signed by its author, " + nameOf(members, c.author);
  if (!sig || sig.sig.length !== 64) {
    add(who, false, "no signature line by " + c.author);
    return out;
  }
  try {
    const k = await findKey(c.author, sig.keyId);
    if (!k) {
      add(who, false, "the log lists no key of " + c.author + " with key ID " + sig.keyId);
      return out;
    }
    out.key = k;
    const kb = await entryBytes(k.added);
    const inBytes = keysIn(kb, c.author).find((x) => x.key === k.key);
    const pub = await crypto.subtle.importKey("raw", k.pk, { name: "Ed25519" }, false, ["verify"]);
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, pub, sig.sig, enc.encode(c.text));
    const live = k.revoked === null || (out.envelope && k.revoked > out.envelope.index);
    const scope = inBytes ? inBytes.scope : "?";
    const ok = valid && !!inBytes && live && scope !== "login";
    add(who, ok, !inBytes ? "entry #" + k.added + " does not add that key"
      : !valid ? "the Ed25519 signature does not verify with the key added at entry #" + k.added
      : !live ? "the key was revoked at entry #" + k.revoked + ", before the envelope"
      : scope === "login" ? "a login key cannot sign content"
      : "Ed25519, WebCrypto, with the " + scope + " key added at entry #" + k.added);
    if (vkey) steps.push(await included(k.added, kb, vkey, "The key's entry #" + k.added +
      " is included in the checkpoint"));
  } catch (e) {
    add(who, false, e.message);
  }
  return out;
}
