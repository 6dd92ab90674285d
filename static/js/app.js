// Small behaviour on top of htmx; no inline scripts (CSP forbids them).
document.addEventListener("htmx:afterSwap", function (event) {
  // Move focus to a swapped-in form or message so keyboard and screen-reader users follow along.
  var target = event.detail.target.querySelector("[data-autofocus]");
  if (target) { target.focus(); }
});

// A refused or failed htmx request must not fail silently: show a German message
// (texts come translated from data attributes on <body>).
function showRequestProblem(text) {
  var area = document.getElementById("messages");
  if (!area || !text) { return; }
  var alert = document.createElement("div");
  alert.className = "kern-alert kern-alert--danger";
  alert.setAttribute("role", "alert");
  var body = document.createElement("div");
  body.className = "kern-alert__body";
  var paragraph = document.createElement("p");
  paragraph.className = "kern-body";
  paragraph.textContent = text;
  body.appendChild(paragraph);
  alert.appendChild(body);
  area.replaceChildren(alert);
  area.scrollIntoView({ block: "nearest" });
}

document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr ? event.detail.xhr.status : 0;
  var data = document.body.dataset;
  showRequestProblem(status === 403 ? data.msgForbidden : data.msgError);
});

document.addEventListener("htmx:sendError", function () {
  showRequestProblem(document.body.dataset.msgOffline);
});

// Wide tables scroll inside their region ({% scrollregion %}): the hint rendered before the
// region shows while the table is wider than the region.
function markScrollRegions() {
  document.querySelectorAll(".table-scroll").forEach(function (region) {
    var hint = region.previousElementSibling;
    if (hint && hint.classList.contains("table-scroll-hint")) {
      hint.hidden = region.scrollWidth <= region.clientWidth + 1;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollRegions);
document.addEventListener("htmx:afterSettle", markScrollRegions);
document.addEventListener("toggle", markScrollRegions, true);  // tables inside <details>
window.addEventListener("resize", markScrollRegions);
