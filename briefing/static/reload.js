/* Live reload for `build.py serve` (never part of the published site): loads livereload.js from this server.
   A file, not an inline script, so the preview's Content-Security-Policy (script-src 'self') holds. */
(function () {
  "use strict";
  var port = window.location.port || (window.location.protocol === "https:" ? 443 : 80);
  var s = document.createElement("script");
  s.src = "//" + window.location.hostname + ":" + port + "/livereload.js?port=" + port;
  document.head.appendChild(s);
})();
