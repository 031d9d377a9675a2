/* SKM kiosk: one question per screen for a tablet at the counter, and an answer queue that
 * survives a network cut and a reload.
 *
 * Every completed questionnaire gets its idempotency key, its answer time (device clock, with
 * offset) and its duration, and is stored on the device (IndexedDB; localStorage if that is
 * unavailable) BEFORE anything is sent. One sender per device (Web Locks) drains the queue:
 * 201/200 remove the item (200 "already_received" means an earlier try arrived, so nothing is
 * stored twice); 422/400 move it to a "refused" list for staff; anything else (no network, 5xx,
 * 429, a captive portal's page) keeps it and retries with exponential back-off and jitter, at
 * once when the browser comes back online, and on every page load.
 *
 * The tablet's token (kept in localStorage by the set-up page, /kelola/kios/) and the device id
 * the server signed (this page's "kiosk-tablet" data, kept on first use) are added to each answer
 * when it is sent, not when it is queued: answers queued before a set-up go with its token.
 * Without a token the tablet is limited like an ordinary phone (skm/collection/devices.py).
 *
 * Settings in the address: ?thanks=6 (seconds on the thank-you screen), ?idle=90 (seconds
 * without a touch before a half-filled questionnaire is dropped).
 */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function readJson(id) { return JSON.parse($(id).textContent); }

  var config = readJson("kiosk-config");
  var spec = readJson("kiosk-spec");
  var TEXT = readJson("kiosk-text");
  var TABLET = $("kiosk-tablet") ? readJson("kiosk-tablet") : {};

  var params = new URLSearchParams(location.search);
  function secondsParam(name, fallback, min, max) {
    var value = parseInt(params.get(name), 10);
    return isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  }
  var THANKS_SECONDS = secondsParam("thanks", 6, 1, 60);
  var IDLE_SECONDS = secondsParam("idle", 90, 5, 900);
  var IDLE_WARN_SECONDS = Math.min(15, Math.floor(IDLE_SECONDS / 3));
  var ADVANCE_MS = 180; // the chosen button shows as chosen before the next question
  var INPUT_LOCK_MS = 320; // the second tap of a double tap must not answer the next question
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 5 * 60 * 1000;
  var SEND_TIMEOUT_MS = 20000;
  var LOCK_RETRY_MS = 10000;
  var LEASE_MS = 60000;
  var DEVICE_KEY = "skm-kiosk-device";
  var TABLET_KEY = "skm-kiosk-tablet";
  var SIGNED_ID = /^[A-Za-z0-9_-]{16,64}:[A-Za-z0-9_-]{20,100}$/;
  var LEASE_KEY = "skm-kiosk-sender-lease";
  var LS_QUEUE = "skm-kiosk-queue";
  var LS_REJECTED = "skm-kiosk-rejected";
  var TAB = randomHex(8);

  // ---- text and language ------------------------------------------------------------------
  var lang = "id";
  function t(key, vars) {
    var text = (TEXT[lang] && TEXT[lang][key]) || TEXT.id[key] || key;
    Object.keys(vars || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(vars[name])); });
    return text;
  }
  function num(n) { return Number(n).toLocaleString(lang === "en" ? "en-GB" : "id-ID"); }
  function when(ms) {
    return new Date(ms).toLocaleString(lang === "en" ? "en-GB" : "id-ID", { dateStyle: "medium", timeStyle: "short" });
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) { el.textContent = t(el.dataset.t); });
    $("k-lang").lang = lang === "id" ? "en" : "id";
    if (state.screen === "ask") renderStep(false);
    if (state.screen === "thanks") countdownText();
    refreshCounter();
  }

  // ---- randomness, device, time -----------------------------------------------------------
  function randomHex(bytes) {
    var out = "";
    if (window.crypto && crypto.getRandomValues) {
      var buffer = crypto.getRandomValues(new Uint8Array(bytes));
      for (var i = 0; i < buffer.length; i++) out += (buffer[i] + 256).toString(16).slice(1);
      return out;
    }
    while (out.length < bytes * 2) out += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, "0");
    return out.slice(0, bytes * 2);
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return randomHex(16);
  }
  var memoryDevice = null;
  function deviceId() {
    // The first id a server-rendered copy of this page carried; a made-up one would count as the
    // tablet's network address, shared with every cookie-less phone there.
    var id = null;
    try { id = localStorage.getItem(DEVICE_KEY); } catch (err) { id = memoryDevice; }
    if (!id || !SIGNED_ID.test(id)) {
      id = TABLET.device || "";
      if (id) {
        try { localStorage.setItem(DEVICE_KEY, id); } catch (err) { memoryDevice = id; }
      }
    }
    return id;
  }
  function tablet() {
    try {
      var stored = JSON.parse(localStorage.getItem(TABLET_KEY) || "null");
      return stored && typeof stored.token === "string" ? stored : null;
    } catch (err) { return null; }
  }
  function pad(n) { return String(n).padStart(2, "0"); }
  function isoLocal(d) {
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  // ---- the queue on the device ------------------------------------------------------------
  function byTime(list) { return list.sort(function (a, b) { return a.queued_at - b.queued_at; }); }

  function idbStore(db) {
    function run(names, mode, work, durable) {
      return new Promise(function (resolve, reject) {
        var tx;
        try {
          // "strict": the write is on disk before the thank-you screen shows.
          tx = durable ? db.transaction(names, mode, { durability: "strict" }) : db.transaction(names, mode);
        } catch (err) { reject(err); return; }
        var out = {};
        work(tx, out);
        tx.oncomplete = function () { resolve(out.value); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("transaction aborted")); };
      });
    }
    function getAll(name) {
      return run([name], "readonly", function (tx, out) {
        var req = tx.objectStore(name).getAll();
        req.onsuccess = function () { out.value = byTime(req.result); };
      });
    }
    return {
      kind: "indexeddb",
      add: function (item) { return run(["queue"], "readwrite", function (tx) { tx.objectStore("queue").put(item); }, true); },
      all: function () { return getAll("queue"); },
      count: function () {
        return run(["queue"], "readonly", function (tx, out) {
          var req = tx.objectStore("queue").count();
          req.onsuccess = function () { out.value = req.result; };
        });
      },
      remove: function (key) { return run(["queue"], "readwrite", function (tx) { tx.objectStore("queue").delete(key); }, true); },
      reject: function (item) {
        return run(["queue", "rejected"], "readwrite", function (tx) {
          tx.objectStore("queue").delete(item.key);
          tx.objectStore("rejected").put(item);
        }, true);
      },
      rejected: function () { return getAll("rejected"); },
      clearRejected: function () { return run(["rejected"], "readwrite", function (tx) { tx.objectStore("rejected").clear(); }, true); },
    };
  }

  function localStore() {
    function read(name) {
      try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (err) { return []; }
    }
    function write(name, list) { localStorage.setItem(name, JSON.stringify(list)); }
    function without(name, key) { return read(name).filter(function (item) { return item.key !== key; }); }
    return {
      kind: "localstorage",
      add: function (item) {
        return Promise.resolve().then(function () { var list = without(LS_QUEUE, item.key); list.push(item); write(LS_QUEUE, list); });
      },
      all: function () { return Promise.resolve(byTime(read(LS_QUEUE))); },
      count: function () { return Promise.resolve(read(LS_QUEUE).length); },
      remove: function (key) { return Promise.resolve().then(function () { write(LS_QUEUE, without(LS_QUEUE, key)); }); },
      reject: function (item) {
        return Promise.resolve().then(function () {
          var refused = without(LS_REJECTED, item.key);
          refused.push(item);
          write(LS_REJECTED, refused);
          write(LS_QUEUE, without(LS_QUEUE, item.key));
        });
      },
      rejected: function () { return Promise.resolve(byTime(read(LS_REJECTED))); },
      clearRejected: function () { return Promise.resolve().then(function () { localStorage.removeItem(LS_REJECTED); }); },
    };
  }

  function openStore() {
    return new Promise(function (resolve) {
      var fallback = function () { resolve(localStore()); };
      if (!window.indexedDB) { fallback(); return; }
      var req;
      try { req = indexedDB.open("skm-kiosk", 1); } catch (err) { fallback(); return; }
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "key" });
        if (!db.objectStoreNames.contains("rejected")) db.createObjectStore("rejected", { keyPath: "key" });
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); };
        resolve(idbStore(db));
      };
      req.onerror = fallback;
    }).then(function (store) {
      if (store.kind !== "indexeddb") return store;
      // Answers a page once kept in localStorage (IndexedDB was unavailable then) move over.
      var local = localStore();
      return Promise.all([local.all(), local.rejected()]).then(function (lists) {
        var moves = lists[0].map(function (item) { return store.add(item).then(function () { return local.remove(item.key); }); });
        moves = moves.concat(lists[1].map(function (item) { return store.reject(item); }));
        return Promise.all(moves).then(function () {
          if (lists[1].length) return local.clearRejected();
          return null;
        });
      }).then(function () { return store; }, function () { return store; });
    });
  }

  var storeReady = openStore();
  var channel = window.BroadcastChannel ? new BroadcastChannel("skm-kiosk") : null;
  function changed() {
    refreshCounter();
    if (channel) channel.postMessage("changed");
  }
  if (channel) channel.onmessage = function () { refreshCounter(); };

  // ---- the sender -------------------------------------------------------------------------
  var sender = { running: false, again: false, timer: null, failures: 0, nextAt: 0, lastOk: 0, lastError: "" };

  function schedule(ms) {
    clearTimeout(sender.timer);
    sender.nextAt = Date.now() + ms;
    sender.timer = setTimeout(drain, ms);
  }
  function backoff(failures) {
    var base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, failures - 1));
    return Math.round(base / 2 + Math.random() * base / 2);
  }

  function readLease() {
    try { return JSON.parse(localStorage.getItem(LEASE_KEY) || "null"); } catch (err) { return null; }
  }
  function renewLease() {
    if (navigator.locks) return;
    try { localStorage.setItem(LEASE_KEY, JSON.stringify({ owner: TAB, until: Date.now() + LEASE_MS })); } catch (err) { /* private mode */ }
  }
  function withSenderLock(work) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("skm-kiosk-sender", { ifAvailable: true }, function (lock) {
        if (!lock) { schedule(LOCK_RETRY_MS); return null; } // another tab of this device is sending
        return work();
      });
    }
    var lease = readLease();
    if (lease && lease.owner !== TAB && lease.until > Date.now()) { schedule(LOCK_RETRY_MS); return Promise.resolve(); }
    renewLease();
    return Promise.resolve().then(work).finally(function () {
      var current = readLease();
      if (current && current.owner === TAB) { try { localStorage.removeItem(LEASE_KEY); } catch (err) { /* ignore */ } }
    });
  }

  function drain() {
    clearTimeout(sender.timer);
    sender.timer = null;
    sender.nextAt = 0;
    if (sender.running) { sender.again = true; return Promise.resolve(); }
    sender.running = true;
    return withSenderLock(sendAll).catch(function (err) {
      sender.failures += 1;
      sender.lastError = String(err && err.message || err);
      schedule(backoff(sender.failures));
    }).then(function () {
      sender.running = false;
      refreshCounter();
      if (sender.again) { sender.again = false; return drain(); }
      return null;
    });
  }

  function post(item) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    var body = Object.assign({}, item.body, { device: deviceId() || undefined });
    var set = tablet();
    if (set) body.kiosk_token = set.token; // the server checks it is this unit's and not revoked
    return fetch(config.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        var status = response.status;
        var detail = (data && typeof data.detail === "string" && data.detail) || "HTTP " + status;
        // A 200 page from a captive portal is not a receipt: only our API's JSON is.
        if ((status === 201 || status === 200) && data && (data.status === "created" || data.status === "already_received")) {
          return { ok: true, status: status };
        }
        // Refused for what it is (invalid, too large, or its key holds another questionnaire):
        // sending it again cannot help, so it goes to the staff's list instead of the queue.
        if ((status === 422 || status === 400 || status === 409 || status === 413) && data && data.detail) {
          return { rejected: true, status: status, detail: detail, errors: data.errors || {} };
        }
        return { retry: true, status: status, detail: detail };
      });
    }, function (err) {
      return { retry: true, status: 0, detail: String(err && err.message || err) };
    }).finally(function () { clearTimeout(timer); });
  }

  function sendAll() {
    return storeReady.then(function (store) {
      return store.all().then(function (items) {
        var retry = false;
        var index = 0;
        function nextItem() {
          if (index >= items.length) return null;
          var item = items[index++];
          renewLease();
          return post(item).then(function (result) {
            if (result.ok) {
              sender.failures = 0;
              sender.lastOk = Date.now();
              return store.remove(item.key).then(changed).then(nextItem);
            }
            if (result.rejected) {
              item.error = result.detail;
              item.errors = result.errors;
              item.rejected_at = Date.now();
              return store.reject(item).then(changed).then(nextItem);
            }
            retry = true;
            sender.lastError = result.detail;
            // 404: this item's unit is unknown or inactive now; try the others, keep this one.
            return result.status === 404 ? nextItem() : null;
          });
        }
        return Promise.resolve(nextItem()).then(function () {
          if (retry) {
            sender.failures += 1;
            schedule(backoff(sender.failures));
          } else {
            sender.failures = 0;
          }
        });
      });
    });
  }

  // ---- waiting counter and the staff panel --------------------------------------------------
  var counterSeq = 0;
  function refreshCounter() {
    var seq = ++counterSeq;
    return storeReady.then(function (store) {
      return Promise.all([store.count(), store.rejected()]);
    }).then(function (result) {
      if (seq !== counterSeq) return;
      var waiting = result[0];
      var rejected = result[1];
      var el = $("k-queue");
      el.dataset.waiting = String(waiting);
      el.dataset.rejected = String(rejected.length);
      var parts = [];
      if (!navigator.onLine) parts.push(t("offline"));
      if (waiting) parts.push(waiting === 1 ? t("waiting_one") : t("waiting", { n: num(waiting) }));
      if (rejected.length) parts.push(t("rejected", { n: num(rejected.length) }));
      var set = tablet();
      if (!set || set.unit !== config.unit) parts.push(t("not_set_up")); // staff: tap for how
      el.textContent = parts.join(" · ");
      el.hidden = !parts.length;
      el.classList.toggle("k-alert", rejected.length > 0);
      if ($("k-staff").open) renderStaff(waiting, rejected);
    });
  }

  function renderStaff(waiting, rejected) {
    $("k-staff-waiting").textContent = num(waiting);
    $("k-staff-last").textContent = sender.lastOk ? when(sender.lastOk) : "–";
    $("k-staff-ready").textContent = document.documentElement.dataset.offlineReady ? t("staff_yes") : t("staff_no");
    $("k-staff-device").textContent = deviceId().split(":")[0] || "–";
    var set = tablet();
    $("k-staff-tablet").textContent = !set ? t("staff_tablet_none", { url: TABLET.setup || "/kelola/kios/" })
      : set.unit !== config.unit ? t("staff_tablet_other", { unit: set.unit_name || set.unit })
        : t("staff_tablet_set", { label: set.label, unit: set.unit_name });
    var next = sender.nextAt ? Math.max(0, Math.round((sender.nextAt - Date.now()) / 1000)) : 0;
    $("k-staff-next").textContent = waiting && next ? t("staff_next", { s: num(next) }) + (sender.lastError ? " (" + sender.lastError + ")" : "") : "";
    var list = $("k-staff-rejected");
    list.textContent = "";
    if (!rejected.length) {
      var none = document.createElement("li");
      none.textContent = t("staff_none");
      list.appendChild(none);
    }
    rejected.forEach(function (item) {
      var li = document.createElement("li");
      var head = document.createElement("p");
      head.textContent = when(item.queued_at) + " · " + item.body.unit + " · " + (item.error || "");
      var body = document.createElement("pre");
      body.textContent = JSON.stringify(item.body, null, 1); // text, never markup
      li.appendChild(head);
      li.appendChild(body);
      list.appendChild(li);
    });
    $("k-staff-clear").hidden = !rejected.length;
  }

  function openStaff() {
    var dialog = $("k-staff");
    if (!dialog.open) {
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
    }
    refreshCounter();
  }

  // ---- the questionnaire ------------------------------------------------------------------
  var steps = [];
  if (!config.service && spec.services.length) steps.push({ kind: "service" });
  spec.questions.forEach(function (q, i) { steps.push({ kind: "question", q: q, n: i + 1 }); });
  spec.profile.forEach(function (p, i) { steps.push({ kind: "profile", p: p, n: i + 1 }); });
  steps.push({ kind: "suggestion" });

  function freshState() {
    return {
      screen: "start", step: 0, answers: {}, profile: {}, service: config.service, serviceChosen: false, startedAt: 0, sending: false,
    };
  }
  var state = freshState();
  var flow = 0; // changes on every reset: timers of an abandoned questionnaire do nothing
  var lockUntil = 0;
  var advancing = false;
  var renderToken = 0;

  var SCREENS = { start: "k-start", ask: "k-ask", suggest: "k-suggest", thanks: "k-thanks" };
  function show(screen) {
    state.screen = screen;
    Object.keys(SCREENS).forEach(function (name) { $(SCREENS[name]).hidden = name !== screen; });
    document.body.dataset.screen = screen;
    $("k-back").hidden = !(screen === "ask" || screen === "suggest");
    var done = screen === "start" ? 0 : screen === "thanks" ? steps.length : state.step;
    $("k-bar").style.width = (100 * done / steps.length) + "%";
  }

  function option(value, label, scale, max, chosen) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "k-option";
    button.dataset.value = value;
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
    if (scale) {
      var bars = document.createElement("span");
      bars.className = "k-scale k-v" + scale + " k-of" + max;
      bars.setAttribute("aria-hidden", "true");
      for (var i = 1; i <= max; i++) {
        var bar = document.createElement("i");
        bar.style.height = Math.round(100 * i / max) + "%";
        if (i <= scale) bar.className = "on";
        bars.appendChild(bar);
      }
      button.appendChild(bars);
    }
    var text = document.createElement("span");
    text.className = "k-label";
    text.textContent = label;
    button.appendChild(text);
    return button;
  }

  function renderStep(moveFocus) {
    var step = steps[state.step];
    if (step.kind === "suggestion") {
      show("suggest");
      // Not the text box: the on-screen keyboard would cover "Kirim" for everyone who skips it.
      if (moveFocus) $("k-suggest-title").focus({ preventScroll: true });
      return;
    }
    show("ask");
    var ask = $("k-ask");
    var box = $("k-options");
    ask.dataset.step = String(state.step);
    ask.dataset.kind = step.kind;
    delete ask.dataset.ready;
    box.textContent = "";
    var en = lang === "en";
    var heading = "";
    var stepText = "";
    var skippable = false;
    var items = [];
    if (step.kind === "question") {
      var q = step.q;
      heading = en ? q.text_en : q.text;
      stepText = t("question_of", { n: num(step.n), total: num(spec.questions.length) });
      skippable = !q.required;
      var max = q.options.reduce(function (m, o) { return Math.max(m, o.value); }, 0);
      q.options.forEach(function (o) {
        items.push(option(String(o.value), en ? o.label_en : o.label, max <= 5 ? o.value : 0, max, state.answers[q.field] === o.value));
      });
    } else if (step.kind === "profile") {
      var p = step.p;
      heading = en ? p.label_en : p.label;
      stepText = t("about_you", { n: num(step.n), total: num(spec.profile.length) });
      skippable = !p.required;
      p.options.forEach(function (o) {
        items.push(option(o.code, en ? o.label_en : o.label, 0, 0, state.profile[p.key] === o.code));
      });
    } else {
      heading = t("service_question");
      spec.services.forEach(function (s) { items.push(option(s.slug, s.name, 0, 0, state.service === s.slug)); });
      items.push(option("", t("service_other"), 0, 0, state.serviceChosen && !state.service));
    }
    box.className = "k-options k-kind-" + step.kind + " k-n" + items.length;
    items.forEach(function (button) { box.appendChild(button); });
    $("k-question").textContent = heading;
    $("k-step").textContent = stepText;
    $("k-skip").hidden = !skippable;
    if (moveFocus) $("k-question").focus({ preventScroll: true });
    var token = ++renderToken;
    lockUntil = performance.now() + INPUT_LOCK_MS;
    setTimeout(function () { if (token === renderToken) ask.dataset.ready = "1"; }, INPUT_LOCK_MS);
  }

  function record(value) {
    var step = steps[state.step];
    if (step.kind === "question") state.answers[step.q.field] = value === null ? null : Number(value);
    else if (step.kind === "profile") state.profile[step.p.key] = value;
    else { state.service = value || null; state.serviceChosen = true; }
  }

  function choose(button) {
    if (advancing || performance.now() < lockUntil) return;
    record(button.dataset.value);
    Array.prototype.forEach.call($("k-options").children, function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    advance();
  }

  function advance() {
    var mine = flow;
    advancing = true;
    delete $("k-ask").dataset.ready;
    setTimeout(function () {
      advancing = false;
      if (mine !== flow) return;
      state.step += 1;
      renderStep(true);
    }, ADVANCE_MS);
  }

  function begin() {
    state = freshState();
    state.startedAt = Date.now();
    lastActivity = Date.now();
    renderStep(true);
  }

  function back() {
    if (advancing) return;
    if (state.step === 0) { reset(); return; }
    state.step -= 1;
    renderStep(true);
  }

  function payload() {
    var now = new Date();
    var answers = {};
    spec.questions.forEach(function (q) {
      answers[q.field] = Object.prototype.hasOwnProperty.call(state.answers, q.field) ? state.answers[q.field] : null;
    });
    var body = {
      unit: config.unit,
      service: state.service || null,
      answers: answers,
      suggestion: $("k-suggestion").value.trim(),
      contact: $("k-contact").value.trim(),
      idempotency_key: newKey(),
      answered_at: isoLocal(now),
      duration_seconds: Math.max(0, Math.round((now.getTime() - state.startedAt) / 1000)),
      channel: "kiosk",
      language: lang,
    };
    spec.profile.forEach(function (p) { body[p.key] = state.profile[p.key] || null; });
    return body;
  }

  function send() {
    if (state.sending) return; // one questionnaire, one key, however often "Kirim" is tapped
    state.sending = true;
    $("k-send").disabled = true;
    var body = payload();
    var item = { key: body.idempotency_key, body: body, queued_at: Date.now() };
    storeReady.then(function (store) {
      return store.add(item).catch(function (err) {
        console.error("kiosk: could not queue in " + store.kind, err);
        return localStore().add(item);
      });
    }).catch(function (err) {
      // Nowhere to keep it (storage full or forbidden): one direct try is all that is left.
      console.error("kiosk: could not queue the answer on this device", err);
      post(item);
    }).then(function () {
      changed();
      showThanks();
      drain();
    });
  }

  // ---- thank-you, reset, idle -------------------------------------------------------------
  var thanksTimer = null;
  var thanksLeft = 0;
  function countdownText() { $("k-countdown").textContent = t("thanks_reset", { s: num(thanksLeft) }); }
  function showThanks() {
    show("thanks");
    $("k-thanks-title").focus({ preventScroll: true });
    thanksLeft = THANKS_SECONDS;
    countdownText();
    var mine = flow;
    clearInterval(thanksTimer);
    thanksTimer = setInterval(function () {
      if (mine !== flow) return;
      thanksLeft -= 1;
      if (thanksLeft <= 0) reset(); else countdownText();
    }, 1000);
  }

  function reset() {
    flow += 1;
    clearInterval(thanksTimer);
    advancing = false;
    state = freshState();
    lang = "id";
    $("k-suggestion").value = "";
    $("k-contact").value = "";
    $("k-send").disabled = false;
    $("k-options").textContent = "";
    hideIdle();
    show("start");
    applyLanguage();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    window.scrollTo(0, 0);
    document.body.dataset.resets = String(Number(document.body.dataset.resets || 0) + 1);
  }

  var lastActivity = Date.now();
  function activity() { lastActivity = Date.now(); }
  function showIdle(left) {
    $("k-idle-body").textContent = t("idle_body", { s: num(left) });
    $("k-idle").hidden = false;
  }
  function hideIdle() { $("k-idle").hidden = true; }
  function tick() {
    if (state.screen !== "ask" && state.screen !== "suggest") return;
    var left = Math.ceil(IDLE_SECONDS - (Date.now() - lastActivity) / 1000);
    if (left <= 0) reset();
    else if (left <= IDLE_WARN_SECONDS) showIdle(left);
  }

  // ---- full screen, no accidental zoom or selection ---------------------------------------
  function fullscreenSupported() {
    var el = document.documentElement;
    return Boolean(el.requestFullscreen || el.webkitRequestFullscreen);
  }
  function isFullscreen() { return Boolean(document.fullscreenElement || document.webkitFullscreenElement); }
  function updateFullButton() { $("k-full").hidden = !fullscreenSupported() || isFullscreen(); }
  function goFullscreen() {
    var el = document.documentElement;
    var request = el.requestFullscreen || el.webkitRequestFullscreen;
    if (!request) return;
    try {
      var result = request.call(el, { navigationUI: "hide" });
      if (result && result.catch) result.catch(function () { /* refused: stay as we are */ });
    } catch (err) { /* refused */ }
  }

  // ---- service worker: the page opens offline after its first visit -----------------------
  function askToCache(worker, refresh) {
    if (!worker || !window.MessageChannel) return;
    var reply = new MessageChannel();
    reply.port1.onmessage = function (event) {
      if (event.data && event.data.ok) document.documentElement.dataset.offlineReady = "1";
    };
    worker.postMessage({ type: "cache-page", url: location.href.split("#")[0], refresh: refresh }, [reply.port2]);
  }
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(function (err) {
      console.warn("kiosk: service worker not (re)registered", err); // offline: the old one stays
    });
    // A page the worker served (network first) is stored already; one loaded without it is not.
    var servedByWorker = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.ready.then(function (registration) { askToCache(registration.active, !servedByWorker); });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      navigator.serviceWorker.ready.then(function (registration) { askToCache(registration.active, false); });
    });
  }

  // ---- wiring -------------------------------------------------------------------------------
  $("k-begin").addEventListener("click", begin);
  $("k-options").addEventListener("click", function (event) {
    var button = event.target.closest("button.k-option");
    if (button) choose(button);
  });
  $("k-skip").addEventListener("click", function () {
    if (advancing || performance.now() < lockUntil) return;
    record(null);
    advance();
  });
  $("k-back").addEventListener("click", back);
  $("k-send").addEventListener("click", send);
  $("k-done").addEventListener("click", reset);
  $("k-lang").addEventListener("click", function () { lang = lang === "id" ? "en" : "id"; applyLanguage(); });
  $("k-full").addEventListener("click", goFullscreen);
  $("k-idle").addEventListener("click", function () { activity(); hideIdle(); });
  $("k-queue").addEventListener("click", openStaff);
  $("k-staff-close").addEventListener("click", function () { $("k-staff").close(); });
  $("k-staff-send").addEventListener("click", function () { sender.failures = 0; drain(); });
  $("k-staff-clear").addEventListener("click", function () {
    if (!window.confirm(t("staff_clear_confirm"))) return;
    storeReady.then(function (store) { return store.clearRejected(); }).then(changed);
  });

  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, activity, { capture: true, passive: true });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !$("k-idle").hidden) { hideIdle(); }
  });
  // Pinch and ctrl+wheel zoom are accidents at a counter; text stays large enough to read.
  document.addEventListener("touchmove", function (event) {
    if (event.touches && event.touches.length > 1) event.preventDefault();
  }, { passive: false });
  document.addEventListener("gesturestart", function (event) { event.preventDefault(); });
  document.addEventListener("wheel", function (event) { if (event.ctrlKey) event.preventDefault(); }, { passive: false });
  document.addEventListener("contextmenu", function (event) {
    if (!(event.target instanceof HTMLTextAreaElement)) event.preventDefault();
  });
  document.addEventListener("fullscreenchange", updateFullButton);
  document.addEventListener("webkitfullscreenchange", updateFullButton);

  window.addEventListener("online", function () { sender.failures = 0; refreshCounter(); drain(); });
  window.addEventListener("offline", refreshCounter);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") drain();
  });
  setInterval(tick, 1000);
  setInterval(function () { if ($("k-staff").open) refreshCounter(); }, 1000);

  updateFullButton();
  show("start");
  applyLanguage();
  registerWorker();
  storeReady.then(function () {
    $("k-begin").disabled = false;
    document.body.dataset.ready = "1";
    refreshCounter();
    drain();
  });
})();
