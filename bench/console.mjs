// SPDX-License-Identifier: Apache-2.0
// `make bench`: the console's first page in Debian's Chromium, on loopback: the
// time to the load event and to the page's data shown, and the bytes
// transferred, over fresh browser contexts (no cache). Prints one JSON line.
// Usage: node bench/console.mjs URL [RUNS]
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 30);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"] });
const load = [], ready = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(url + "/", { waitUntil: "load" });
  load.push(Date.now() - t0);
  await page.waitForSelector("#members table");
  await page.waitForSelector("#announcements ol, #announcements .notice");
  ready.push(Date.now() - t0);
  bytes = await page.evaluate(() => performance.getEntriesByType("resource")
    .concat(performance.getEntriesByType("navigation"))
    .reduce((a, e) => a + (e.transferSize || e.encodedBodySize || 0), 0));
  await ctx.close();
}
await browser.close();
const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
console.log(JSON.stringify({ runs, load_p50_ms: q(load, 0.5), load_p99_ms: q(load, 0.99),
  data_shown_p50_ms: q(ready, 0.5), data_shown_p99_ms: q(ready, 0.99), bytes }));
