/* The big screen: draws its charts once, then every N seconds fetches the figures and replaces
   the charts' data in place (no page reload, no new chart instances, nothing kept from earlier
   answers), so it can run for days. Charts are disposed when the page goes away. */
(function () {
  "use strict";
  var stage = document.getElementById("bs-stage");
  var ds = stage.dataset, charts = {}, timer = null;
  var dpr = window.devicePixelRatio || 1;

  function fit() {
    var s = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    stage.style.transform = "scale(" + s + ")";
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }

  function init(id) {
    if (!charts[id]) {
      charts[id] = window.echarts.init(document.getElementById(id), "dark",
                                       { devicePixelRatio: dpr * Math.max(1, window.innerWidth / 1920) });
    }
    return charts[id];
  }

  var axisText = { color: "#9fb8dc", fontSize: 14 };
  var base = { backgroundColor: "transparent", textStyle: { fontSize: 14 }, grid: { left: 56, right: 16, top: 36, bottom: 40 } };

  function field(data, path) {
    return path.split(".").reduce(function (o, k) { return o === null || o === undefined ? o : o[k]; }, data);
  }

  function draw(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var v = field(data, el.getAttribute("data-field"));
      el.textContent = v === null || v === undefined ? "—" : String(v);
    });
    var labels = ds.hazardLabels.split("|"), h = data.hazards;
    init("bs-hazards").setOption(Object.assign({}, base, {
      xAxis: { type: "category", data: labels, axisLabel: Object.assign({ interval: 0 }, axisText) },
      yAxis: { type: "value", axisLabel: axisText, splitLine: { lineStyle: { color: "#1e3a66" } } },
      series: [{ type: "bar", barWidth: "45%", label: { show: true, position: "top", color: "#e8f1ff", fontSize: 16 },
                 data: [{ value: h.open, itemStyle: { color: "#3d8bff" } }, { value: h.overdue, itemStyle: { color: "#ff5b5b" } },
                        { value: h.found_month, itemStyle: { color: "#f5b83d" } }, { value: h.closed_month, itemStyle: { color: "#35d399" } }] }]
    }));
    var tr = data.injury_trend;
    init("bs-injuries").setOption(Object.assign({}, base, {
      xAxis: { type: "category", data: tr.map(function (r) { return r.year; }), axisLabel: axisText },
      yAxis: { type: "value", name: "‰", axisLabel: axisText, splitLine: { lineStyle: { color: "#1e3a66" } } },
      series: [{ type: "line", smooth: true, name: ds.rateName, symbolSize: 8, areaStyle: { opacity: .25 },
                 data: tr.map(function (r) { return r.rate; }), itemStyle: { color: "#4fd1ff" } }]
    }));
    var rd = data.reports.districts;
    init("bs-reports").setOption(Object.assign({}, base, {
      legend: { top: 0, textStyle: axisText },
      grid: { left: 88, right: 24, top: 32, bottom: 24 },
      xAxis: { type: "value", max: 100, axisLabel: axisText, splitLine: { lineStyle: { color: "#1e3a66" } } },
      yAxis: { type: "category", inverse: true, data: rd.map(function (r) { return r.name; }), axisLabel: axisText },
      series: [{ type: "bar", name: ds.completenessName, data: rd.map(function (r) { return r.completeness; }), itemStyle: { color: "#3d8bff" } },
               { type: "bar", name: ds.timelinessName, data: rd.map(function (r) { return r.timeliness; }), itemStyle: { color: "#35d399" } }]
    }));
    var mapEl = document.getElementById("bs-map");
    if (!charts.map) {
      var values = {};
      data.map.forEach(function (d) { values[d.code] = d.value; });
      charts.map = window.SafeCommunity.districtMap(mapEl, { geojsonUrl: ds.geojson, values: values, max: 100, unit: "%",
                                                             seriesName: ds.mapName, focus: ds.focus || null,
                                                             noDataColor: "#16325c", borderColor: "#3d6cb3" });
    } else if (mapEl.getAttribute("data-rendered")) {
      charts.map.setOption({ series: [{ data: data.map.map(function (d) { return { name: d.name, code: d.code, value: d.value }; }) }] });
    }
    var list = document.getElementById("bs-events"), items = data.events.map(function (e) {
      var li = document.createElement("li"), t = document.createElement("time");
      t.textContent = e.at; li.appendChild(t); li.appendChild(document.createTextNode(" " + e.text));
      return li;
    });
    if (items.length) { list.replaceChildren.apply(list, items); }
    stage.setAttribute("data-drawn", String((+stage.getAttribute("data-drawn") || 0) + 1));
  }

  function refresh() {
    fetch(ds.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(draw)
      .catch(function () {})  // keep the last figures on screen; try again next time
      .then(function () { timer = window.setTimeout(refresh, Math.max(5, +ds.refresh || 60) * 1000); });
  }

  window.addEventListener("resize", fit);
  window.addEventListener("pagehide", function () {
    window.clearTimeout(timer);
    Object.keys(charts).forEach(function (k) { charts[k].dispose(); });
    charts = {};
  });
  fit();
  draw(JSON.parse(document.getElementById("bs-data").textContent));
  timer = window.setTimeout(refresh, Math.max(5, +ds.refresh || 60) * 1000);
})();
