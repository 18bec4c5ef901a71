/* Search page: Pagefind's UI over this language's index (no inline script: the CSP forbids it). */
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") { return; }
  new PagefindUI({
    element: "#search", bundlePath: el.dataset.bundle, baseUrl: el.dataset.base, showImages: false,
    resetStyles: false, translations: {placeholder: el.dataset.placeholder}
  });
  // Pagefind's field has a placeholder but no label: give it one (WCAG 1.3.1, 4.1.2)
  var input = el.querySelector("input");
  if (input) { input.setAttribute("aria-label", el.dataset.placeholder); }
});
