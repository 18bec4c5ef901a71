/* Root page: send the reader to the language their browser prefers (French otherwise). The page's
   meta refresh does the same for browsers without JavaScript, to the default language. */
(function () {
  "use strict";
  var langs = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""]);
  var target = "fr/";
  for (var i = 0; i < langs.length; i++) {
    var l = String(langs[i]).toLowerCase().slice(0, 2);
    if (l === "fr" || l === "en") { target = l + "/"; break; }
  }
  var base = document.documentElement.getAttribute("data-base") || "/";
  window.location.replace(base + target);
})();
