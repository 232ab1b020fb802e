// Keeps the selected tab marked after htmx swaps the panel in.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var tab = event.target.closest('[role="tab"]');
    if (!tab) { return; }
    tab.parentElement.querySelectorAll('[role="tab"]').forEach(function (t) {
      t.setAttribute("aria-selected", t === tab ? "true" : "false");
    });
    var panel = document.getElementById("tabpanel");
    if (panel) { panel.setAttribute("aria-labelledby", tab.id); }
  });
})();
