/* SafeCommunity page helpers. No external requests: every asset is served by the app. */
(function () {
  "use strict";
  // Forms with data-confirm ask before submitting (destructive actions).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);

  var SC = window.SafeCommunity = window.SafeCommunity || {};

  /* Draw the district map into `el` with ECharts.
     options: geojsonUrl, values {adcode: number}, seriesName, max, unit, links {adcode: url} */
  SC.districtMap = function (el, options) {
    if (!window.echarts || !el) { return; }
    var chart = window.echarts.init(el);
    chart.showLoading();
    fetch(options.geojsonUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        window.echarts.registerMap("sc-districts", geo);
        var values = options.values || {};
        var data = geo.features.map(function (f) {
          var code = String(f.properties.adcode);
          return { name: f.properties.name, code: code, value: values.hasOwnProperty(code) ? values[code] : null };
        });
        chart.hideLoading();
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            var v = p.data && p.data.value;
            return p.name + "<br>" + (options.seriesName || "") + "：" + (v === null || v === undefined ? "—" : v + (options.unit || ""));
          } },
          visualMap: { min: 0, max: options.max || 100, left: 10, bottom: 10, text: [options.highText || "", options.lowText || ""],
                       calculable: true, inRange: { color: ["#e8f1fb", "#8ab6e6", "#1f4e8c"] } },
          series: [{ type: "map", map: "sc-districts", name: options.seriesName || "", roam: true, data: data,
                     label: { show: false }, emphasis: { label: { show: true } },
                     itemStyle: { borderColor: "#fff", borderWidth: 0.6 } }]
        });
        el.setAttribute("data-rendered", "1");
        if (options.links) {
          chart.on("click", function (p) { var url = p.data && options.links[p.data.code]; if (url) { window.location = url; } });
        }
        window.addEventListener("resize", function () { chart.resize(); });
      });
    return chart;
  };

  /* A bar or line chart: options {categories, series: [{name, data, type}], yName} */
  SC.chart = function (el, options) {
    if (!window.echarts || !el) { return; }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 48, right: 16, top: 36, bottom: 48 },
      xAxis: { type: "category", data: options.categories, axisLabel: { interval: 0, rotate: options.rotate || 0 } },
      yAxis: { type: "value", name: options.yName || "" },
      series: options.series.map(function (s) { return { name: s.name, type: s.type || "bar", data: s.data, stack: s.stack }; })
    });
    el.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  };
})();
