import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApiClient } from '../../shared/api.ts';
import {
  AuthError,
  clearSession,
  cognitoLogoutUrl,
  completeCognitoSignIn,
  loadSession,
  type Session,
  saveSession,
} from '../../shared/auth.ts';
import { ErrorBanner, Spinner } from '../../shared/components.tsx';
import { loadConfig, type RuntimeConfig } from '../../shared/config.ts';
import { LanguageSwitch, LocaleProvider, useLocale } from '../../shared/locale.tsx';
import { matchRoute, navigate, useRoute } from '../../shared/router.ts';
import type { Me, ProductItem } from '../../shared/types.ts';
import { AppContext, type AppState } from './context.ts';
import { ClaimPage } from './pages/claim-page.tsx';
import { ClaimsListPage } from './pages/claims-list.tsx';
import { NewClaimPage } from './pages/new-claim.tsx';
import { SignInPage } from './pages/sign-in.tsx';

export const APP = 'customer';
const RETURN_TO_KEY = 'vnclaims.customer.returnTo';

export function App() {
  return (
    <LocaleProvider>
      <Shell />
    </LocaleProvider>
  );
}

type Boot = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; config: RuntimeConfig };

function Shell() {
  const { tr } = useLocale();
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [session, setSession] = useState<Session | null>(() => loadSession(APP));
  /** Why the person is looking at the sign-in page: an API error code or an auth failure. */
  const [signInNotice, setSignInNotice] = useState<{ code?: string; auth?: AuthError } | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [products, setProducts] = useState<ProductItem[]>([]);
  const [dataError, setDataError] = useState<unknown>(null);
  const [submittedClaim, setSubmittedClaim] = useState<string | null>(null);

  const startBoot = useCallback(() => {
    setBoot({ state: 'loading' });
    loadConfig()
      .then(async (config) => {
        if (config.auth.mode === 'cognito') {
          try {
            const done = await completeCognitoSignIn(APP, config.auth);
            if (done) {
              setSession(saveSession(APP, done.token));
              navigate(done.returnTo || '/claims', { replace: true });
            }
          } catch (err) {
            setSignInNotice({ auth: err instanceof AuthError ? err : undefined });
          }
        }
        setBoot({ state: 'ready', config });
      })
      .catch(() => setBoot({ state: 'failed' }));
  }, []);
  useEffect(startBoot, []);

  const onUnauthenticated = useCallback((code: string) => {
    clearSession(APP);
    setSession(null);
    setMe(null);
    setSignInNotice({ code });
  }, []);

  const config = boot.state === 'ready' ? boot.config : null;
  const api = useMemo(
    () =>
      config
        ? createApiClient({
            baseUrl: config.apiUrl,
            getToken: () => loadSession(APP)?.token ?? null,
            onUnauthenticated,
          })
        : null,
    [config, onUnauthenticated],
  );

  // Signed out → the sign-in page (remembering where the person was going); signed in → away from it.
  useEffect(() => {
    if (!config) return;
    if (!session && route !== '/signin') {
      if (route !== '/' && route !== '/claims') sessionStorage.setItem(RETURN_TO_KEY, route);
      navigate('/signin', { replace: true });
    } else if (session && (route === '/signin' || route === '/')) {
      const back = sessionStorage.getItem(RETURN_TO_KEY);
      sessionStorage.removeItem(RETURN_TO_KEY);
      navigate(back ?? '/claims', { replace: true });
    }
  }, [config, session, route]);

  const loadProfile = useCallback(() => {
    if (!api || !session) return;
    setDataError(null);
    Promise.all([api.get<Me>('/me'), api.get<{ items: ProductItem[] }>('/products')])
      .then(([m, p]) => {
        setMe(m);
        setProducts(p.items);
      })
      .catch(setDataError);
  }, [api, session]);
  useEffect(loadProfile, [loadProfile]);

  const onSignedIn = useCallback((token: string) => {
    setSignInNotice(null);
    setSession(saveSession(APP, token));
  }, []);

  const signOut = useCallback(() => {
    clearSession(APP);
    setSession(null);
    setMe(null);
    setSignInNotice(null);
    if (config?.auth.mode === 'cognito') window.location.assign(cognitoLogoutUrl(config.auth));
    else navigate('/signin');
  }, [config]);

  const state: AppState | null = useMemo(
    () => (config && api ? { config, api, me, products, submittedClaim, setSubmittedClaim } : null),
    [config, api, me, products, submittedClaim],
  );

  let page = null;
  if (boot.state === 'loading') page = <Spinner label={tr('loading')} />;
  else if (boot.state === 'failed')
    page = (
      <div class="banner banner-error" role="alert">
        <p>{tr('configError')}</p>
        <button type="button" class="btn btn-secondary btn-small" onClick={startBoot}>
          {tr('retry')}
        </button>
      </div>
    );
  else if (state && !session)
    page = <SignInPage config={state.config} notice={signInNotice} onSignedIn={onSignedIn} />;
  else if (state && session) {
    const claimRoute = matchRoute('/claims/:id', route);
    if (route === '/claims/new') page = <NewClaimPage />;
    else if (claimRoute) page = <ClaimPage claimId={claimRoute.id ?? ''} />;
    else if (route === '/claims') page = <ClaimsListPage />;
    else if (route === '/signin' || route === '/') page = <Spinner label={tr('loading')} />;
    else
      page = (
        <section class="card">
          <h1 class="page-title">{tr('notFoundTitle')}</h1>
          <a class="btn btn-secondary" href="#/claims">
            {tr('backToClaims')}
          </a>
        </section>
      );
  }

  return (
    <AppContext.Provider value={state}>
      {/* A button, not a link: a `#main` fragment would be taken for a route by the hash router. */}
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {tr('skipToContent')}
      </button>
      <header class="site-header">
        <div class="container header-inner">
          <a class="brand" href={session ? '#/claims' : '#/signin'}>
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
            <span class="brand-name">{tr('appName')}</span>
          </a>
          <div class="header-actions">
            <LanguageSwitch />
            {session ? (
              <button type="button" class="btn btn-ghost btn-small" onClick={signOut}>
                {tr('signOut')}
              </button>
            ) : null}
          </div>
        </div>
        {session && me ? (
          <div class="container header-user">
            <span>{tr('signedInAs', { name: me.displayName })}</span>
          </div>
        ) : null}
      </header>
      <main id="main" tabIndex={-1} class="container main">
        {session && dataError ? <ErrorBanner error={dataError} onRetry={loadProfile} /> : null}
        {page}
      </main>
      <footer class="site-footer">
        <div class="container">
          <p>{tr('appTagline')}</p>
        </div>
      </footer>
    </AppContext.Provider>
  );
}
