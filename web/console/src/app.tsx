import type { AnyComponent } from 'preact';
import { Route, Router, useLocation } from 'preact-iso/router';
import { useMemo } from 'preact/hooks';
import { AppFrame, BootPage, NotFoundPage, useAppSession } from '../../shared/app-shell.tsx';
import { Spinner } from '../../shared/components.tsx';
import { lookup } from '../../shared/i18n.ts';
import { LocaleProvider } from '../../shared/locale.tsx';
import type { Me } from '../../shared/types.ts';
import { HashLocation } from '../../shared/router.ts';
import { ConsoleContext, type ConsoleState } from './context.ts';
import { ROLE_TEXT, useText } from './i18n.ts';
import { AdminAuditPage } from './pages/admin/audit.tsx';
import { AdminChangesPage } from './pages/admin/changes.tsx';
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

/** The pages behind a role. A route a person's roles do not open is not there for them: "not found". */
const ROLE_ROUTES: { path: string; page: AnyComponent<{ id?: string }>; allowed: (me: Me) => boolean }[] = [
  { path: '/phone', page: PhoneClaimPage, allowed: isHandler },
  { path: '/admin/staff', page: StaffPage, allowed: canSeeStaff },
  { path: '/admin/products', page: ProductsPage, allowed: canSeeConfig },
  { path: '/admin/templates', page: TemplatesPage, allowed: canSeeConfig },
  { path: '/admin/audit', page: AdminAuditPage, allowed: isAdmin },
  { path: '/admin/changes', page: AdminChangesPage, allowed: isAdmin },
  { path: '/admin/policy-imports', page: PolicyImportsPage, allowed: canSeeConfig },
  { path: '/post-audit', page: PostAuditPage, allowed: isSupervisor },
  { path: '/finance', page: FinancePage, allowed: isFinance },
  { path: '/intake/:id?', page: IntakeRoute, allowed: isHandler },
  { path: '/siu', page: SiuPage, allowed: isSiu },
];

export function App() {
  return (
    <LocaleProvider>
      <HashLocation>
        <Shell />
      </HashLocation>
    </LocaleProvider>
  );
}

function Shell() {
  const { locale, tr, c } = useText();
  const s = useAppSession(APP, '/queue');
  const { path, config, api, session, me, products, dataError, signOut } = s;

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
  else if (state)
    page = (
      <Router>
        <Route path="/queue" component={QueueRoute} />
        <Route path="/claims/:id" component={ClaimRoute} />
        {ROLE_ROUTES.filter((r) => r.allowed(state.me)).map((r) => (
          <Route key={r.path} path={r.path} component={r.page} />
        ))}
        <Route path="/signin" component={Loading} />
        <Route path="/" component={Loading} />
        <Route default component={NotFound} />
      </Router>
    );

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
      nav.push({ href: '#/admin/changes', label: c('navChanges'), active: path === '/admin/changes' });
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

/** The queue reads its view and filters from the route's query. */
function QueueRoute() {
  return <QueuePage route={useLocation().url} />;
}

function ClaimRoute({ id }: { id: string }) {
  return <ClaimPage claimId={id} />;
}

function IntakeRoute({ id }: { id?: string }) {
  return <IntakePage intakeId={id} />;
}

/** While a signed-in person is sent on from the sign-in page to where they were going. */
function Loading() {
  const { tr } = useText();
  return <Spinner label={tr('loading')} />;
}

function NotFound() {
  const { c } = useText();
  return <NotFoundPage backHref="#/queue" backLabel={c('backToQueue')} />;
}
