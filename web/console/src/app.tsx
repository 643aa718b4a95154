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
import { lookup } from '../../shared/i18n.ts';
import { LanguageSwitch, LocaleProvider } from '../../shared/locale.tsx';
import { matchRoute, navigate, useRoute } from '../../shared/router.ts';
import type { Me, ProductItem } from '../../shared/types.ts';
import { ConsoleContext, type ConsoleState } from './context.ts';
import { ROLE_TEXT, useText } from './i18n.ts';
import { AdminAuditPage } from './pages/admin/audit.tsx';
import { ProductsPage } from './pages/admin/products.tsx';
import { StaffPage } from './pages/admin/staff.tsx';
import { TemplatesPage } from './pages/admin/templates.tsx';
import { ClaimPage } from './pages/claim/claim-page.tsx';
import { PhoneClaimPage } from './pages/phone-claim.tsx';
import { QueuePage } from './pages/queue.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { canSeeConfig, canSeeStaff, isAdmin, isHandler, isStaff } from './permissions.ts';

export const APP = 'console';
const RETURN_TO_KEY = 'vnclaims.console.returnTo';

export function App() {
  return (
    <LocaleProvider>
      <Shell />
    </LocaleProvider>
  );
}

type Boot = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; config: RuntimeConfig };

function Shell() {
  const { locale, tr, c } = useText();
  const route = useRoute();
  const path = route.split('?')[0] ?? '/';
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [session, setSession] = useState<Session | null>(() => loadSession(APP));
  const [signInNotice, setSignInNotice] = useState<{ code?: string; auth?: AuthError } | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [products, setProducts] = useState<ProductItem[]>([]);
  const [dataError, setDataError] = useState<unknown>(null);

  const startBoot = useCallback(() => {
    setBoot({ state: 'loading' });
    loadConfig()
      .then(async (config) => {
        if (config.auth.mode === 'cognito') {
          try {
            const done = await completeCognitoSignIn(APP, config.auth);
            if (done) {
              setSession(saveSession(APP, done.token));
              navigate(done.returnTo || '/queue', { replace: true });
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

  useEffect(() => {
    if (!config) return;
    if (!session && path !== '/signin') {
      if (path !== '/' && path !== '/queue') sessionStorage.setItem(RETURN_TO_KEY, route);
      navigate('/signin', { replace: true });
    } else if (session && (path === '/signin' || path === '/')) {
      const back = sessionStorage.getItem(RETURN_TO_KEY);
      sessionStorage.removeItem(RETURN_TO_KEY);
      navigate(back ?? '/queue', { replace: true });
    }
  }, [config, session, route, path]);

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
    setMe(null);
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

  const state: ConsoleState | null = useMemo(
    () => (config && api && me ? { config, api, me, products } : null),
    [config, api, me, products],
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
  else if (config && api && !session)
    page = <SignInPage config={config} notice={signInNotice} onSignedIn={onSignedIn} />;
  else if (session && !state) page = dataError ? null : <Spinner label={tr('loading')} />;
  else if (state && !isStaff(state.me))
    page = (
      <section class="card">
        <p class="banner banner-error" role="alert">
          {c('noStaffRole')}
        </p>
        <button type="button" class="btn btn-secondary" onClick={signOut}>
          {tr('signOut')}
        </button>
      </section>
    );
  else if (state) {
    const claimRoute = matchRoute('/claims/:id', route);
    if (path === '/queue') page = <QueuePage route={route} />;
    else if (claimRoute) page = <ClaimPage claimId={claimRoute.id ?? ''} />;
    else if (path === '/phone' && isHandler(state.me)) page = <PhoneClaimPage />;
    else if (path === '/admin/staff' && canSeeStaff(state.me)) page = <StaffPage />;
    else if (path === '/admin/products' && canSeeConfig(state.me)) page = <ProductsPage />;
    else if (path === '/admin/templates' && canSeeConfig(state.me)) page = <TemplatesPage />;
    else if (path === '/admin/audit' && isAdmin(state.me)) page = <AdminAuditPage />;
    else if (path === '/signin' || path === '/') page = <Spinner label={tr('loading')} />;
    else
      page = (
        <section class="card">
          <h1 class="page-title">{tr('notFoundTitle')}</h1>
          <a class="btn btn-secondary" href="#/queue">
            {c('backToQueue')}
          </a>
        </section>
      );
  }

  const nav: { href: string; label: string; active: boolean }[] = [];
  if (state && isStaff(state.me)) {
    nav.push({
      href: '#/queue',
      label: c('navQueue'),
      active: path === '/queue' || path.startsWith('/claims/'),
    });
    if (isHandler(state.me)) nav.push({ href: '#/phone', label: c('navPhone'), active: path === '/phone' });
    if (canSeeStaff(state.me))
      nav.push({ href: '#/admin/staff', label: c('navStaff'), active: path === '/admin/staff' });
    if (canSeeConfig(state.me))
      nav.push({ href: '#/admin/products', label: c('navProducts'), active: path === '/admin/products' });
    if (canSeeConfig(state.me))
      nav.push({ href: '#/admin/templates', label: c('navTemplates'), active: path === '/admin/templates' });
    if (isAdmin(state.me))
      nav.push({ href: '#/admin/audit', label: c('navAudit'), active: path === '/admin/audit' });
  }

  return (
    <ConsoleContext.Provider value={state}>
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {tr('skipToContent')}
      </button>
      <header class="site-header">
        <div class="container header-inner">
          <a class="brand" href={session ? '#/queue' : '#/signin'}>
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
            <span class="brand-name">{c('appName')}</span>
          </a>
          {nav.length > 0 ? (
            <nav class="main-nav" aria-label={c('mainNav')}>
              {nav.map((n) => (
                <a
                  key={n.href}
                  href={n.href}
                  class={n.active ? 'is-active' : undefined}
                  aria-current={n.active ? 'page' : undefined}
                >
                  {n.label}
                </a>
              ))}
            </nav>
          ) : null}
          <div class="header-actions">
            {session && me ? (
              <span class="header-user" title={c('rolesLine', { roles: me.roles.join(', ') })}>
                <span class="header-user-name">{me.displayName}</span>
                <span class="header-user-roles">
                  {me.roles.map((r) => lookup(ROLE_TEXT, r, locale)).join(' · ')}
                </span>
              </span>
            ) : null}
            <LanguageSwitch />
            {session ? (
              <button type="button" class="btn btn-ghost btn-small" onClick={signOut}>
                {tr('signOut')}
              </button>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} class="container main">
        {session && dataError ? <ErrorBanner error={dataError} onRetry={loadProfile} /> : null}
        {page}
      </main>
      <footer class="site-footer">
        <div class="container">
          <p>{c('appTagline')}</p>
        </div>
      </footer>
    </ConsoleContext.Provider>
  );
}
