{% autoescape off %}/* Service worker of the SKM kiosk (scope {{ scope }}): the kiosk page opens without a network.
 *
 * Kiosk pages: network first (fresh questions and services when online), the cached copy when
 * the network fails or hangs. Static files: cache first (their names change in production when
 * their content does; the version below changes too, and a new version drops the old cache).
 * Answers are not handled here: kiosk.js queues them on the device and sends them itself.
 */
"use strict";

const VERSION = "{{ version }}";
const CACHE = "skm-kiosk-" + VERSION;
const PREFIX = "skm-kiosk-";
const SCOPE = new URL("{{ scope }}", self.location).pathname;
const STATIC_PREFIX = new URL("{{ static_prefix }}", self.location).pathname;
const STATIC_URLS = [{% for url in static_urls %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const NETWORK_WAIT_MS = 4000; // a hanging network must not keep the counter waiting
const LANGUAGE = "{{ language }}";
const OFFLINE = {{ offline }};

function isKioskPage(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(SCOPE) && !url.pathname.endsWith(".js");
}

async function copyPagesFromOldCaches(cache) {
  // A new version keeps the kiosk pages the old one held, so an update never loses offline use.
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (!isKioskPage(new URL(request.url))) continue;
      try {
        await cache.add(new Request(request.url, { cache: "reload", credentials: "same-origin" }));
      } catch (err) {
        const response = await old.match(request);
        if (response) await cache.put(request, response);
      }
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(STATIC_URLS.map((url) => new Request(url, { cache: "reload" })));
    await copyPagesFromOldCaches(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function pageFromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, { ignoreVary: true })) ||
    (await cache.match(request, { ignoreVary: true, ignoreSearch: true }));
}

function networkFirst(event) {
  const request = event.request;
  const network = fetch(request).then(async (response) => {
    const cache = await caches.open(CACHE);
    if (response.ok) {
      await cache.put(request, response.clone());
    } else if (response.status === 404 || response.status === 410) {
      await cache.delete(request); // the unit was deactivated: do not keep offering it
    }
    return response;
  });
  event.waitUntil(network.catch(() => null));
  return (async () => {
    const cached = await pageFromCache(request);
    if (!cached) {
      try {
        return await network;
      } catch (err) {
        return offlinePage();
      }
    }
    const slow = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
    const fresh = network.then(
      (response) => (response.ok || response.status === 404 || response.status === 410 ? response : cached),
      () => cached,
    );
    return Promise.race([fresh, slow]);
  })();
}

function text(value) {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function offlinePage() {
  // In the default language, with the body repeated in the others (the server's translations).
  const first = OFFLINE[LANGUAGE];
  const others = Object.keys(OFFLINE).filter((lang) => lang !== LANGUAGE)
    .map((lang) => "<p lang=\"" + lang + "\">" + text(OFFLINE[lang].body) + "</p>").join("");
  const body = "<!doctype html><html lang=\"" + LANGUAGE + "\"><meta charset=\"utf-8\"><title>" + text(first.title) + "</title>" +
    "<body style=\"font:1.5rem system-ui,sans-serif;padding:2rem\"><h1>" + text(first.heading) + "</h1>" +
    "<p>" + text(first.body) + "</p>" + others + "</body></html>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // answers go straight to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && isKioskPage(url)) {
    event.respondWith(networkFirst(event));
  } else if (url.pathname.startsWith(STATIC_PREFIX) && STATIC_URLS.some((u) => new URL(u, self.location).pathname === url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// The page asks whether it is stored, and to be stored when it loaded without this worker.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-page" || !data.url) return;
  const url = new URL(data.url, self.location);
  const reply = (message) => { if (event.ports && event.ports[0]) event.ports[0].postMessage(message); };
  if (!isKioskPage(url)) { reply({ ok: false }); return; }
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    if (data.refresh) {
      // The page loaded without this worker (its first visit): store it now.
      try {
        await cache.add(new Request(url.href, { cache: "no-cache", credentials: "same-origin" }));
      } catch (err) {
        // Offline: keep whatever copy there is.
      }
    }
    const stored = Boolean(await cache.match(url.href, { ignoreVary: true }));
    const staticStored = (await Promise.all(STATIC_URLS.map((u) => cache.match(u)))).every(Boolean);
    reply({ ok: stored && staticStored, version: VERSION });
  })());
});
{% endautoescape %}
