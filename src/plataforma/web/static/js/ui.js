/* plataforma UI behaviour: CSRF header for HTMX, annex rows, invalid-field marks, the map.
   No inline scripts anywhere (the Content-Security-Policy forbids them); this file is all. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // Mark inputs whose error span holds text, so screen readers and the CSS flag them.
  function markInvalid(root) {
    root.querySelectorAll(".field-error").forEach(function (span) {
      var name = span.id.replace(/^err-/, "");
      var input = document.getElementById("f-" + name);
      if (!input) return;
      if (span.textContent.trim()) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }
  document.addEventListener("htmx:afterSettle", function () { markInvalid(document); });

  function revalidate(form) {
    if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var annex = add.getAttribute("data-add-row");
      var rows = document.getElementById("rows-" + annex);
      var template = document.getElementById("tpl-" + annex);
      var index = parseInt(rows.getAttribute("data-next") || "0", 10);
      rows.setAttribute("data-next", String(index + 1));
      var html = template.innerHTML.split("__i__").join(String(index));
      rows.insertAdjacentHTML("beforeend", html);
      var fresh = rows.lastElementChild;
      var legend = fresh.querySelector("legend");
      if (legend) legend.textContent = legend.textContent.trim() + " " + (index + 1);
      var first = fresh.querySelector("input, select");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest(".annex-row");
      var form = remove.closest("form");
      row.remove();
      revalidate(form);
    }
  });

  function drawMap(element) {
    if (typeof L === "undefined") return;
    var data = JSON.parse(element.getAttribute("data-map"));
    var openText = element.getAttribute("data-open") || "Open";
    // No tile layer: tiles would come from the internet. The map is a plain background with
    // state reference points and the incidents themselves.
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.5 }).setView([23.6, -102.5], 5);
    data.states.forEach(function (s) {
      if (s.lat === null || s.lon === null) return;
      L.circleMarker([s.lat, s.lon], { radius: 3, color: "#8a8f98", weight: 1, fillOpacity: 0.4 })
        .bindTooltip(s.name, { permanent: false }).addTo(map);
    });
    var bounds = [];
    data.points.forEach(function (p) {
      var link = document.createElement("a");
      link.href = "/ui/records/" + encodeURIComponent(p.id) + "?purpose=" + encodeURIComponent(data.purpose);
      link.textContent = p.folio + " — " + openText;
      L.circleMarker([p.lat, p.lon], { radius: 5, color: "#9f2241", weight: 1, fillOpacity: 0.75 })
        .bindPopup(link).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
  }

  // Inquiry: ask the owning agency to confirm a hit (POST /api/v1/confirmations, JSON).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.confirm-form");
    if (!form) return;
    event.preventDefault();
    var body = JSON.parse(form.getAttribute("data-confirm"));
    body.priority = form.querySelector("[name=priority]").value;
    var status = form.querySelector(".confirm-status");
    fetch("/api/v1/confirmations", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (reply) {
      status.textContent = reply.ok ? form.getAttribute("data-sent") || "✓" : "✗ " + reply.status;
      if (reply.ok) form.querySelector("button").disabled = true;
    }).catch(function () { status.textContent = "✗"; });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("incident-map");
    if (map) drawMap(map);
    markInvalid(document);
  });
})();
