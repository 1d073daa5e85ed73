// The trends dashboard: state choropleth (no tiles), municipal detail, H3 hexagons, the
// panel of the selected place, and live updates from /api/v1/trends/stream.
// Every figure is read through /api/v1/trends (policy and audit on the server).
(function () {
  "use strict";
  var HEX_ZOOM = 9;

  function qs(params) {
    return Object.keys(params)
      .filter(function (k) { return params[k] !== "" && params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); })
      .join("&");
  }

  function shade(count, top) {
    if (!count) return "#f4f1ea";
    var t = Math.sqrt(count / Math.max(top, 1));
    var stops = ["#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#eb4a40", "#b3202f"];
    return stops[Math.min(stops.length - 1, Math.floor(t * (stops.length - 1) + 0.0001))];
  }

  function start(el) {
    var config = JSON.parse(el.getAttribute("data-config"));
    var f = config.filters;
    var purpose = config.purpose;
    var headers = { "X-Purpose": purpose, "Accept": "application/json" };
    var selected = { level: config.area_level, area: config.area };
    var counts = config.counts;
    var map = L.map(el, { zoomSnap: 0.5, attributionControl: false, preferCanvas: false })
      .setView([23.6, -102.5], 5);
    var states = null, munis = null, hexes = null, shownState = null;
    var label = el.getAttribute("data-label-incidents");

    function api(path, params) {
      return fetch("/api/v1/trends/" + path + "?" + qs(params), { headers: headers, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(path + " " + r.status); return r.json(); });
    }
    function base() {
      return { grain: f.grain, crime_level: f.crime_level, crime: f.crime, since: f.since, until: f.until };
    }
    function panelQuery() {
      return qs({ crime: f.crime ? f.crime_level + ":" + f.crime : "", grain: f.grain, since: f.since,
                  until: f.until, area_level: selected.level, area: selected.area });
    }

    function styleStates() {
      var top = 0;
      Object.keys(counts).forEach(function (k) { top = Math.max(top, counts[k]); });
      states.eachLayer(function (layer) {
        var code = layer.feature.properties.code;
        var n = counts[code] || 0;
        var open = code === shownState;  // its municipalities are drawn over it: let them show
        var style = { fillColor: shade(n, top), fillOpacity: open ? 0.3 : 0.85, color: open ? "#222" : "#6b6b6b", weight: open ? 2.5 : 0.8 };
        if (layer.setStyle) layer.setStyle(style);
        layer.unbindTooltip();
        layer.bindTooltip(layer.feature.properties.name + ": " + n + " " + label, { sticky: true });
        var path = layer.getElement ? layer.getElement() : null;
        if (path) { path.setAttribute("data-count", String(n)); path.setAttribute("data-code", code); }
      });
    }

    function loadPanel() {
      return fetch("/ui/trends/panel?" + panelQuery(), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("panel " + r.status); return r.text(); })
        .then(function (html) {
          document.getElementById("trend-panel").innerHTML = html;
          history.replaceState(null, "", "/ui/trends?" + panelQuery());
        });
    }

    function showMunicipalities(state) {
      shownState = state;
      if (munis) { map.removeLayer(munis); munis = null; }
      return Promise.all([
        fetch("/ui/trends/municipalities.json?state=" + state, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
        api("counts", Object.assign(base(), { area_level: "municipality", state: state }))
      ]).then(function (both) {
        var byCode = {};
        both[1].items.forEach(function (i) { byCode[i.area] = i.count; });
        var top = 1;
        Object.keys(byCode).forEach(function (k) { top = Math.max(top, byCode[k]); });
        munis = L.layerGroup();
        both[0].forEach(function (m) {
          var n = byCode[m.code] || 0;
          var marker = L.circleMarker([m.lat, m.lon], {
            radius: 4 + 14 * Math.sqrt(n / top), color: "#7a1020", weight: 1,
            fillColor: n ? "#d7263d" : "#ffffff", fillOpacity: n ? 0.75 : 0.5, className: "muni-point"
          });
          marker.bindTooltip(m.name + ": " + n + " " + label);
          marker.on("click", function () { selected = { level: "municipality", area: m.code }; loadPanel(); });
          munis.addLayer(marker);
        });
        munis.addTo(map);
        styleStates();
      });
    }

    function refreshHexes() {
      if (map.getZoom() < HEX_ZOOM) { if (hexes) { map.removeLayer(hexes); hexes = null; } return Promise.resolve(); }
      var b = map.getBounds();
      var bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (v) { return v.toFixed(4); }).join(",");
      var resolution = map.getZoom() >= 11 ? 8 : 7;
      var params = Object.assign(base(), { bbox: bbox, resolution: resolution,
        crime: f.crime ? f.crime_level + ":" + f.crime : "" });
      delete params.crime_level;
      return fetch("/ui/trends/cells.geojson?" + qs(params), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { type: "FeatureCollection", features: [] }; })
        .then(function (data) {
          if (hexes) map.removeLayer(hexes);
          var top = 1;
          data.features.forEach(function (ft) { top = Math.max(top, ft.properties.count); });
          hexes = L.geoJSON(data, {
            style: function (ft) { return { color: "#5a1d1d", weight: 0.6, fillColor: shade(ft.properties.count, top), fillOpacity: 0.8 }; },
            onEachFeature: function (ft, layer) { layer.bindTooltip(ft.properties.count + " " + label); }
          }).addTo(map);
        });
    }

    function refreshCounts() {
      return api("counts", Object.assign(base(), { area_level: "state" })).then(function (data) {
        counts = {};
        data.items.forEach(function (i) { counts[i.area] = i.count; });
        styleStates();
      });
    }

    function refreshAll() {
      var jobs = [refreshCounts(), loadPanel(), refreshHexes()];
      if (shownState) jobs.push(showMunicipalities(shownState));
      return Promise.all(jobs).then(function () {
        var stamp = document.getElementById("trend-updated");
        if (stamp) stamp.textContent = new Date().toLocaleTimeString();
      });
    }

    fetch("/ui/trends/states.geojson", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        states = L.geoJSON(geo, {
          pointToLayer: function (_ft, latlng) { return L.circleMarker(latlng, { radius: 8 }); },
          onEachFeature: function (ft, layer) {
            layer.on("click", function () {
              selected = { level: "state", area: ft.properties.code };
              if (layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: 8 });
              showMunicipalities(ft.properties.code);
              loadPanel();
            });
          }
        }).addTo(map);
        styleStates();
        if (selected.level !== "nation") {
          var code = selected.area.slice(0, 2);
          states.eachLayer(function (layer) {
            if (layer.feature.properties.code === code && layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: 8 });
          });
          showMunicipalities(code);
        }
        el.setAttribute("data-ready", "1");
        document.body.setAttribute("data-trends-ready", "1");
        // Milliseconds from navigation start to the first drawn map (read by the benchmark).
        document.body.setAttribute("data-trends-ready-ms", String(Math.round(performance.now())));
      });

    map.on("zoomend moveend", function () { refreshHexes(); });

    var live = document.getElementById("trend-live");
    if (window.EventSource) {
      var source = new EventSource("/api/v1/trends/stream?purpose=" + encodeURIComponent(purpose));
      source.addEventListener("ready", function () { if (live) live.setAttribute("data-state", "open"); });
      source.addEventListener("counts", function () { refreshAll(); });
      source.onerror = function () { if (live) live.setAttribute("data-state", "retrying"); };
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("trend-map");
    if (el && window.L) start(el);
    var place = document.getElementById("f-place");
    var level = document.getElementById("f-area-level");
    if (place && level) {
      place.addEventListener("change", function () { level.value = place.value === "00" ? "nation" : "state"; });
    }
  });
})();
