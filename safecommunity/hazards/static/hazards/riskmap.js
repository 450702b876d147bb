/* The risk map: districts shaded by register entries, with scatter points for places and
   sources (four-colour risk levels) and open hazards. Offline: ECharts and the district
   GeoJSON are served by the app. */
(function () {
  "use strict";
  var bbox = function (features) { return window.SafeCommunity.geoBounds(features); };
  var COLOURS = { red: "#dc3545", orange: "#fd7e14", yellow: "#ffc107", blue: "#0d6efd" };
  window.SafeCommunityHazards = {
    riskMap: function (el, geojsonUrl, data) {
      if (!window.echarts || !el) { return; }
      var chart = window.echarts.init(el);
      chart.showLoading();
      fetch(geojsonUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
        window.echarts.registerMap("sc-risk", geo);
        var counts = data.counts || {};
        var geoOption = { map: "sc-risk", roam: true, itemStyle: { borderColor: "#fff", borderWidth: 0.6 },
                          emphasis: { label: { show: true } } };
        if (data.focus) {
          // Zoom on the user's district.
          var focus = window.SafeCommunity.mapFocus(geo, data.focus);
          if (focus) { geoOption.center = focus.center; geoOption.zoom = focus.zoom; }
        }
        var pts = data.points.concat(data.hazards);
        if (!data.focus && pts.length) {
          // The city: frame the points (not closer than a district).
          var b = [Infinity, Infinity, -Infinity, -Infinity], all2 = bbox(geo.features);
          pts.forEach(function (p) { b[0] = Math.min(b[0], p.value[0]); b[1] = Math.min(b[1], p.value[1]);
                                     b[2] = Math.max(b[2], p.value[0]); b[3] = Math.max(b[3], p.value[1]); });
          geoOption.center = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
          geoOption.zoom = Math.max(1, Math.min(6, 0.5 * Math.min((all2[2] - all2[0]) / Math.max(b[2] - b[0], 1e-6),
                                                                    (all2[3] - all2[1]) / Math.max(b[3] - b[1], 1e-6))));
        }
        var regions = geo.features.map(function (f) {
          var code = String(f.properties.adcode);
          return { name: f.properties.name, value: counts.hasOwnProperty(code) ? counts[code] : 0 };
        });
        var series = [
          { type: "map", geoIndex: 0, name: data.labels.entries, data: regions },
          { type: "scatter", coordinateSystem: "geo", name: data.labels.entries, symbolSize: 10, z: 3,
            data: data.points.map(function (p) { return { name: p.name, value: p.value, url: p.url, info: p.unit + " · " + p.kind + " · " + (data.levels[p.level] || ""),
              itemStyle: { color: COLOURS[p.level] || "#6c757d", borderColor: "#fff", borderWidth: 1 } }; }) },
          { type: "scatter", coordinateSystem: "geo", name: data.labels.hazards, symbol: "triangle", symbolSize: 11, z: 4,
            data: data.hazards.map(function (h) { return { name: h.name, value: h.value, url: h.url, info: h.unit,
              itemStyle: { color: h.grade === "major" ? "#842029" : "#6f42c1", borderColor: "#fff", borderWidth: 1 } }; }) }
        ];
        chart.hideLoading();
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            if (p.seriesType === "scatter") { return p.name + "<br>" + (p.data.info || ""); }
            return p.name + "<br>" + p.seriesName + "：" + (p.value || 0);
          } },
          visualMap: { min: 0, max: data.max || 1, left: 10, bottom: 10, calculable: true, seriesIndex: 0,
                       inRange: { color: ["#f1f5fa", "#f6c9a8", "#e4572e"] } },
          geo: geoOption,
          series: series
        });
        chart.on("click", function (p) { if (p.data && p.data.url) { window.location = p.data.url; } });
        el.setAttribute("data-rendered", "1");
        window.addEventListener("resize", function () { chart.resize(); });
      });
      return chart;
    }
  };
})();
