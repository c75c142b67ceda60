// SPDX-License-Identifier: Apache-2.0
// The monitor's own part of the monitors' page, shown when a member of role monitor is
// signed in: the reports this monitor sent (GET /api/v1/reports?author=ID).
import { el, clear, getJSON, notice, table, when } from "./ui.js";
import { label } from "./monitor_map.js";
import { memberMap } from "./reveal.js";

const $ = (id) => document.getElementById(id);

// The reports the log holds from this member, newest first, page by page (at most 5,000).
async function sentReports(member) {
  const all = [];
  let after = null;
  do {
    const a = await getJSON("/api/v1/reports?author=" + encodeURIComponent(member) + "&limit=1000" +
      (after !== null ? "&after=" + after : ""));
    all.push(...a.reports);
    after = a.next;
  } while (after !== null && after !== undefined && all.length < 5000);
  return all.reverse();
}

export async function showSent(member) {
  let rs;
  try {
    rs = await sentReports(member);
  } catch (e) {
    clear($("sent"), notice("Your reports cannot be loaded: " + e.message, "error"));
    return;
  }
  clear($("sent"), el("h3", {}, "Sent and logged"), rs.length ? table("Your reports in the ledger, newest first",
    ["Report", "Type", "Observed", "Precision (s)", "Logged", "Place", "Text"], rs.map((r) => {
      const l = r.report.location || {};
      return [el("a", { href: "/entry/" + r.index }, "#" + r.index), label(r.type), when(r.observed),
        String(r.precision_s), when(r.logged), l.oblast ? l.oblast + (l.settlement ? ", " + l.settlement : "")
          : l.lat + ", " + l.lon + " within " + l.radius_m + " m", r.report.text || ""];
    })) : el("p", { id: "sent-none" }, "The ledger holds no report of yours yet."));
  $("sent").dataset.count = String(rs.length);
}

// Called with the session (or null) on every sign-in and sign-out.
export async function ownSection(box, s) {
  const m = s ? (await memberMap()).get(s.member) : null;
  if (!m || m.role !== "monitor") {
    box.hidden = true;
    clear($("sent"));
    clear($("outbox"));
    return;
  }
  box.hidden = false;
  clear($("mine-says"), el("p", {}, "Signed in as " + s.member + ", a monitor: your reports as the " +
    "ledger holds them."));
  await showSent(s.member);
}
