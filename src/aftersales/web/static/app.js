// aftersales: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function csrf() {
    return document.body.dataset.csrf || "";
  }

  // The message of an error answer: the flash of an HTMX error (4xx), or the heading and
  // message of a whole error page (500), never the text of the page's menus around it.
  function errorText(holder, fallback) {
    var found = holder.querySelector(".flash-error, .error-page");
    var source = found ? found.cloneNode(true) : holder;
    source.querySelectorAll("a, title, script, style").forEach(function (node) { node.remove(); });
    return source.textContent.replace(/\s+/g, " ").trim() || fallback;
  }

  // Imports: each dropped file is uploaded on its own request, with its own progress bar;
  // the server answers with the job card, which then polls itself until the import is done.
  function setUpUploads() {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var input = document.getElementById("file-input");
    var zone = document.getElementById("dropzone");
    var list = document.getElementById("uploads");

    function upload(file) {
      var card = document.createElement("article");
      card.className = "job job-uploading";
      var title = document.createElement("strong");
      title.className = "file";
      title.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = file.size || 1;
      bar.value = 0;
      card.appendChild(title);
      card.appendChild(bar);
      list.prepend(card);

      var data = new FormData(form);
      data.delete("file");
      data.append("file", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-CSRF-Token", csrf());
      request.setRequestHeader("HX-Request", "true");
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) bar.value = event.loaded;
      };
      request.onload = function () {
        var holder = document.createElement("div");
        holder.innerHTML = request.responseText;
        var replacement = holder.firstElementChild;
        if (request.status >= 400 || !replacement || !replacement.classList.contains("job")) {
          card.className = "job job-rejected";
          bar.remove();
          var message = document.createElement("p");
          message.className = "flash flash-error";
          message.textContent = errorText(holder, request.statusText);
          card.appendChild(message);
          return;
        }
        card.replaceWith(replacement);
        if (window.htmx) window.htmx.process(replacement);
      };
      request.onerror = function () {
        card.className = "job job-failed";
        card.appendChild(document.createTextNode(" — network error"));
      };
      request.send(data);
    }

    function uploadAll(files) {
      for (var i = 0; i < files.length; i++) upload(files[i]);
      input.value = "";
    }

    input.addEventListener("change", function () { uploadAll(input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) { uploadAll(event.dataTransfer.files); });
  }

  // Dashboard trend chart (ECharts, vendored).
  function setUpCharts() {
    var nodes = document.querySelectorAll("[data-chart]");
    if (!nodes.length || !window.echarts) return;
    nodes.forEach(function (node) {
      var config = JSON.parse(node.querySelector("script[type='application/json']").textContent);
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 56, top: 36, bottom: 32 },
        xAxis: { type: "category", data: config.days },
        yAxis: [
          { type: "value", name: config.labels.units, minInterval: 1 },
          { type: "value", name: config.labels.rate, axisLabel: { formatter: "{value}%" } }
        ],
        series: [
          { name: config.labels.shipped, type: "bar", data: config.shipped, itemStyle: { color: "#9db7d5" } },
          { name: config.labels.returned, type: "bar", data: config.returned, itemStyle: { color: "#d9822b" } },
          { name: config.labels.rate, type: "line", yAxisIndex: 1, data: config.rate, smooth: true, showSymbol: false, itemStyle: { color: "#b83a3a" } }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
      node.dataset.rendered = "true";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpUploads();
    setUpCharts();
  });
})();
