/* Build-error overlay for `build.py serve` (never part of the published site).
   Polls the dev server; shows the last failed build's message, file and line over the page,
   and removes it when a build succeeds (live reload then refreshes the page). Text only: no innerHTML. */
(function () {
  "use strict";
  var box = null, seen = null;
  function show(err) {
    if (!box) {
      box = document.createElement("div");
      box.id = "briefing-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0e;color:#ffe9e9;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:16px 20px;border-top:4px solid #ff5c5c;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    var where = err.file ? err.file + (err.line ? ":" + err.line + (err.col ? ":" + err.col : "") : "") : "";
    box.textContent = "Build failed: still showing the last good site\n\n" + (where ? where + "\n" : "") +
      err.message + (err.excerpt ? "\n\n" + err.excerpt : "");
  }
  function hide() { if (box) { box.remove(); box = null; } }
  function poll() {
    fetch("/__briefing__/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.error) { show(s.error); } else { hide(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, 500); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", poll); } else { poll(); }
})();
