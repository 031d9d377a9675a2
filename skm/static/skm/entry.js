/* Paper entry: live preview of the typed digits (entry and edit pages), and on the entry page
   Enter saves through fetch without a reload. The pages work without this file (plain POSTs). */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form || !window.fetch || !window.FormData) return;
  var input = document.getElementById("isian");
  var key = document.getElementById("kunci");
  var errorsBox = document.getElementById("entry-errors");
  var statusBox = document.getElementById("entry-status");
  var rowService = document.getElementById("layanan_baris");
  var suggestion = document.getElementById("saran");
  var body = document.getElementById("recent-body");
  var none = document.getElementById("recent-none");
  var count = document.getElementById("recent-count");
  var columns = JSON.parse(document.getElementById("entry-columns").textContent);
  var text = JSON.parse(document.getElementById("entry-text").textContent);
  var previewBody = document.querySelector("#preview tbody");
  var cells = previewBody.querySelectorAll("td");
  var nAnswers = columns.filter(function (c) { return c.kind === "answer"; }).length;
  var pageSize = body ? parseInt(body.getAttribute("data-page-size") || "50", 10) : 0;
  var firstPage = !/[?&]halaman=([2-9]|\d\d)/.test(location.search);
  var busy = false;

  var counter = document.createElement("span");
  counter.className = "entry-counter";
  counter.setAttribute("aria-hidden", "true");
  input.parentNode.insertBefore(counter, input.nextSibling);
  previewBody.hidden = false;

  function fmt(template, params) {
    return template.replace(/\{(\w+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? params[name] : m;
    });
  }

  function lookup(column, token) {
    var i, choice;
    for (i = 0; i < column.choices.length; i++) {
      choice = column.choices[i];
      if (choice[0] === token) return choice;
    }
    if (column.kind === "profile") {
      for (i = 0; i < column.choices.length; i++) {
        choice = column.choices[i];
        if (choice[1].length === 1 && choice[1].toUpperCase() === token.toUpperCase()) return choice;
      }
    }
    return null;
  }

  function allowed(column) {
    var c = column.choices;
    return c.length ? c[0][0] + "–" + c[c.length - 1][0] : "–";
  }

  /* Same rules as the server (skm/collection/paper/line.py); the server has the last word. */
  function preview() {
    var tokens = Array.from(input.value.replace(/\s+/g, ""));
    var problems = [];
    columns.forEach(function (column, i) {
      var cell = cells[i], v = cell.querySelector(".v"), l = cell.querySelector(".l");
      var token = tokens[i], choice;
      cell.classList.remove("bad", "blank", "ok");
      cell.removeAttribute("title");
      if (token === undefined) { v.textContent = "·"; l.textContent = ""; return; }
      if (token === "0" || token === "-") { v.textContent = "–"; l.textContent = ""; cell.classList.add("blank"); return; }
      choice = lookup(column, token);
      v.textContent = token;
      if (choice) {
        l.textContent = choice[2];
        cell.title = choice[2];
        cell.classList.add("ok");
      } else {
        l.textContent = "";
        cell.classList.add("bad");
        problems.push(fmt(text.bad_digit, { code: column.code, header: column.header, value: token, allowed: allowed(column) }));
      }
    });
    if (tokens.length > columns.length) {
      problems.push(fmt(text.count, { n: tokens.length, a: nAnswers, p: columns.length - nAnswers, total: columns.length }));
    }
    counter.textContent = tokens.length + " / " + columns.length;
    counter.classList.toggle("done", tokens.length === nAnswers || tokens.length === columns.length);
    return problems;
  }

  function show(box, lines, css) {
    box.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = css;
      p.textContent = line;
      box.appendChild(p);
    });
  }

  function showErrors(lines) {
    show(errorsBox, lines, "error");
    input.setAttribute("aria-invalid", lines.length ? "true" : "false");
  }

  function addRow(data) {
    if (!body || !firstPage || body.querySelector('tr[data-id="' + data.id + '"]')) return;
    var holder = document.createElement("tbody");
    holder.innerHTML = data.row_html.trim();
    var row = holder.firstElementChild;
    row.classList.add("just-saved");
    body.insertBefore(row, body.firstElementChild);
    while (body.children.length > pageSize) body.removeChild(body.lastElementChild);
    if (none) none.hidden = true;
    if (data.created && count) {
      var n = parseInt(count.getAttribute("data-n"), 10) + 1;
      count.setAttribute("data-n", n);
      count.textContent = "(" + fmt(n === 1 ? text.total_one : text.total, { n: n.toLocaleString("id-ID") }) + ")";
    }
  }

  function saved(data) {
    addRow(data);
    show(statusBox, [data.message], "entry-msg success");
    showErrors([]);
    input.value = "";
    if (suggestion) suggestion.value = "";
    if (rowService) rowService.value = "";
    key.value = data.next_key;
    preview();
  }

  input.addEventListener("input", function () {
    var problems = preview();
    show(errorsBox, problems, "error");
  });

  preview();
  if (form.getAttribute("data-async") !== "1") return; // the edit page: preview only

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return; // a second Enter while the first is on its way
    busy = true;
    statusBox.textContent = "";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("json") < 0) return { ok: false, errors: [text.reload] };
        return response.json();
      })
      .then(function (data) {
        if (data.ok) saved(data);
        else showErrors(data.errors || [text.reload]);
      })
      .catch(function () {
        showErrors([text.network]); // the key is kept: a retry cannot store it twice
      })
      .then(function () {
        busy = false;
        input.focus();
      });
  });
})();
