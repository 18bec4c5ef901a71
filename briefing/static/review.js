/* The review page of `build.py serve` (never part of the published site): posts a segment's approval with
   fetch and says the outcome in the segment's status line, so the editor stays where they are. A file, not
   an inline script, so the preview's Content-Security-Policy (script-src 'self') holds. Text only: no innerHTML. */
(function () {
  "use strict";
  function approve(form, event) {
    event.preventDefault();
    var status = form.querySelector("output.status");
    var button = form.querySelector("button[type=submit]");
    var token = form.querySelector("input[name=token]").value;
    var body = new URLSearchParams(new FormData(form));
    button.disabled = true;
    status.textContent = "Saving…";
    fetch(form.action, {
      method: "POST",
      headers: {"X-Review-Token": token, "Accept": "application/json"},
      body: body,
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (r) {
      return r.json().catch(function () { return {ok: false, message: r.status + " " + r.statusText}; });
    }).then(function (answer) {
      if (answer.ok) {
        form.querySelector("textarea[name=english]").value = answer.english;
        form.parentNode.classList.add("approved");
        status.textContent = "Approved and saved.";
        document.getElementById("article-state").textContent = answer.state;
        document.getElementById("article-awaiting").textContent = String(answer.awaiting);
      } else {
        status.textContent = "Not saved: " + answer.message;
      }
    }).catch(function (err) {
      status.textContent = "Not saved: the preview server did not answer (" + err + ").";
    }).finally(function () {
      button.disabled = false;
    });
  }
  function start() {
    var forms = document.querySelectorAll("form.review-segment");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", approve.bind(null, forms[i]));
    }
    document.documentElement.setAttribute("data-review-ready", "1");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
