import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso/router';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApiClient } from './api.ts';
import {
  AuthError,
  clearSession,
  cognitoLogoutUrl,
  completeCognitoSignIn,
  loadSession,
  type Session,
  saveSession,
} from './auth.ts';
import { ErrorBanner, Spinner } from './components.tsx';
import { loadConfig, type RuntimeConfig } from './config.ts';
import { LanguageSwitch, useLocale } from './locale.tsx';
import { navigate } from './router.ts';
import type { Me, ProductItem } from './types.ts';

/**
 * What both web apps do around their pages: load the runtime config (finishing a Cognito sign-in on
 * the way back from the hosted UI), keep the session, send signed-out people to the sign-in page and
 * back where they were going afterwards, load who is signed in and the product catalogue, and frame
 * every page with the same header, skip link and footer.
 */

export type Boot = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; config: RuntimeConfig };

/** Why the person is looking at the sign-in page: an API error code or an auth failure. */
export type SignInNotice = { code?: string; auth?: AuthError };

/**
 * @param app the app's name, keying its session in sessionStorage (`customer`, `console`)
 * @param home the route a signed-in person lands on (`/claims`, `/queue`)
 * @param forgetOnSignOut removes what the app kept on the device for the person signing out (the
 *   customer app: its claim drafts), so the next person on a shared phone finds none of it
 */
export function useAppSession(app: string, home: string, forgetOnSignOut?: () => void) {
  const { adoptProfileLocale } = useLocale();
  const { url: route } = useLocation();
  const path = route.split('?')[0] ?? '/';
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [session, setSession] = useState<Session | null>(() => loadSession(app));
  const [signInNotice, setSignInNotice] = useState<SignInNotice | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [products, setProducts] = useState<ProductItem[]>([]);
  const [dataError, setDataError] = useState<unknown>(null);
  const returnToKey = `vnclaims.${app}.returnTo`;

  const startBoot = useCallback(() => {
    setBoot({ state: 'loading' });
    loadConfig()
      .then(async (config) => {
        if (config.auth.mode === 'cognito') {
          try {
            const done = await completeCognitoSignIn(app, config.auth);
            if (done) {
              setSession(saveSession(app, done.token));
              navigate(done.returnTo || home, { replace: true });
            }
          } catch (err) {
            setSignInNotice({ auth: err instanceof AuthError ? err : undefined });
          }
        }
        setBoot({ state: 'ready', config });
      })
      .catch(() => setBoot({ state: 'failed' }));
  }, [app, home]);
  useEffect(startBoot, []);

  const onUnauthenticated = useCallback(
    (code: string) => {
      clearSession(app);
      setSession(null);
      setMe(null);
      setSignInNotice({ code });
    },
    [app],
  );

  const config = boot.state === 'ready' ? boot.config : null;
  const api = useMemo(
    () =>
      config
        ? createApiClient({
            baseUrl: config.apiUrl,
            getToken: () => loadSession(app)?.token ?? null,
            onUnauthenticated,
          })
        : null,
    [app, config, onUnauthenticated],
  );

  // Signed out → the sign-in page (remembering where the person was going); signed in → away from it.
  useEffect(() => {
    if (!config) return;
    if (!session && path !== '/signin') {
      if (path !== '/' && path !== home) sessionStorage.setItem(returnToKey, route);
      navigate('/signin', { replace: true });
    } else if (session && (path === '/signin' || path === '/')) {
      const back = sessionStorage.getItem(returnToKey);
      sessionStorage.removeItem(returnToKey);
      navigate(back ?? home, { replace: true });
    }
  }, [config, session, route, path, home, returnToKey]);

  const loadProfile = useCallback(() => {
    if (!api || !session) return;
    setDataError(null);
    Promise.all([api.get<Me>('/me'), api.get<{ items: ProductItem[] }>('/products')])
      .then(([m, p]) => {
        setMe(m);
        setProducts(p.items);
        adoptProfileLocale(m.locale);
      })
      .catch(setDataError);
  }, [api, session, adoptProfileLocale]);
  useEffect(loadProfile, [loadProfile]);

  const onSignedIn = useCallback(
    (token: string) => {
      setSignInNotice(null);
      setMe(null);
      setSession(saveSession(app, token));
    },
    [app],
  );

  const signOut = useCallback(() => {
    forgetOnSignOut?.();
    clearSession(app);
    setSession(null);
    setMe(null);
    setSignInNotice(null);
    if (config?.auth.mode === 'cognito') window.location.assign(cognitoLogoutUrl(config.auth));
    else navigate('/signin');
  }, [app, config, forgetOnSignOut]);

  return {
    route,
    path,
    boot,
    startBoot,
    config,
    api,
    session,
    signInNotice,
    onSignedIn,
    signOut,
    me,
    products,
    dataError,
    loadProfile,
  };
}

