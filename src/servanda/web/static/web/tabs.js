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
// Arrow keys move between tabs, as in any tab list.
document.addEventListener("keydown", function (event) {
  "use strict";
  var tab = event.target.closest && event.target.closest('[role="tab"]');
  if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) { return; }
  var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll('[role="tab"]'));
  var next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  next.focus();
  next.click();
  event.preventDefault();
});
