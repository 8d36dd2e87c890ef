/*
 * The token app's service worker (scope /app/): keeps the app's own files so that the app opens
 * and shows codes without a network. Network first, so a new version arrives as soon as the phone
 * is online; the cached copy when it is not. The activation API is never cached.
 */

const CACHE = 'kagi-app-v3';
const SHELL = [
  './',
  'index.html',
  'app.css',
  'app.js',
  'activation.js',
  'protocol.js',
  'totp.js',
  'signing.js',
  'store.js',
  'i18n.js',
  'manifest.webmanifest',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/icon-maskable-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) {
    return;
  }
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) {
      return cached;
    }
    if (request.mode === 'navigate') {
      return (await cache.match('./')) || (await cache.match('index.html')) || Response.error();
    }
    return Response.error();
  }
}
