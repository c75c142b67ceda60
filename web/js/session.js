// SPDX-License-Identifier: Apache-2.0
// Console sign-in: the officer's login key file (PKCS#8 PEM from `willing keygen
// --scope login`) is read and imported into WebCrypto non-extractable; it signs
// a one-time challenge; the server answers with an HttpOnly session cookie and a
// CSRF token, which every change made through the session carries.
import { el, clear, getJSON, notice } from "./ui.js";
import { b64decode, b64encode } from "./verify.js";

let csrf = null;

export async function currentSession() {
  const s = await getJSON("/api/v1/session");
  csrf = s.csrf;
  return s.member ? s : null;
}

// A state-changing call made with the session.
export async function post(path, body) {
  return getJSON(path, { method: "POST", headers: { "content-type": "application/json",
    "x-csrf-token": csrf || "" }, body: JSON.stringify(body || {}) });
}

function parseKeyFile(text) {
  const member = /^Member:\s*(\S+)\s*$/m.exec(text);
  const scope = /^Scope:\s*(\S+)\s*$/m.exec(text);
  const pem = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(text);
  if (!pem) throw new Error("not a key file: no PKCS#8 private key in it");
  if (!member) throw new Error("the key file names no member (willing keygen --member ID)");
  if (scope && scope[1] !== "login")
    throw new Error("this key has scope " + scope[1] + ": sign in with a key of scope login " +
      "(willing keygen --scope login); your signing key never goes into a page");
  return { member: member[1], der: b64decode(pem[1].replace(/\s+/g, "")) };
}

export async function signIn(file) {
  const { member, der } = parseKeyFile(await file.text());
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  const ch = await getJSON("/api/v1/login/challenge", { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify({ member }) });
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key,
    new TextEncoder().encode(ch.text)));
  const s = await getJSON("/api/v1/login", { method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ member, challenge: ch.challenge, signature: b64encode(sig) }) });
  csrf = s.csrf;
  return s;
}

export async function signOut() {
  await post("/api/v1/logout", {});
  csrf = null;
}

// Moves focus to the page's main heading (focusable by script only).
function focusHeading() {
  const h = document.querySelector("main h1");
  if (!h) return;
  h.setAttribute("tabindex", "-1");
  h.focus();
}

// The sign-in form, or who is signed in with a sign-out button; calls ready(session).
export async function sessionBox(box, ready) {
  const s = await currentSession().catch(() => null);
  if (!s) {
    const status = el("div", { id: "signin-status", "aria-live": "polite" });
    const form = el("form", { id: "signin-form", class: "stack" },
      el("label", { for: "keyfile" }, "Your login key file"),
      el("input", { id: "keyfile", name: "keyfile", type: "file", accept: ".key,.pem,.txt",
        required: true, "aria-describedby": "keyfile-help" }),
      el("p", { id: "keyfile-help", class: "help" }, "A key of scope login, from ",
        el("code", {}, "willing keygen --scope login --member ID"), ". It is read by this page ",
        "only, imported so it cannot be exported, and never sent: it signs a one-time challenge."),
      el("button", { type: "submit" }, "Sign in"));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = document.getElementById("keyfile").files[0];
      if (!f) return;
      clear(status, notice("Signing in…"));
      try {
        await signIn(f);
        await sessionBox(box, ready);
        focusHeading(); // the form that had focus is gone: say where the user is now
      } catch (e) {
        clear(status, notice("Sign-in failed: " + e.message, "error"));
      }
    });
    clear(box, form, status);
    ready(null);
    return;
  }
  const out = el("button", { id: "signout", type: "button", class: "secondary" }, "Sign out");
  out.addEventListener("click", async () => {
    try {
      await signOut();
    } catch (e) {
      /* the session may have expired already */
    }
    await sessionBox(box, ready);
    document.getElementById("keyfile")?.focus();
  });
  clear(box, el("p", { class: "signed-in" }, "Signed in as ", el("strong", {}, s.member), ". "), out);
  ready(s);
}