/** The page while the runtime config loads or after it failed to; null once it is ready. */
export function BootPage({ boot, onRetry }: { boot: Boot; onRetry: () => void }) {
  const { tr } = useLocale();
  if (boot.state === 'loading') return <Spinner label={tr('loading')} />;
  if (boot.state === 'failed')
    return (
      <div class="banner banner-error" role="alert">
        <p>{tr('configError')}</p>
        <button type="button" class="btn btn-secondary btn-small" onClick={onRetry}>
          {tr('retry')}
        </button>
      </div>
    );
  return null;
}

export function NotFoundPage({ backHref, backLabel }: { backHref: string; backLabel: string }) {
  const { tr } = useLocale();
  return (
    <section class="card">
      <h1 class="page-title">{tr('notFoundTitle')}</h1>
      <a class="btn btn-secondary" href={backHref}>
        {backLabel}
      </a>
    </section>
  );
}

/** Skip link, header (brand, language switch, sign-out), main and footer around the page. */
export function AppFrame(props: {
  signedIn: boolean;
  homeHref: string;
  appName: string;
  tagline: string;
  onSignOut: () => void;
  /** Why the profile could not be loaded, shown above the page with a retry. */
  dataError: unknown;
  onRetryData: () => void;
  /** Beside the brand (the console's navigation). */
  nav?: ComponentChildren;
  /** First among the header actions (the console's signed-in person). */
  user?: ComponentChildren;
  /** Under the header bar (the customer app's signed-in line). */
  belowHeader?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { tr } = useLocale();
  return (
    <>
      {/* A button, not a link: a `#main` fragment would be taken for a route by the hash router. */}
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {tr('skipToContent')}
      </button>
      <header class="site-header">
        <div class="container header-inner">
          <a class="brand" href={props.signedIn ? props.homeHref : '#/signin'}>
            <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
              <path d="M16 2 4 7v8c0 7.5 5.1 13.6 12 15 6.9-1.4 12-7.5 12-15V7L16 2z" fill="currentColor" />
              <path
                d="m10.5 16.5 3.8 3.8 7.7-8"
                fill="none"
                stroke="#fff"
                stroke-width="2.6"
                stroke-linecap="round"
              />
            </svg>
            <span class="brand-name">{props.appName}</span>
          </a>
          {props.nav}
          <div class="header-actions">
            {props.user}
            <LanguageSwitch />
            {props.signedIn ? (
              <button type="button" class="btn btn-ghost btn-small" onClick={props.onSignOut}>
                {tr('signOut')}
              </button>
            ) : null}
          </div>
        </div>
        {props.belowHeader}
      </header>
      <main id="main" tabIndex={-1} class="container main">
        {props.signedIn && props.dataError ? (
          <ErrorBanner error={props.dataError} onRetry={props.onRetryData} />
        ) : null}
        {props.children}
      </main>
      <footer class="site-footer">
        <div class="container">
          <p>{props.tagline}</p>
        </div>
      </footer>
    </>
  );
}
