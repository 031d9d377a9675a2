// The lobby screen (skm/public/views_tv.py): pages through the ranking and the suggestions, and
// polls data.json. When a poll fails the last data stays on screen with a notice naming its time;
// the next successful poll replaces it and removes the notice. Public text goes in by textContent.
(function () {
  "use strict";
  var root = document.getElementById("tv");
  var source = document.getElementById("tv-data");
  if (!root || !source) return;

  var seconds = function (name, fallback) {
    var value = parseFloat(root.dataset[name]);
    return (value > 0 ? value : fallback) * 1000;
  };
  var refreshMs = seconds("refresh", 60);
  var rotateMs = seconds("rotate", 15);
  var pageRows = parseInt(root.dataset.rows, 10) || 10;
  var data = JSON.parse(source.textContent);
  var page = 0;
  var note = 0;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function setFields(scope, attr, values) {
    scope.querySelectorAll("[data-" + attr + "]").forEach(function (el) {
      var key = el.getAttribute("data-" + attr);
      if (!(key in values)) return;
      var value = values[key];
      el.textContent = value === "" || value === null ? el.dataset.empty || "" : String(value);
    });
  }

  function pageCount() {
    return Math.max(1, Math.ceil(data.units.length / pageRows));
  }

  function renderRows() {
    var body = document.getElementById("tv-rows");
    var template = document.getElementById("tv-row-template");
    var count = pageCount();
    if (page >= count) page = 0;
    var rows = data.units.slice(page * pageRows, (page + 1) * pageRows);
    if (!rows.length) return; // no unit has an IKM yet: the server's sentence stays
    var fresh = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = template.content.firstElementChild.cloneNode(true);
      setFields(tr, "r", row);
      tr.querySelector('[data-r="small"]').hidden = !row.small;
      tr.querySelector('[data-r="small"]').textContent = "*";
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
    document.getElementById("tv-page").textContent =
      count > 1 ? fill(root.dataset.pageText, { n: page + 1, total: count }) : "";
  }

  function renderNote() {
    var box = document.getElementById("tv-note");
    var notes = data.suggestions;
    if (note >= notes.length) note = 0;
    var template = document.getElementById(notes.length ? "tv-note-template" : "tv-note-none");
    var card = template.content.firstElementChild.cloneNode(true);
    if (notes.length) setFields(card, "n", notes[note]);
    box.replaceChildren(card);
    document.getElementById("tv-note-page").textContent =
      notes.length > 1 ? fill(root.dataset.noteText, { n: note + 1, total: notes.length }) : "";
  }

  function render() {
    setFields(root, "f", data);
    renderRows();
    renderNote();
  }

  function showOffline(isOffline) {
    var notice = document.getElementById("tv-offline");
    notice.textContent = isOffline ? fill(root.dataset.offlineText, { time: data.time_text }) : "";
    notice.hidden = !isOffline;
    root.classList.toggle("tv-stale", isOffline);
  }

  function poll() {
    fetch(root.dataset.url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (fresh) {
        data = fresh;
        render();
        showOffline(false);
      })
      .catch(function () {
        showOffline(true);
      })
      .then(function () {
        window.setTimeout(poll, refreshMs);
      });
  }

  render();
  window.setInterval(function () {
    page += 1;
    note += 1;
    renderRows();
    renderNote();
  }, rotateMs);
  window.setTimeout(poll, refreshMs);
})();
