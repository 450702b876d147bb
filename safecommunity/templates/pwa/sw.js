/* SafeCommunity service worker (rendered by core/pwa.py, served at /sw.js, scope "/").
   Keeps the product's own assets and the field pages for use without network; it never
   contacts any other server. Forms are queued by outbox.js, not here. */
"use strict";
var CACHE = "sc-{{ version }}";
var ASSETS = [{% for a in assets %}"{{ a|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var PAGES = [{% for p in pages %}"{{ p|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // One by one: an asset missing in this deployment must not stop the others.
    return Promise.all(ASSETS.map(function (url) { return cache.add(url).catch(function () {}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("sc-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage(path) {
  return PAGES.some(function (p) { return path.indexOf(p) === 0; });
}

self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("{{ static_url|escapejs }}") === 0) {
    // Assets: the cached copy, else the network (and keep it).
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
        return res;
      });
    }));
  } else if (offlinePage(url.pathname)) {
    // Field pages: the network first; without it the last copy this phone saw.
    event.respondWith(fetch(req).then(function (res) {
      if (res.ok && !res.redirected) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
      return res;
    }).catch(function () {
      return caches.match(req).then(function (hit) { return hit || caches.match("/outbox/") || Response.error(); });
    }));
  }
});
