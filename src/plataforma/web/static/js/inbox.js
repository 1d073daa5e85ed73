/* The inbox, live: the header's unread badge on every page, new rows on the inbox page.
   One EventSource per page on /api/v1/inbox/stream (the session cookie authenticates it);
   the browser reconnects by itself and sends Last-Event-ID, so nothing is missed. */
(function () {
  "use strict";
  var badge = document.getElementById("inbox-badge");
  if (!badge || !window.EventSource) return;
  var source = new EventSource("/api/v1/inbox/stream");

  function showUnread(count) {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
  }

  source.addEventListener("unread", function (event) {
    showUnread(parseInt(event.data, 10) || 0);
  });

  var list = document.getElementById("inbox-list");
  var pending = false;
  function fetchNewRows() {
    if (!list || list.getAttribute("data-live") !== "yes" || pending || !window.htmx) return;
    pending = true;
    var newest = list.getAttribute("data-newest") || "0";
    htmx.ajax("GET", "/ui/inbox/rows?after=" + encodeURIComponent(newest), {
      target: "#inbox-list", swap: "afterbegin"
    }).then(function () {
      pending = false;
      var first = list.querySelector("li[data-id]");
      if (first) list.setAttribute("data-newest", first.getAttribute("data-id"));
      var empty = document.getElementById("inbox-empty");
      if (empty) empty.remove();
    }, function () { pending = false; });
  }
  source.addEventListener("notification", fetchNewRows);
  source.addEventListener("resync", function () {
    if (list && list.getAttribute("data-live") === "yes") window.location.reload();
  });
})();
