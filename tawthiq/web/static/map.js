// The incident map: governorate outlines from the shipped GeoJSON and one marker per incident and governorate.
// No tile layer: it works offline. Without JavaScript the page lists the same data in tables.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("map");
    if (!box || typeof L === "undefined") { return; }
    var map = L.map(box, { attributionControl: false, zoomSnap: 0.25 }).setView([35.0, 38.5], 6.25);
    var rtl = box.dataset.lang === "ar";
    fetch(box.dataset.outlines, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var outlines = L.geoJSON(geo, {
        style: { color: "#0b5cad", weight: 1.2, fillColor: "#cfdff0", fillOpacity: 0.35 },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(rtl ? f.properties.name_ar : f.properties.name, { sticky: true });
        }
      }).addTo(map);
      map.fitBounds(outlines.getBounds(), { padding: [8, 8] });
    });
    fetch(box.dataset.incidents, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      L.geoJSON(geo, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 6 + Math.min(10, Math.sqrt(f.properties.claims)), color: "#8a1c12", weight: 1, fillOpacity: 0.6 });
        },
        onEachFeature: function (f, layer) {
          var a = document.createElement("a");
          a.href = f.properties.url;
          a.textContent = f.properties.title;  // text, never HTML: titles come from documents
          var p = document.createElement("div");
          p.appendChild(a);
          var meta = document.createElement("div");
          meta.textContent = (f.properties.date_start || "") + " · " + f.properties.grade;
          p.appendChild(meta);
          layer.bindPopup(p);
        }
      }).addTo(map);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
