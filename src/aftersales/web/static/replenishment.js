// Replenishment SKU page: the FBA stock projection (ECharts, vendored) with arrivals marked.
(function () {
  "use strict";

  function draw(node) {
    var config = JSON.parse(node.querySelector("script[type='application/json']").textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    var index = {};
    config.days.forEach(function (day, i) { index[day] = i; });
    function marks(planned) {
      return config.arrivals
        .filter(function (a) { return a.planned === planned && index[a.day] !== undefined; })
        .map(function (a) {
          var series = planned ? config.planned : config.scheduled;
          return { name: a.label, coord: [a.day, series[index[a.day]]], value: a.quantity };
        });
    }
    var stockout = config.stockout && index[config.stockout] !== undefined
      ? { symbol: "none", data: [{ xAxis: config.stockout, name: config.labels.stockout }], label: { formatter: config.labels.stockout } }
      : undefined;
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 56, right: 24, top: 36, bottom: 32 },
      xAxis: { type: "category", data: config.days },
      yAxis: { type: "value", name: config.labels.units, minInterval: 1 },
      series: [
        { name: config.labels.scheduled, type: "line", step: "end", showSymbol: false, data: config.scheduled,
          itemStyle: { color: "#2f6db5" }, markPoint: { symbol: "pin", symbolSize: 36, data: marks(false) }, markLine: stockout },
        { name: config.labels.planned, type: "line", step: "end", showSymbol: false, data: config.planned,
          lineStyle: { type: "dashed" }, itemStyle: { color: "#3a8a4a" }, markPoint: { symbol: "pin", symbolSize: 30, data: marks(true) } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    node.dataset.rendered = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-projection]").forEach(draw);
  });
})();
