/* SafeCommunity page helpers. No external requests: every asset is served by the app. */
(function () {
  "use strict";
  // Forms with data-confirm ask before submitting (destructive actions).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);

  var SC = window.SafeCommunity = window.SafeCommunity || {};

  /* Long selects (units: ~1,000 in a city) become searchable with Tom Select (npm, served by the
     app); short ones stay native. A select opts in with data-searchable, out with data-native. */
  SC.SEARCHABLE_FROM = 50;
  SC.searchable = function (root) {
    if (!window.TomSelect) { return; }
    (root || document).querySelectorAll("select").forEach(function (el) {
      if (el.tomselect || el.hasAttribute("data-native")) { return; }
      if (!el.hasAttribute("data-searchable") && el.options.length < SC.SEARCHABLE_FROM) { return; }
      new window.TomSelect(el, { maxOptions: null, allowEmptyOption: true, hidePlaceholder: false,
                                 render: { no_results: function () { return '<div class="no-results">—</div>'; } } });
    });
  };

  /* Inputs with a maxlength show how much is left, so nothing is cut silently. */
  SC.counters = function (root) {
    (root || document).querySelectorAll("input[maxlength], textarea[maxlength]").forEach(function (el) {
      var max = parseInt(el.getAttribute("maxlength"), 10);
      if (!max || max > 5000 || el.type === "hidden" || el.type === "password" || el.dataset.counted) { return; }
      el.dataset.counted = "1";
      var hint = document.createElement("div");
      hint.className = "form-text text-end sc-counter";
      el.insertAdjacentElement("afterend", hint);
      var update = function () {
        hint.textContent = el.value.length + " / " + max;
        hint.classList.toggle("text-danger", el.value.length >= max);
      };
      el.addEventListener("input", update);
      update();
    });
  };

  function enhance(root) { SC.searchable(root); SC.counters(root); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else { enhance(document); }
  document.addEventListener("htmx:load", function (ev) { enhance(ev.target); });

  /* [minLng, minLat, maxLng, maxLat] of GeoJSON features. */
  SC.geoBounds = function (features) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    function walk(c) {
      if (typeof c[0] === "number") {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
      } else { c.forEach(walk); }
    }
    features.forEach(function (f) { walk(f.geometry.coordinates); });
    return b;
  };

  /* {center, zoom} that frame the district `adcode` in a map of all `geo` features (null if
     the district is not in the map): the ratio of the city's extent to the district's. */
  SC.mapFocus = function (geo, adcode) {
    var one = geo.features.filter(function (f) { return String(f.properties.adcode) === String(adcode); });
    if (!one.length) { return null; }
    var all = SC.geoBounds(geo.features), b = SC.geoBounds(one);
    return { center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2],
             zoom: 0.8 * Math.min((all[2] - all[0]) / Math.max(b[2] - b[0], 1e-6),
                                  (all[3] - all[1]) / Math.max(b[3] - b[1], 1e-6)) };
  };

  /* Draw the district map into `el` with ECharts.
     options: geojsonUrl, values {adcode: number}, seriesName, max, unit, links {adcode: url},
     focus (adcode of the district to zoom on, e.g. a district office's own),
     noDataColor / borderColor (areas without a value, borders: e.g. for a dark page) */
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
        var series = { type: "map", map: "sc-districts", name: options.seriesName || "", roam: true, data: data,
                       label: { show: false }, emphasis: { label: { show: true } },
                       itemStyle: { borderColor: options.borderColor || "#fff", borderWidth: 0.6 } };
        if (options.noDataColor) { series.itemStyle.areaColor = options.noDataColor; }
        var focus = options.focus && SC.mapFocus(geo, options.focus);
        if (focus) { series.center = focus.center; series.zoom = focus.zoom; }
        chart.hideLoading();
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            var v = p.data && p.data.value;
            return p.name + "<br>" + (options.seriesName || "") + "：" + (v === null || v === undefined ? "—" : v + (options.unit || ""));
          } },
          visualMap: { min: 0, max: options.max || 100, left: 10, bottom: 10, text: [options.highText || "", options.lowText || ""],
                       calculable: true, inRange: { color: ["#e8f1fb", "#8ab6e6", "#1f4e8c"] } },
          series: [series]
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
  /* A map point for a form on a phone: the phone's location (navigator.geolocation) fills the
     latitude/longitude fields when they are empty; tapping the district map sets them too; the
     fields stay editable (the plain fallback when there is neither).
     options: lat, lng (inputs), button, status, map (element with data-geojson), texts */
  SC.pointPicker = function (o) {
    if (!o.lat || !o.lng) { return; }
    var chart = null;
    function mark() {
      if (!chart) { return; }
      var lat = parseFloat(o.lat.value), lng = parseFloat(o.lng.value);
      chart.setOption({ series: [{ data: isNaN(lat) || isNaN(lng) ? [] : [[lng, lat]] }] });
    }
    function set(lat, lng) {
      o.lat.value = lat.toFixed(6); o.lng.value = lng.toFixed(6); mark();
    }
    function locate() {
      if (!navigator.geolocation) { if (o.status) { o.status.textContent = o.texts.failed; } return; }
      if (o.status) { o.status.textContent = o.texts.locating; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        set(pos.coords.latitude, pos.coords.longitude);
        if (o.status) { o.status.textContent = o.texts.found; }
      }, function () { if (o.status) { o.status.textContent = o.texts.failed; } },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }
    if (o.button) { o.button.addEventListener("click", locate); }
    if (!o.lat.value && !o.lng.value) { locate(); }
    if (o.lat.form) {  // a new report on the same page (the last one kept on the phone): locate again
      o.lat.form.addEventListener("reset", function () { window.setTimeout(locate, 0); });
    }
    [o.lat, o.lng].forEach(function (el) { el.addEventListener("change", mark); });
    if (o.map && window.echarts) {
      fetch(o.map.getAttribute("data-geojson"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geo) {
          window.echarts.registerMap("sc-point", geo);
          chart = window.echarts.init(o.map);
          chart.setOption({
            geo: { map: "sc-point", roam: true, itemStyle: { areaColor: "#e8f1fb", borderColor: "#8ab6e6" } },
            series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 16, itemStyle: { color: "#dc3545" }, data: [] }]
          });
          mark();
          chart.getZr().on("click", function (e) {
            var p = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
            if (p) { set(p[1], p[0]); }
          });
          window.addEventListener("resize", function () { chart.resize(); });
          o.map.setAttribute("data-rendered", "1");
        }).catch(function () { o.map.classList.add("d-none"); });
    }
  };
})();
