import { type ComponentChildren, h } from 'preact';
import { LocationProvider } from 'preact-iso/router';
import { useEffect, useMemo, useState } from 'preact/hooks';

/**
 * Routing is preact-iso's (`Router`, `Route`, `useLocation`, `lazy`); only where the route lives is
 * ours. The apps are static files behind CloudFront/S3, where only the fragment can change without
 * a server round trip or rewrite rules, and the links already sent by e-mail and SMS
 * (`…/customer/#/claims/<id>`, lambdas/app/notifications.ts) must keep opening the claim; so the
 * route is the hash (`#/claims/…`). {@link HashLocation} gives preact-iso's router that route
 * through the context its own `LocationProvider` fills from the path.
 */
export function currentRoute(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const target = `#${path}`;
  if (opts.replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (window.location.hash !== target) {
    window.location.hash = target;
  }
}

/** The location preact-iso's `Router` and `useLocation()` read: `url` is the route with its query. */
export function HashLocation({ children }: { children?: ComponentChildren }) {
  const [url, setUrl] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setUrl(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const value = useMemo(() => {
    const [path = '/', search = ''] = url.split('?');
    return {
      url,
      path: path.replace(/\/+$/, '') || '/',
      query: Object.fromEntries(new URLSearchParams(search)),
      route: (to: string, replace?: boolean) => navigate(to, { replace }),
      back: () => window.history.back(),
      forward: () => window.history.forward(),
    };
  }, [url]);
  return h(LocationProvider.ctx.Provider, { value }, children);
}
