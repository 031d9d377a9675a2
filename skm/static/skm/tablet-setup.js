/* SKM kiosk tablet set-up (/kelola/kios/…/pasang/): keep the token the server just issued beside
 * the kiosk's queue, then open the kiosk. kiosk.js sends it with every answer; without it the
 * tablet counts as an ordinary device. One tablet keeps one token (a new set-up replaces it).
 */
(function () {
  "use strict";
  var source = document.getElementById("tablet-setup");
  if (!source) return;
  var setup = JSON.parse(source.textContent);
  try {
    localStorage.setItem("skm-kiosk-tablet", JSON.stringify({
      token: setup.token, unit: setup.unit, unit_name: setup.unit_name, label: setup.label, set_at: Date.now(),
    }));
  } catch (err) {
    console.error("tablet set-up: the token could not be stored on this device", err);
    return; // stay on this page: the staff can see that nothing opened
  }
  document.documentElement.dataset.tabletStored = "1";
  setTimeout(function () { location.replace(setup.kiosk); }, 1500);
})();
