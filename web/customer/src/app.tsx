import { useMemo, useState } from 'preact/hooks';
import { AppFrame, BootPage, NotFoundPage, useAppSession } from '../../shared/app-shell.tsx';
import { Spinner } from '../../shared/components.tsx';
import { LocaleProvider, useLocale } from '../../shared/locale.tsx';
import { matchRoute } from '../../shared/router.ts';
import { AppContext, type AppState } from './context.ts';
import { ClaimPage } from './pages/claim-page.tsx';
import { ClaimsListPage } from './pages/claims-list.tsx';
import { NewClaimPage } from './pages/new-claim.tsx';
import { SignInPage } from './pages/sign-in.tsx';

export const APP = 'customer';

export function App() {
  return (
    <LocaleProvider>
      <Shell />
    </LocaleProvider>
  );
}

function Shell() {
  const { tr } = useLocale();
  const s = useAppSession(APP, '/claims');
  const { route, config, api, session, me, products } = s;
  const [submittedClaim, setSubmittedClaim] = useState<string | null>(null);

  const state: AppState | null = useMemo(
    () => (config && api ? { config, api, me, products, submittedClaim, setSubmittedClaim } : null),
    [config, api, me, products, submittedClaim],
  );

  let page = null;
  if (s.boot.state !== 'ready') page = <BootPage boot={s.boot} onRetry={s.startBoot} />;
  else if (state && !session)
    page = <SignInPage config={state.config} notice={s.signInNotice} onSignedIn={s.onSignedIn} />;
  else if (state && session) {
    const claimRoute = matchRoute('/claims/:id', route);
    if (route === '/claims/new') page = <NewClaimPage />;
    else if (claimRoute) page = <ClaimPage claimId={claimRoute.id ?? ''} />;
    else if (route === '/claims') page = <ClaimsListPage />;
    else if (route === '/signin' || route === '/') page = <Spinner label={tr('loading')} />;
    else page = <NotFoundPage backHref="#/claims" backLabel={tr('backToClaims')} />;
  }

  return (
    <AppContext.Provider value={state}>
      <AppFrame
        signedIn={Boolean(session)}
        homeHref="#/claims"
        appName={tr('appName')}
        tagline={tr('appTagline')}
        onSignOut={s.signOut}
        dataError={s.dataError}
        onRetryData={s.loadProfile}
        belowHeader={
          session && me ? (
            <div class="container header-user">
              <span>{tr('signedInAs', { name: me.displayName })}</span>
            </div>
          ) : null
        }
      >
        {page}
      </AppFrame>
    </AppContext.Provider>
  );
}
