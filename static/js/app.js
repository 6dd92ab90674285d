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
