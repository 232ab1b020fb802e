// Workload chart: planned hours per week, drawn from the JSON the page embeds.
// The table next to it carries the same figures for screen readers and without JS.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("workload-chart");
    var source = document.getElementById("workload-data");
    if (!canvas || !source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#1f56c4";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: "Planned hours", data: data.hours, backgroundColor: accent, borderRadius: 3, maxBarThickness: 42 }]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { afterLabel: function (ctx) { return data.items[ctx.dataIndex] + " item(s)"; } } }
        },
        scales: {
          y: { beginAtZero: true, title: { display: true, text: "hours" }, grace: "10%" },
          x: { title: { display: true, text: "week starting" } }
        }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
