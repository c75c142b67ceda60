// SPDX-License-Identifier: Apache-2.0
// Unit checks of the explorer's tile reader (web/js/tiles.js) in Node.js, with its own
// WebCrypto: inclusion paths computed from tiles equal the RFC 9162 vectors of
// transparency-dev/merkle (tests/vectors/merkle/inclusion/*/happy-path.json, over the
// reference tree of 8 leaves); on a tree of 70,000 leaves (tiles of levels 0, 1 and 2,
// partial ones at the right edge) each computed path equals the one from the leaves
// themselves, the root recomputed by the audit is the tree's, and a wrong-length tile or a
// short bundle is an error. Prints TAP-like lines; exits 1 on any failure.
import fs from "node:fs";
import nodeCrypto from "node:crypto";
import { ok, failures } from "./tap.mjs";
import { tileReader, tilePath, tileIndexPath, tileWidth, auditRoot, parseBundle, TILE_WIDTH }
  from "../../web/js/tiles.js";
import { rootFromInclusion, b64decode, b64encode } from "../../web/js/verify.js";

// The modules call WebCrypto as the browser has it; Debian 12's Node.js 18 has no global
// crypto (Node.js 19 on has): give them Node's own.
if (!globalThis.crypto) globalThis.crypto = nodeCrypto.webcrypto;

const H = (...parts) => nodeCrypto.createHash("sha256").update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();
const leafH = (d) => H([0], d);
const nodeH = (l, r) => H([1], l, r);
// RFC 9162 MTH and PATH straight from the leaf hashes (the reference the tiles must match)
function mth(h, lo, hi) {
  if (hi - lo === 1) return h[lo];
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return nodeH(mth(h, lo, lo + k), mth(h, lo + k, hi));
}
function refPath(h, m, lo, hi) {
  if (hi - lo <= 1) return [];
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return m < lo + k ? [...refPath(h, m, lo, lo + k), mth(h, lo + k, hi)]
    : [...refPath(h, m, lo + k, hi), mth(h, lo, lo + k)];
}
// A log's files in memory: tiles of every level at SIZE, from the leaf hashes
function files(leaves, size, bundles) {
  const out = new Map();
  let row = leaves.slice(0, size);
  for (let level = 0; row.length > 0; level++) {
    for (let n = 0; n * TILE_WIDTH < row.length; n++) {
      const w = tileWidth(level, n, size);
      if (w > 0) out.set("B/" + tilePath(level, n, w), Buffer.concat(row.slice(n * TILE_WIDTH, n * TILE_WIDTH + w)));
    }
    const up = [];
    for (let i = 0; i + TILE_WIDTH <= row.length; i += TILE_WIDTH) up.push(mth(row, i, i + TILE_WIDTH));
    row = up;
  }
  for (let n = 0; bundles && n * TILE_WIDTH < size; n++) {
    const w = tileWidth(0, n, size);
    out.set("B/" + tilePath("entries", n, w), Buffer.concat(bundles.slice(n * TILE_WIDTH, n * TILE_WIDTH + w)
      .flatMap((e) => [Buffer.from([e.length >> 8, e.length & 255]), e])));
  }
  return out;
}
const getter = (fs_) => async (url) => {
  if (!fs_.has(url)) throw new Error(url + ": 404");
  return new Uint8Array(fs_.get(url));
};
const eq = (a, b) => Buffer.from(a).equals(Buffer.from(b));

ok("tile index paths as C2SP writes them", tileIndexPath(1234067) === "x001/x234/067" &&
  tileIndexPath(0) === "000" && tilePath(1, 2, 5) === "tile/1/002.p/5" && tilePath("entries", 1000, 256) === "tile/entries/x001/000");

// the reference tree of RFC 6962's tests (transparency-dev/merkle's testdata)
const ref = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
  "606162636465666768696a6b6c6d6e6f"].map((x) => Buffer.from(x, "hex"));
const refLeaves = ref.map(leafH);
const vdir = new URL("../vectors/merkle/inclusion/", import.meta.url);
let vectors = 0, good = 0;
for (const d of fs.readdirSync(vdir)) {
  const f = new URL(d + "/happy-path.json", vdir);
  if (!fs.existsSync(f)) continue;
  const v = JSON.parse(fs.readFileSync(f, "utf8"));
  if (v.treeSize > ref.length || !eq(refLeaves[v.leafIdx], b64decode(v.leafHash))) continue;
  vectors++;
  const r = tileReader("B", v.treeSize, getter(files(refLeaves, v.treeSize)));
  const p = await r.inclusion(v.leafIdx);
  const root = await r.range(0, v.treeSize);
  if (JSON.stringify(p.map(b64encode)) === JSON.stringify(v.proof || []) && b64encode(root) === v.root) good++;
  else console.log("# vector " + d + ": " + JSON.stringify(p.map(b64encode)) + " vs " + JSON.stringify(v.proof));
}
ok(`inclusion paths computed from tiles equal the RFC 9162 vectors (${good} of ${vectors})`, vectors >= 4 && good === vectors);

// a larger tree: levels 0, 1 and 2, partial tiles at each right edge
const N = 70000;
const entries = Array.from({ length: N }, (_, i) => Buffer.from("entry " + i));
const leaves = entries.map(leafH);
for (const size of [1, 255, 256, 300, 513, 65536, 65537, N]) {
  const fsys = files(leaves, size, entries);
  let fetched = 0;
  const r = tileReader("B", size, getter(fsys), () => fetched++);
  const idx = [0, size - 1, Math.floor(size / 2), Math.floor(size / 3)];
  let same = true;
  for (const i of idx) {
    const p = await r.inclusion(i);
    const want = refPath(leaves, i, 0, size);
    const root = await rootFromInclusion(i, size, await (await import("../../web/js/verify.js")).leafHash(await r.entry(i)), p);
    same = same && p.length === want.length && p.every((h, j) => eq(h, want[j])) &&
      root !== null && eq(root, mth(leaves, 0, size));
  }
  ok(`size ${size}: paths from tiles equal RFC 9162's, entries from bundles lead to the root (${fetched} files)`, same);
  if (size === 300 || size === N) {
    const ticks = [];
    const root = await auditRoot("B", size, getter(fsys), (d, t) => ticks.push(d + "/" + t));
    ok(`size ${size}: the audit recomputes the root from every level-0 tile, with progress`,
      eq(root, mth(leaves, 0, size)) && ticks.length === Math.ceil(size / 256) && ticks.at(-1).split("/")[0] === ticks.at(-1).split("/")[1]);
  }
}
{
  const fsys = files(leaves, 300, entries);
  const k = "B/tile/0/001.p/44";
  fsys.set(k, fsys.get(k).subarray(0, 43 * 32));
  let msg = "";
  await auditRoot("B", 300, getter(fsys)).catch((e) => { msg = e.message; });
  ok("a tile of the wrong length is an error naming it", msg.includes("tile/0/001.p/44 is 1376 bytes, not 44 hashes"), msg);
  const b = "B/tile/entries/001.p/44";
  fsys.set(b, fsys.get(b).subarray(0, fsys.get(b).length - 3));
  msg = "";
  await tileReader("B", 300, getter(fsys)).entry(299).catch((e) => { msg = e.message; });
  ok("a bundle cut short is an error naming it", msg.includes("tile/entries/001.p/44 ends inside an entry"), msg);
  ok("an empty bundle holds no entry", parseBundle(new Uint8Array(0)).length === 0);
}
process.exit(failures() ? 1 : 0);
