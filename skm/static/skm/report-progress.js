// The report run's page (/kelola/laporan/<id>/): while the report is being made, ask the page for
// its progress every 1.5 s and move the bar; reload once it is finished or failed. Without
// script, the "Perbarui" link does the same by hand (no automatic refresh: WCAG 2.2.1).
(function () {
  "use strict";
  var box = document.querySelector("[data-run-working]");
  if (!box) return;
  var bar = document.getElementById("progress");
  var label = document.querySelector("label[for=progress]");
  function tick() {
    fetch(window.location.href, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.working) { window.location.reload(); return; }
        bar.value = data.progress;
        bar.textContent = data.progress + " %";
        if (data.step) label.textContent = data.step;
        window.setTimeout(tick, 1500);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1500);
})();
