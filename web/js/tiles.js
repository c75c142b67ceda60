// SPDX-License-Identifier: Apache-2.0
// A C2SP tlog-tiles log read from its static files only (a mirror written by
// `willing mirror`, or the daemon's own /log/): tile and entry-bundle paths,
// RFC 9162 subtree hashes and inclusion paths computed in the browser from the
// tiles, an entry taken from its bundle, and the whole tree's root recomputed
// from every level-0 tile. Nothing here trusts the server beyond its bytes: a
// tile of the wrong length or a bundle of the wrong count is an error, and what
// the tiles give is checked by the caller against a signed checkpoint's root.
// Design: docs/internals/console.md ("The explorer and a mirror").
import { sha256, nodeHash } from "./verify.js";

export const TILE_WIDTH = 256;
// The whole-log audit keeps every leaf hash in memory and hashes n - 1 nodes
// through WebCrypto: up to 2^20 entries (32 MiB of hashes). Beyond that, `willing verify`.
export const AUDIT_MAX = 1 << 20;

// N written in 3-digit groups, all but the last prefixed with x (1234067 -> x001/x234/067).
export function tileIndexPath(n) {
  let s = String(n % 1000).padStart(3, "0");
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000))
    s = "x" + String(n % 1000).padStart(3, "0") + "/" + s;
  return s;
}

// How many hashes tile N of level L holds at tree size `size` (0: none yet).
export function tileWidth(level, n, size) {
  const count = Math.floor(size / TILE_WIDTH ** level); // hashes at tree level 8L
  const full = Math.floor(count / TILE_WIDTH);
  return n < full ? TILE_WIDTH : n === full ? count % TILE_WIDTH : 0;
}

// The path of tile N of LEVEL ("entries" for a bundle) with W of its 256 items.
export function tilePath(level, n, w) {
  return "tile/" + level + "/" + tileIndexPath(n) + (w < TILE_WIDTH ? ".p/" + w : "");
}

// A reader of the log at BASE (".../log", no final slash) at tree size SIZE. get(url)
// returns a Uint8Array or throws; each file is fetched once. onFetch(path) is told of each.
export function tileReader(base, size, get, onFetch = () => {}) {
  const cache = new Map();
  const file = (path) => {
    if (!cache.has(path)) {
      onFetch(path);
      cache.set(path, get(base + "/" + path));
    }
    return cache.get(path);
  };
  async function tile(level, n) {
    const w = tileWidth(level, n, size);
    if (w === 0) throw new Error("tile " + level + "/" + n + " is beyond the tree's size " + size);
    const path = tilePath(level, n, w);
    const b = await file(path);
    if (b.length !== w * 32)
      throw new Error(path + " is " + b.length + " bytes, not " + w + " hashes of 32");
    return b;
  }
  // The hash of the complete subtree of height H at index K (leaves K*2^H .. (K+1)*2^H - 1):
  // read from the tile of level floor(H/8), hashed up within it for the H mod 8 levels between.
  async function node(h, k) {
    const level = Math.floor(h / 8), sub = h % 8;
    const first = k * 2 ** sub; // its first hash at tree level 8L
    const t = await tile(level, Math.floor(first / TILE_WIDTH));
    const off = first % TILE_WIDTH;
    let row = [];
    for (let i = 0; i < 2 ** sub; i++) row.push(t.slice((off + i) * 32, (off + i + 1) * 32));
    while (row.length > 1) {
      const up = [];
      for (let i = 0; i < row.length; i += 2) up.push(await nodeHash(row[i], row[i + 1]));
      row = up;
    }
    return row[0];
  }
  // RFC 9162 MTH(D[lo:hi]): a complete subtree from its tile, else split at the largest
  // power of two below its size.
  async function range(lo, hi) {
    const n = hi - lo;
    const h = Math.log2(n);
    if (Number.isInteger(h) && lo % n === 0) return node(h, lo / n);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return nodeHash(await range(lo, lo + k), await range(lo + k, hi));
  }
  // RFC 9162 2.1.3.1 PATH(m, D[lo:hi]), the sibling nearest the leaf first.
  async function path(m, lo, hi) {
    if (hi - lo <= 1) return [];
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (m < lo + k) return [...(await path(m, lo, lo + k)), await range(lo + k, hi)];
    return [...(await path(m, lo + k, hi)), await range(lo, lo + k)];
  }
  return {
    tile,
    range,
    // The inclusion path of entry INDEX in the tree of SIZE, computed from the tiles.
    inclusion: (index) => {
      if (!(index >= 0 && index < size)) throw new Error("entry " + index + " is not in a tree of " + size);
      return path(index, 0, size);
    },
    // Entry INDEX's exact bytes, taken from its bundle.
    async entry(index) {
      if (!(index >= 0 && index < size)) throw new Error("entry " + index + " is not in a tree of " + size);
      const n = Math.floor(index / TILE_WIDTH);
      const w = tileWidth(0, n, size);
      const p = tilePath("entries", n, w);
      const entries = parseBundle(await file(p), p);
      if (entries.length !== w) throw new Error(p + " holds " + entries.length + " entries, not " + w);
      return entries[index % TILE_WIDTH];
    },
  };
}

// An entry bundle: each entry as a big-endian uint16 length and its bytes.
export function parseBundle(b, what = "the bundle") {
  const out = [];
  for (let o = 0; o < b.length;) {
    if (o + 2 > b.length) throw new Error(what + " ends inside an entry's length");
    const len = (b[o] << 8) | b[o + 1];
    if (o + 2 + len > b.length) throw new Error(what + " ends inside an entry");
    out.push(b.slice(o + 2, o + 2 + len));
    o += 2 + len;
  }
  return out;
}

// The root of the tree of SIZE recomputed from every level-0 tile (the full ones and
// the partial one at the right edge). progress(done, total) is told after each tile.
export async function auditRoot(base, size, get, progress = () => {}) {
  if (size > AUDIT_MAX)
    throw new Error("the browser audits logs of up to " + AUDIT_MAX.toLocaleString("en") +
      " entries; this one has " + size.toLocaleString("en") + ": use `willing verify`");
  if (size === 0) return sha256(new Uint8Array(0));
  const reader = tileReader(base, size, get);
  const tiles = Math.ceil(size / TILE_WIDTH);
  let row = [];
  for (let n = 0; n < tiles; n++) {
    const t = await reader.tile(0, n);
    for (let o = 0; o < t.length; o += 32) row.push(t.slice(o, o + 32));
    progress(n + 1, tiles);
  }
  // bottom up, the last node of an odd row carried up as it is: RFC 9162's MTH
  while (row.length > 1) {
    const up = [];
    for (let i = 0; i + 1 < row.length; i += 2) up.push(await nodeHash(row[i], row[i + 1]));
    if (row.length % 2) up.push(row[row.length - 1]);
    row = up;
  }
  return row[0];
}

// Fetches URL's bytes (no credentials: a mirror is another origin); a non-200 answer throws.
export async function getBytes(url, opts = {}) {
  const r = await fetch(url, { credentials: "omit", ...opts });
  if (!r.ok) throw new Error(url + ": " + r.status + " " + r.statusText);
  return new Uint8Array(await r.arrayBuffer());
}
