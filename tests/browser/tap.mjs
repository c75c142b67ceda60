// SPDX-License-Identifier: Apache-2.0
// What the browser tests share: TAP-like lines ("ok - ..." / "not ok - ...: detail")
// and Debian's Chromium, headless; axe-core's check of a page.
import fs from "node:fs";
import { chromium } from "playwright-core";

let fails = 0;
export function ok(what, cond, detail = "") {
  if (cond) console.log("ok - " + what);
  else {
    fails++;
    console.log("not ok - " + what + (detail ? ": " + detail : ""));
  }
}
export const failures = () => fails;

export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
}

// The page's serious or critical accessibility violations (axe-core), as one ok line.
const axeSource = () => fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
export async function axeCheck(page, where) {
  if (!(await page.evaluate(() => !!globalThis.axe))) await page.evaluate(axeSource());
  const v = await page.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ["violations"] }))
    .violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id + ": " + x.nodes.length));
  ok(`${where}: no serious accessibility violation (axe-core)`, v.length === 0, v.join(", "));
}
