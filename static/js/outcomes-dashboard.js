// Draws the dashboard's charts from the numbers the page embeds (json_script); each chart
// has a table beside it with the same numbers, for screen readers and for printing.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var names = data.names;
  var colours = { contacts: "#0b5394", buying: "#6aa84f", orders: "#e69138", grey: "#d9d9d9" };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      canvas.chart = new Chart(canvas, config);
    }
  }

  function series(block, type) {
    return {
      type: type,
      data: {
        labels: block.labels,
        datasets: [
          { label: names.contacts, data: block.contacts, backgroundColor: colours.contacts, borderColor: colours.contacts },
          { label: names.buying, data: block.buying, backgroundColor: colours.buying, borderColor: colours.buying },
          { label: names.orders, data: block.orders, backgroundColor: colours.orders, borderColor: colours.orders }
        ]
      },
      options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  if (data.kpi && data.kpi.participants > 0) {
    draw("chart-kpi", {
      type: "doughnut",
      data: {
        labels: [names.achieved, names.not_yet],
        datasets: [{
          data: [data.kpi.achieved, data.kpi.participants - data.kpi.achieved],
          backgroundColor: [colours.buying, colours.grey]
        }]
      },
      options: { plugins: { legend: { position: "bottom" } } }
    });
  }
  if (data.outputs) {
    draw("chart-outputs", {
      type: "bar",
      data: {
        labels: [names.sessions, names.reports],
        datasets: [
          { label: names.done, data: data.outputs.done, backgroundColor: colours.contacts },
          { label: names.target, data: data.outputs.target, backgroundColor: colours.grey }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  draw("chart-city", series(data.by_city, "bar"));
  draw("chart-category", series(data.by_category, "bar"));
  draw("chart-period", series(data.by_period, "bar"));
  draw("chart-trend", series(data.trend, "line"));
})();
