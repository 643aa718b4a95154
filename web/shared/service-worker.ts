/**
 * The app's service worker (built by web/build.ts into `<app>/sw.js` for apps that ship a web
 * manifest). It makes the app open without a network: the shell (index.html, the hashed bundle and
 * stylesheet, icons, manifest) is cached at install; pages and config.json are network-first with
 * the cached copy as fallback; hashed files are cache-first (their names change when they do).
 * API calls go to another origin and are never intercepted: claim data is always live, and what a
 * customer types is kept by the form's own draft storage.
 */
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly registration: { readonly scope: string };
}

const sw = self as unknown as WorkerScope;
const CACHE_PREFIX = 'claims-app-';
const CACHE = `${CACHE_PREFIX}${__VERSION__}`;
const scoped = (p: string) => new URL(p, sw.registration.scope).href;

sw.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(__PRECACHE__.map(scoped)))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

async function networkFirst(request: Request, fallback: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallback, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(fallback);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

sw.addEventListener('fetch', (e) => {
  const { request } = e;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !url.href.startsWith(sw.registration.scope)) return;
  if (request.mode === 'navigate') e.respondWith(networkFirst(request, scoped('./')));
  else if (url.pathname.endsWith('/config.json')) e.respondWith(networkFirst(request, url.href));
  else e.respondWith(cacheFirst(request));
});
