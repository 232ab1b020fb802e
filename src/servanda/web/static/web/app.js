// Servanda page behaviour: CSRF for htmx writes and clickable table rows.
(function () {
  "use strict";
  var SAFE = ["GET", "HEAD", "OPTIONS", "TRACE"];
  document.addEventListener("htmx:configRequest", function (event) {
    if (SAFE.indexOf(String(event.detail.verb).toUpperCase()) === -1) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
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
