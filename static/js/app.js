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

// An invalid form came back (422, swapped in place: see htmx-config in base.html): move focus to
// its first invalid field, so its error (aria-describedby) is read and typing can go on there.
document.addEventListener("htmx:afterSettle", function (event) {
  var xhr = event.detail.xhr;
  if (!xhr || xhr.status !== 422) { return; }
  var elt = event.detail.elt;
  var scope = elt && elt.isConnected ? elt : document;
  var invalid = scope.querySelector('[aria-invalid="true"]');
  if (invalid && document.activeElement !== invalid) { invalid.focus(); }
});

// Wide tables scroll inside their region ({% scrollregion %}): the hint rendered before the
// region shows while the table is wider than the region.
function markScrollRegions() {
  document.querySelectorAll(".table-scroll").forEach(function (region) {
    var overflowing = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle("table-scroll--overflowing", overflowing);
    var hint = region.previousElementSibling;
    if (hint && hint.classList.contains("table-scroll-hint")) {
      hint.hidden = !overflowing;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollRegions);
document.addEventListener("htmx:afterSettle", markScrollRegions);
document.addEventListener("toggle", markScrollRegions, true);  // tables inside <details>
window.addEventListener("resize", markScrollRegions);

// Search boxes over long lists (core/widgets.py): typing hides the options of a select,
// or the checkboxes of a grouped list (and groups left empty), whose text does not contain it.
function filterList(input) {
  var target = document.getElementById(input.dataset.filterTarget);
  if (!target) { return; }
  var words = input.value.toLocaleLowerCase("de").split(/\s+/).filter(Boolean);
  var matches = function (text) {
    text = text.toLocaleLowerCase("de");
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  };
  if (target.tagName === "SELECT") {
    Array.prototype.forEach.call(target.options, function (option) {
      option.hidden = option.value !== "" && !option.selected && !matches(option.textContent);
    });
    return;
  }
  target.querySelectorAll("[data-filter-group]").forEach(function (group) {
    var groupMatches = matches(group.querySelector("legend") ? group.querySelector("legend").textContent : "");
    var visible = 0;
    group.querySelectorAll("[data-filter-item]").forEach(function (item) {
      var show = groupMatches || item.querySelector("input").checked || matches(item.textContent);
      item.hidden = !show;
      if (show) { visible += 1; }
    });
    group.hidden = visible === 0;
  });
}
document.addEventListener("input", function (event) {
  if (event.target.matches("[data-filter-target]")) { filterList(event.target); }
});

// The "N selected" line of a grouped checkbox list follows the ticks.
document.addEventListener("change", function (event) {
  var list = event.target.closest(".checkbox-picker__list");
  if (!list) { return; }
  var count = document.getElementById(list.id + "-count");
  if (count) {
    var ticked = list.querySelectorAll("input[type=checkbox]:checked").length;
    count.textContent = count.textContent.replace(/^\s*\d+/, String(ticked));
  }
});
