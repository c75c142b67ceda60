// SPDX-License-Identifier: Apache-2.0
// Screenshots of every console page over the demo ledger (scripts/screenshots.sh).
// Arguments: URL VKEY KEYS_DIR OUT_DIR
import { chromium } from "playwright-core";

const [url, vkey, keys, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const shot = (name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });

await page.goto(url + "/");
await page.waitForSelector("#announcements ol");
await shot("coalition");
await page.goto(url + "/explorer");
await page.fill("#vkey", vkey);
await page.click("#key-form button[type=submit]");
await page.waitForSelector("#checkpoint .checks li.pass");
await page.waitForSelector("#entries table");
await shot("explorer");
const n = await page.evaluate(async () => (await (await fetch("/api/v1/entries?kind=announce&order=newest&limit=1")).json()).entries[0].index);
await page.goto(url + "/entry/" + n);
await page.waitForSelector("#entry .revealed-checks .overall");
await page.locator("section:has(#entry)").screenshot({ path: `${out}/entry.png` });
for (const [path, who, ready] of [["/member", "freedonia", "#mine"], ["/coordinator", "gb", "#clearing table"]]) {
  await page.goto(url + path);
  await page.waitForSelector("#signin-form");
  await shot(path.slice(1) + "-signin");
  await page.setInputFiles("#keyfile", `${keys}/${who}-login.key`);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector(ready);
  await page.setInputFiles("#consolekey", `${keys}/${who}-console.key`);
  await page.waitForSelector(path === "/member" ? "#pledge-form" : "#requirement-form");
  await shot(path.slice(1));
  await page.click("#signout");
  await page.waitForSelector("#signin-form");
}
await page.goto(url + "/flows");
await page.waitForSelector("#instrument-tree, #tree p:not(.loading)");
await page.waitForSelector("#flow-table, #flows p:not(.loading)");
await shot("flows");
await page.goto(url + "/deal");
await page.waitForFunction(() => document.body.dataset.shown === "public");
await page.waitForLoadState("networkidle");
await shot("deal");
await page.locator("#map").screenshot({ path: `${out}/deal-map.png` });
// the pressure page: the demo's matrix with gb-not-us opened, then each screening filled
await page.goto(url + "/pressure?by=gb&not=us");
await page.waitForSelector("#gaps-table");
await page.waitForSelector("#snapshots p:not(.loading), #snap-table");
await page.fill("#s-name", "Illustrative Tanker One");
await page.click("#screen-form button[type=submit]");
await page.waitForSelector("#candidates");
await page.setInputFiles("#s-file", { name: "names.csv", mimeType: "text/csv",
  buffer: Buffer.from("name,ref\nIllustrative Trading LLC,a-1\nIllustrative Person 3,a-2\nNobody Known,a-3\n") });
await page.click("#csv-form button[type=submit]");
await page.waitForSelector("#csv-results");
await page.fill("#c-facility", "ukef-ukraine-2025");
await page.click("#cp-form button[type=submit]");
await page.waitForSelector("#cp-results");
await shot("pressure");
const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
await phone.goto(url + "/");
await phone.waitForSelector("#announcements ol");
await phone.screenshot({ path: `${out}/phone-coalition.png`, fullPage: true });
await browser.close();
