// The actors map (templates/actors/actor_map.html): canton and commune outlines from the
// territory app, a choropleth by canton, clustered markers, a card on click. No tile
// server is needed; one is added when the workspace's settings give its URL.
(function () {
  "use strict";

  // The colours come from the page (views/map.py PALETTE), so the printed legend matches.
  let steps = ["#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c"];

  function palette(value, max) {
    if (!max) return steps[0];
    return steps[Math.min(steps.length - 1, Math.floor((value / max) * (steps.length - 1) + 0.5))];
  }

  function start() {
    const el = document.getElementById("actors-map");
    if (!el || typeof L === "undefined") return;
    const d = el.dataset;
    if (d.palette) steps = JSON.parse(d.palette);
    // maxZoom: with no tile layer Leaflet has none, and the clusters need one.
    const map = L.map(el, { zoomSnap: 0.25, minZoom: 6, maxZoom: 18 });
    map.setView([50.5, 3.1], 9);
    const tiles = JSON.parse(d.tiles || "{}");
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }
    const overlays = {};
    const control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);

    // The outlines (the same whatever the filters) and the filtered data, in parallel.
    const get = (url) => fetch(url, { credentials: "same-origin" }).then((r) => r.json());
    Promise.all([get(d.areas), get(d.points)]).then(([data, found]) => {
      for (const feature of data.features) {
        const p = feature.properties;
        const [actors, contacted] = found.cantons[p.code] || [0, 0];
        Object.assign(p, { actors, contacted, share: actors ? contacted / actors : 0 });
      }
      const max = Math.max(0, ...data.features.map((f) => f.properties.actors));
      const style = (key, scale) => (feature) => ({
        color: "#35524a", weight: 1.2, fillOpacity: 0.55,
        fillColor: palette(feature.properties[key], scale),
      });
      const popup = (feature, layer) => {
        const p = feature.properties;
        layer.bindTooltip(`${p.name} : ${p.actors} ${d.labelActors}, ${Math.round(p.share * 100)} % ${d.labelContacted}`);
      };
      const byCount = L.geoJSON(data, { style: style("actors", max), onEachFeature: popup });
      const byShare = L.geoJSON(data, { style: style("share", 1), onEachFeature: popup });
      byCount.addTo(map);
      control.addOverlay(byCount, d.labelCantons);
      control.addOverlay(byShare, d.labelShare);
      if (data.features.length) map.fitBounds(byCount.getBounds());
      const communes = L.geoJSON(null, { style: { color: "#777", weight: 0.5, fill: false } });
      control.addOverlay(communes, d.labelCommunes);
      map.on("overlayadd", (event) => {
        if (event.layer === communes && !communes.getLayers().length) {
          get(d.communes).then((geo) => { communes.addData(geo); communes.bringToBack(); });
        }
      });
      showPoints(map, control, d, found);
    });
  }

  function showPoints(map, control, d, data) {
    document.getElementById("map-count").textContent = `${data.count} ${d.labelShown}`;
    const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    for (const [lat, lon, code, name] of data.points) {
      const marker = L.circleMarker([lat, lon], { radius: 6, color: "#1f6f43", fillOpacity: 0.9 });
      marker.bindTooltip(name);
      marker.on("click", () => {
        fetch(`${d.card}${code}/?fiche=1`, { credentials: "same-origin" })
          .then((r) => r.text()).then((html) => marker.bindPopup(html).openPopup());
      });
      cluster.addLayer(marker);
    }
    for (const [lat, lon, name, insee, n] of data.groups) {
      const marker = L.circleMarker([lat, lon], { radius: 6 + Math.min(20, Math.sqrt(n)), color: "#1f6f43", fillOpacity: 0.6 });
      marker.bindTooltip(`${name} : ${n}`);
      cluster.addLayer(marker);
    }
    cluster.addTo(map);
    control.addOverlay(cluster, d.labelMarkers);
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
