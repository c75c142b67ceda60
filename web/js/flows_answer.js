// SPDX-License-Identifier: Apache-2.0
// The host nation's answer to a flow, from the flows page: it confirms a
// delivery or a disbursement, in full or in part (the quantity or amount
// received, and the day), or disputes it with a reason. Each is an entry of kind
// flow.confirm or flow.dispute (docs/FORMAT.md), signed in the browser with the
// host's console key; sealed, the same way, when the flow is sealed (a public
// answer would reveal it). What the server refuses is shown as it says it.
import { el, clear, notice } from "./ui.js";
import { append, seal } from "./sign.js";

const DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}";

// The flow's figure: "500 missiles", "1160000000 GBP".
export const figure = (f) => f.quantity !== null && f.quantity !== undefined
  ? f.quantity + " " + f.unit : f.amount + " " + f.currency;

// May the host answer this flow? A delivery or disbursement not superseded.
export const answerable = (f) => (f.stage === "delivery" || f.stage === "disbursement") &&
  !f.superseded_by;

function field(id, label, attrs = {}, help = null) {
  return el("div", {}, el("label", { for: id }, label),
    el(attrs.rows ? "textarea" : "input", { id, name: id, ...attrs,
      "aria-describedby": help ? id + "-help" : null }),
    help ? el("p", { id: id + "-help", class: "help" }, help) : null);
}

// Writes the answer: an entry, or sealed content when the flow is sealed.
async function send(ckey, f, kind, body) {
  if (f.sealed) {
    const r = await seal(ckey, kind, body);
    return "sealed as " + r.id.slice(0, 12) + ", in batch " + r.batch + " (its readers see it)";
  }
  const r = await append(ckey, kind, body);
  return "entry #" + r.index;
}

// The form for one flow, in box; done(message) after the server took it.
export function answerForm(box, ckey, f, how, done) {
  const status = el("div", { id: "answer-status", "aria-live": "polite" });
  const what = el("p", {}, (how === "confirm" ? "Confirming " : "Disputing ") + f.stage + " of ",
    el("strong", {}, figure(f)), " reported by " + f.author + " for " + f.date + " (flow ",
    el("code", {}, f.flow.slice(0, 12)), f.sealed ? ", sealed" : "", ").");
  const cancel = el("button", { type: "button", class: "secondary", onclick: () => clear(box) },
    "Cancel");
  const form = how === "confirm"
    ? el("form", { id: "confirm-form", class: "stack" }, what,
      field("received", "Received, in " + (f.unit || f.currency) + " (all of it, or less: in part)",
        { type: "text", required: true, inputmode: "decimal", value: f.quantity ?? f.amount,
          pattern: "[0-9]+(\\.[0-9]+)?" }, "An exact decimal, at most 4 places."),
      field("received-date", "Received on (YYYY-MM-DD)", { type: "text", required: true,
        pattern: DAY, value: new Date().toISOString().slice(0, 10) }),
      field("confirm-text", "Note (optional)", { type: "text", maxlength: "2000" }),
      el("div", { class: "buttons" }, el("button", { type: "submit" }, "Confirm receipt"), cancel))
    : el("form", { id: "dispute-form", class: "stack" }, what,
      field("reason", "Why it is disputed", { rows: 3, required: true, maxlength: "2000" },
        "Said in the ledger for everyone who can read the flow."),
      el("div", { class: "buttons" }, el("button", { type: "submit" }, "Dispute it"), cancel));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const d = new FormData(form);
    const body = how === "confirm"
      ? { flow: f.flow, received: d.get("received").trim(), date: d.get("received-date").trim() }
      : { flow: f.flow, reason: d.get("reason").trim() };
    if (how === "confirm" && d.get("confirm-text").trim()) body.text = d.get("confirm-text").trim();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clear(status, notice("Signing and sending…"));
    try {
      const where = await send(ckey, f, "flow." + how, body);
      await done((how === "confirm" ? "Confirmed: " : "Disputed: ") + where + ".");
    } catch (e) {
      button.disabled = false;
      clear(status, notice("The server refused the " + (how === "confirm" ? "confirmation" :
        "dispute") + ": " + e.message, "error"));
    }
  });
  clear(box, el("section", { "aria-labelledby": "h-answer", class: "answer" },
    el("h3", { id: "h-answer" }, how === "confirm" ? "Confirm receipt" : "Dispute"), form, status));
  form.querySelector(how === "confirm" ? "#received" : "#reason").focus();
}

// The answer cell of a flow: what the host nation said, in words.
export function answerText(f) {
  const a = f.answer;
  if (!a) return f.stage === "delivery" || f.stage === "disbursement" ? "not yet confirmed" : "";
  const link = a.index !== null && a.index !== undefined && !f.sealed
    ? el("a", { href: "/entry/" + a.index }, "#" + a.index) : null;
  if (a.kind === "dispute")
    return el("span", { class: "disputed" }, "Disputed: " + a.reason + " ", link);
  return el("span", { class: "confirmed" }, (a.full ? "Confirmed in full: " : "Confirmed in part: ") +
    a.received + " " + (f.unit || f.currency) + " received " + a.date + " ", link);
}
