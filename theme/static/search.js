/* Search page: Pagefind's UI over this language's index (no inline script: the CSP forbids it). */
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") { return; }
  new PagefindUI({
    element: "#search", bundlePath: el.dataset.bundle, baseUrl: el.dataset.base, showImages: false,
    resetStyles: false, translations: {placeholder: el.dataset.placeholder}
  });
});
