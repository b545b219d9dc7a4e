// The kiosk's service worker: kiosk pages come from the network when it answers and from
// the cache when it does not, so a kiosk opens and takes signatures during an outage.
// Assets have content-hashed names, so a cached copy is never stale.
'use strict';

var CACHE = 'mariposa-kiosk-v1';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

function fromCache(request) {
  return caches.match(request).then(function (found) {
    return found || caches.match(request, { ignoreSearch: true });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(fromCache(request).then(function (found) {
      return found || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (request.mode === 'navigate' && /^\/kiosk\/[^/]+$/.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      } else if (response.status === 404 || response.status === 410) {
        // A revoked, expired or unknown kiosk must not open from the cache any more.
        caches.open(CACHE).then(function (cache) {
          return cache.keys().then(function (keys) {
            keys.filter(function (key) { return new URL(key.url).pathname === url.pathname; })
              .forEach(function (key) { cache.delete(key); });
          });
        });
      }
      return response;
    }, function () {
      return fromCache(request).then(function (found) {
        return found || Response.error();
      });
    }));
  }
});
