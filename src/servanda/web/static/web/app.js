// Servanda page behaviour: CSRF for htmx writes, visible htmx errors, clickable table rows.
(function () {
  "use strict";
  var SAFE = ["GET", "HEAD", "OPTIONS", "TRACE"];
  document.addEventListener("htmx:configRequest", function (event) {
    if (SAFE.indexOf(String(event.detail.verb).toUpperCase()) === -1) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
    }
  });
  // htmx leaves the page unchanged on an error status; without this the user's click seems to do
  // nothing. 422 is swapped (forms re-render with inline errors, see the htmx-config meta tag).
  var REASONS = {
    401: "Your session has ended. Log in again to continue.",
    403: "You are not allowed to do this.",
    404: "Not found: it may have been deleted or moved out of your reach. Reload the page.",
    409: "Someone else changed this in the meantime. Reload the page to see the current state.",
  };
  function showError(text) {
    var box = document.getElementById("htmx-error");
    if (!box) { return; }
    box.querySelector("[data-error-text]").textContent = text;
    box.hidden = false;
    box.focus();
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var text = REASONS[status] ||
      (status >= 500 ? "Something went wrong on the server (error " + status + "). Nothing was changed; try again."
                     : "The request was refused (error " + status + ").");
    showError(text);
  });
  document.addEventListener("htmx:sendError", function () {
    showError("The server could not be reached. Check the connection and try again.");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("htmx-error");
    if (box) { box.hidden = true; }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-error-close]")) {
      document.getElementById("htmx-error").hidden = true;
    }
  });
  // A row opens its detail; the row's first link stays the keyboard path.
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-href]");
    if (!row || event.target.closest("a, button, input, select, label")) { return; }
    if (event.ctrlKey || event.metaKey) { window.open(row.dataset.href, "_blank"); return; }
    window.location.href = row.dataset.href;
  });
})();
