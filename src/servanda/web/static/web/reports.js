// Draws the expiry chart from the figures the page embeds as JSON (no inline script).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("expiry-data");
    var canvas = document.getElementById("expiry-chart");
    if (!holder || !canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(holder.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Terms ending (no renewal)", data: data.ending, backgroundColor: "#b42318", stack: "terms" },
          { label: "Terms renewing", data: data.renewing, backgroundColor: "#1f56c4", stack: "terms" },
          { label: "Notice deadlines", data: data.notices, backgroundColor: "#8a4b00", stack: "notice" }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
