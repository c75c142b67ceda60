// SPDX-License-Identifier: Apache-2.0
// The explorer, served by the daemon at URL, pointed at a static mirror served by nginx at
// LOG (another origin): the checkpoint, an entry's inclusion proof computed in the browser
// from the tiles, and the whole log's root, each checked against the pinned key; then a
// byte changed in DIR (a bundle, a level-1 tile, a level-0 tile) makes each check fail, in
// a fresh browser context each time (nginx lets browsers cache tiles for a year).
// Prints TAP-like lines; exits 1 on any failure. Arguments: URL LOG VKEY DIR
import fs from "node:fs";
import { ok, failures, launch, axeCheck } from "./tap.mjs";

const [url, log, vkey, dir] = process.argv.slice(2);
const browser = await launch();
let errors = [];

// A fresh page (its own cache) on the explorer reading LOG, the key pinned.
async function open(path = "/explorer?log=" + encodeURIComponent(log)) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((k) => localStorage.setItem("willing.vkey", k), vkey);
  const page = await context.newPage();
  errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url + path);
  await page.waitForSelector("#checkpoint .checks");
  return page;
}
async function entry(page, i) {
  await page.fill("#entry-index", String(i));
  await page.click("#entry-form button[type=submit]");
  await page.waitForSelector("#entry .overall");
  return page.textContent("#entry");
}
async function audit(page) {
  await page.click("#audit-run");
  await page.waitForSelector("#audit .overall");
  return page.textContent("#audit");
}
// flip one byte of DIR/FILE at OFF, run FN, put it back
async function tampered(file, off, fn) {
  const p = dir + "/" + file;
  const b = fs.readFileSync(p);
  const was = Buffer.from(b);
  b[off] ^= 0x01;
  fs.writeFileSync(p, b);
  try {
    await fn();
  } finally {
    fs.writeFileSync(p, was);
  }
}

let page = await open();
ok("the log read is the mirror's, shown at the top",
  (await page.textContent("#log-status .log-url")) === log && (await page.inputValue("#log-url")) === log);
const cp = await page.textContent("#checkpoint");
ok("the mirror's checkpoint is shown, its signature verified against the pinned key",
  cp.includes("Verified: the checkpoint is signed by the key you supplied") && cp.includes("Size302"), cp);
let t = await entry(page, 300);
ok("entry 300: verified by an inclusion proof computed here from the mirror's tiles",
  t.includes("This entry is verified.") && t.includes("an inclusion proof of 5 hashes, computed here from") &&
  t.includes("Read from" + log), t.slice(0, 400));
t = await entry(page, 3);
ok("entry 3 (in the full tile): verified", t.includes("This entry is verified.") &&
  t.includes("an inclusion proof of 9 hashes"), t.slice(0, 400));
t = await audit(page);
ok("the whole log audited: every level-0 tile read, the root matches the checkpoint's",
  t.includes("The whole log is audited: the root matches.") &&
  t.includes("every level-0 tile (2) read and the root recomputed: it matches the checkpoint's, for all 302 entries"), t);
ok("  ... with its progress", (await page.getAttribute("#audit-progress", "value")) === "2" &&
  (await page.textContent("#audit-progress")) === "2 of 2 tiles");
ok("no console error reading the mirror (CORS allowed by the nginx snippet)", errors.length === 0, errors.join(" | "));
await axeCheck(page, "explorer reading a mirror");
ok("entries are not listed from a mirror, and it says why",
  (await page.textContent("#entries")).includes("A mirror serves the log's files only"));
await page.goto(url + "/entry/300");
await page.waitForSelector("#entry .overall");
ok("the log is remembered in this browser: a permalink without ?log= reads the mirror",
  (await page.textContent("#log-status .log-url")) === log &&
  (await page.textContent("#entry")).includes("This entry is verified."), await page.textContent("#log-status"));
await page.context().close();

// entry 300 is the 45th of bundle 1: its bytes start after 44 (length, entry) pairs
const bundle = fs.readFileSync(dir + "/tile/entries/001.p/46");
let off = 0;
for (let i = 0; i < 44; i++) off += 2 + bundle.readUInt16BE(off);
await tampered("tile/entries/001.p/46", off + 2 + 40, async () => {
  const p = await open();
  const x = await entry(p, 300);
  ok("a byte changed in entry 300's bundle: the entry fails, loudly",
    x.includes("This entry could not be verified.") &&
    x.includes("Failed: the entry's bytes, from its bundle, are included at index 300") &&
    x.includes("does not lead to the checkpoint's root"), x.slice(0, 400));
  await p.context().close();
});
await tampered("tile/1/000.p/1", 7, async () => {
  const p = await open();
  const x = await entry(p, 300);
  ok("a byte changed in the level-1 tile entry 300's proof reads: the entry fails",
    x.includes("This entry could not be verified.") && x.includes("does not lead to the checkpoint's root"), x.slice(0, 400));
  await p.context().close();
});
await tampered("tile/0/000", 32 * 200 + 3, async () => {
  const p = await open();
  const x = await audit(p);
  ok("a byte changed in a level-0 tile: the audit fails, the root differs",
    x.includes("The log could not be audited.") && x.includes("Failed: every level-0 tile") &&
    x.includes("the tiles give another root"), x);
  const y = await entry(p, 201);
  ok("  ... and an entry whose proof reads that hash fails", y.includes("This entry could not be verified."), y.slice(0, 300));
  await p.context().close();
});
{
  const p = await open();
  ok("with DIR restored, the entry verifies again", (await entry(p, 300)).includes("This entry is verified."));
  await p.click("#log-own");
  await p.waitForSelector("#entries table");
  ok("back to this server's own log: its entries are listed, its checkpoint read from /log/",
    (await p.textContent("#log-status")).includes("this server's own log") &&
    (await p.textContent("#checkpoint")).includes("Size302") && (await p.inputValue("#log-url")) === "");
  const x = await audit(p);
  ok("  ... and the whole-log audit works on it too", x.includes("The whole log is audited: the root matches."), x);
  await p.fill("#log-url", "ftp://mirror.example/log");
  await p.click("#log-form button[type=submit]");
  await p.waitForSelector("#log-status .notice.error");
  ok("a URL that is not http(s) is refused, and the log read stays this server's",
    (await p.textContent("#log-status")).includes("only http(s) URLs") &&
    (await p.evaluate(() => localStorage.getItem("willing.log"))) === null);
  await p.context().close();
}
await browser.close();
process.exit(failures() ? 1 : 0);
