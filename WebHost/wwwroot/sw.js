// EpiGrid's service worker: the web app opens without a network once it has been opened with one.
//
// - The app shell (the page, its style, its modules, the SignalR and OpenID Connect clients) is kept in a cache. Shell files are asked of the
//   network first, as the page would without this worker (the modules are no-cache: a deployment shows on the next
//   load), and answered from the cache when the network does not answer within a few seconds or at all.
// - Versioned libraries (/lib/name-version.js, never changed under a name) are answered from the cache first.
// - A navigation inside the app (/, /public, /#inbox) without a network gets the cached page.
// - The API and the hubs are never cached here: what a user last saw is kept by the page itself, per account, in
//   IndexedDB (js/offline.js), and cleared at sign-out with these caches.
const SHELL = 'epigrid-shell-v1';
const PAGE = '/';
// What a first visit must leave in the cache for the app to open offline: the page and every module the page imports
// (tests/EpiGrid.Tests/Ui/OfflineTests checks this list against wwwroot/js). Anything else the app loads is added as loaded.
const PRECACHE = [
  '/', '/public', '/app.css', '/manifest.webmanifest', '/icon.svg', '/lib/signalr-10.0.11.min.js',
  '/lib/signalr-protocol-msgpack-10.0.11.min.js', '/lib/oidc-client-ts-3.5.0.min.js',
  '/js/app.js', '/js/api.js', '/js/charts.js', '/js/i18n.js', '/js/map.js', '/js/offline.js', '/js/published.js',
  '/js/session.js', '/js/identity.js',
  '/js/views/charts.js', '/js/views/countyDetail.js', '/js/views/epiCurve.js', '/js/views/inbox.js', '/js/views/lineList.js',
  '/js/views/mapPanel.js', '/js/views/official.js', '/js/views/public.js', '/js/views/replay.js',
  '/js/views/resumptionChart.js', '/js/views/rtChart.js', '/js/views/signin.js',
  // The citizen page (its code and QR need the network; the page itself opens).
  '/public/code', '/code.css', '/js/code.js',
];
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', event => {
  // cache: 'no-cache' revalidates with the server: the shell cached is the one deployed now, not the browser's old copy.
  event.waitUntil(caches.open(SHELL).then(cache => cache.addAll(PRECACHE.map(url => new Request(url, { cache: 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(names => Promise.all(names.filter(n => n.startsWith('epigrid-shell-') && n !== SHELL).map(n => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/hubs/') || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    const page = { '/': PAGE, '/index.html': PAGE, '/public': '/public', '/public/code': '/public/code' }[url.pathname];
    if (page) event.respondWith(networkFirst(request, page));
    return;
  }
  if (url.pathname.startsWith('/lib/')) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, url.pathname));
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

/** The network's answer (kept in the cache for next time), or the cached copy of <key> when the network fails or is slow. */
async function networkFirst(request, key) {
  const cache = await caches.open(SHELL);
  const fromNetwork = fetch(request).then(response => {
    if (response.ok && response.type === 'basic') cache.put(key, response.clone());
    return response;
  });
  const slow = new Promise(resolve => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([fromNetwork, slow]);
    if (first) return first;
    // Slow: the cached copy if there is one, else keep waiting for the network.
    return (await cache.match(key, { ignoreSearch: true, ignoreVary: true })) ?? await fromNetwork;
  } catch (error) {
    const cached = await cache.match(key, { ignoreSearch: true, ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}
