// SPDX-License-Identifier: Apache-2.0
// What the browser tests share: TAP-like lines ("ok - ..." / "not ok - ...: detail")
// and Debian's Chromium, headless.
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
