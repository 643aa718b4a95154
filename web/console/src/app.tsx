import { useMemo } from 'preact/hooks';
import { AppFrame, BootPage, NotFoundPage, useAppSession } from '../../shared/app-shell.tsx';
import { Spinner } from '../../shared/components.tsx';
import { lookup } from '../../shared/i18n.ts';
import { LocaleProvider } from '../../shared/locale.tsx';
import { matchRoute } from '../../shared/router.ts';
import { ConsoleContext, type ConsoleState } from './context.ts';
import { ROLE_TEXT, useText } from './i18n.ts';
import { AdminAuditPage } from './pages/admin/audit.tsx';
import { PolicyImportsPage, policyImportsNavLabel } from './pages/admin/policy-imports.tsx';
import { ProductsPage } from './pages/admin/products.tsx';
import { StaffPage } from './pages/admin/staff.tsx';
import { TemplatesPage } from './pages/admin/templates.tsx';
import { ClaimPage } from './pages/claim/claim-page.tsx';
import { FinancePage } from './pages/finance/finance-page.tsx';
import { financeNavLabel } from './pages/finance/text.ts';
import { PhoneClaimPage } from './pages/phone-claim.tsx';
import { PostAuditPage } from './pages/post-audit.tsx';
import { IntakePage } from './pages/intake.tsx';
import { intakeText } from './intake-text.ts';
import { SiuPage } from './pages/siu.tsx';
import { siuText } from './siu-text.ts';
import { QueuePage } from './pages/queue.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { WorkflowAlertsBanner } from './pages/workflow-alerts.tsx';
import {
  canSeeConfig,
  canSeeStaff,
  canSeeWorkflowAlerts,
  isAdmin,
  isFinance,
  isHandler,
  isStaff,
  isSupervisor,
  isSiu,
} from './permissions.ts';
import { stpText } from './post-audit-text.ts';

export const APP = 'console';

export function App() {
  return (
    <LocaleProvider>
      <Shell />
    </LocaleProvider>
  );
}

function Shell() {
  const { locale, tr, c } = useText();
  const s = useAppSession(APP, '/queue');
  const { route, path, config, api, session, me, products, dataError, signOut } = s;

  const state: ConsoleState | null = useMemo(
    () => (config && api && me ? { config, api, me, products } : null),
    [config, api, me, products],
  );

  let page = null;
  if (s.boot.state !== 'ready') page = <BootPage boot={s.boot} onRetry={s.startBoot} />;
  else if (config && api && !session)
    page = <SignInPage config={config} notice={s.signInNotice} onSignedIn={s.onSignedIn} />;
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
    else if (path === '/admin/policy-imports' && canSeeConfig(state.me)) page = <PolicyImportsPage />;
    else if (path === '/post-audit' && isSupervisor(state.me)) page = <PostAuditPage />;
    else if (path === '/finance' && isFinance(state.me)) page = <FinancePage />;
    else if ((path === '/intake' || path.startsWith('/intake/')) && isHandler(state.me))
      page = <IntakePage intakeId={matchRoute('/intake/:id', route)?.id} />;
    else if (path === '/siu' && isSiu(state.me)) page = <SiuPage />;
    else if (path === '/signin' || path === '/') page = <Spinner label={tr('loading')} />;
    else page = <NotFoundPage backHref="#/queue" backLabel={c('backToQueue')} />;
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
    if (canSeeConfig(state.me))
      nav.push({
        href: '#/admin/policy-imports',
        label: policyImportsNavLabel(locale),
        active: path === '/admin/policy-imports',
      });
    if (isSupervisor(state.me))
      nav.push({
        href: '#/post-audit',
        label: stpText(locale)('navPostAudit'),
        active: path === '/post-audit',
      });
    if (isFinance(state.me))
      nav.push({ href: '#/finance', label: financeNavLabel(locale), active: path === '/finance' });
    if (isHandler(state.me))
      nav.push({
        href: '#/intake',
        label: intakeText(locale)('navIntake'),
        active: path === '/intake' || path.startsWith('/intake/'),
      });
    if (isSiu(state.me))
      nav.push({ href: '#/siu', label: siuText(locale)('navSiu'), active: path === '/siu' });
  }

  return (
    <ConsoleContext.Provider value={state}>
      <AppFrame
        signedIn={Boolean(session)}
        homeHref="#/queue"
        appName={c('appName')}
        tagline={c('appTagline')}
        onSignOut={signOut}
        dataError={dataError}
        onRetryData={s.loadProfile}
        nav={
          nav.length > 0 ? (
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
          ) : null
        }
        user={
          session && me ? (
            <span class="header-user" title={c('rolesLine', { roles: me.roles.join(', ') })}>
              <span class="header-user-name">{me.displayName}</span>
              <span class="header-user-roles">
                {me.roles.map((r) => lookup(ROLE_TEXT, r, locale)).join(' · ')}
              </span>
            </span>
          ) : null
        }
      >
        {state && canSeeWorkflowAlerts(state.me) && s.boot.state === 'ready' ? (
          <WorkflowAlertsBanner />
        ) : null}
        {page}
      </AppFrame>
    </ConsoleContext.Provider>
  );
}
