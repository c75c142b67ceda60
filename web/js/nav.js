// SPDX-License-Identifier: Apache-2.0
// The header and navigation of every page, from this one list: each page's HTML
// holds an empty <header class="top"> and names itself in <body data-page>; this
// module fills the header (the brand, a link per page, aria-current on the page
// shown) and puts the skip link first. A page added to the console is a row here.
import { el, clear } from "./ui.js";

export const PAGES = [
  { page: "coalition", href: "/", label: "Coalition" },
  { page: "explorer", href: "/explorer", label: "Ledger explorer" },
  { page: "member", href: "/member", label: "Members" },
  { page: "coordinator", href: "/coordinator", label: "Coordinator" },
  { page: "flows", href: "/flows", label: "Aid flowing" },
  { page: "deal", href: "/deal", label: "The deal" },
  { page: "daily", href: "/daily", label: "Daily report" },
  { page: "monitor", href: "/monitor", label: "Monitors" },
  { page: "pressure", href: "/pressure", label: "Pressure" },
];

export function renderNav(doc = document) {
  const header = doc.querySelector("header.top");
  if (!header) return;
  const here = doc.body.dataset.page;
  clear(header,
    el("p", { class: "brand" }, el("a", { href: "/" }, "willing")),
    el("nav", { "aria-label": "Pages" }, el("ul", {}, PAGES.map((p) =>
      el("li", {}, el("a", { href: p.href, "aria-current": p.page === here ? "page" : null },
        p.label))))));
  if (!doc.querySelector("a.skip"))
    doc.body.prepend(el("a", { class: "skip", href: "#main" }, "Skip to the content"));
}

renderNav();
