import { Route, Router } from 'preact-iso/router';
import { useMemo, useState } from 'preact/hooks';
import { AppFrame, BootPage, NotFoundPage, useAppSession } from '../../shared/app-shell.tsx';
import { Spinner } from '../../shared/components.tsx';
import { LocaleProvider, useLocale } from '../../shared/locale.tsx';
import { HashLocation } from '../../shared/router.ts';
import { AppContext, type AppState } from './context.ts';
import { forgetDrafts } from './drafts.ts';
import { ClaimPage } from './pages/claim-page.tsx';
import { ClaimsListPage } from './pages/claims-list.tsx';
import { NewClaimPage } from './pages/new-claim.tsx';
import { SignInPage } from './pages/sign-in.tsx';

export const APP = 'customer';

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
  const { tr } = useLocale();
  // Signing out leaves no claim draft behind on the device (./drafts.ts).
  const s = useAppSession(APP, '/claims', forgetDrafts);
  const { config, api, session, me, products } = s;
  const [submittedClaim, setSubmittedClaim] = useState<string | null>(null);

  const state: AppState | null = useMemo(
    () => (config && api ? { config, api, me, products, submittedClaim, setSubmittedClaim } : null),
    [config, api, me, products, submittedClaim],
  );

  let page = null;
  if (s.boot.state !== 'ready') page = <BootPage boot={s.boot} onRetry={s.startBoot} />;
  else if (state && !session)
    page = <SignInPage config={state.config} notice={s.signInNotice} onSignedIn={s.onSignedIn} />;
  else if (state && session)
    page = (
      <Router>
        <Route path="/claims/new" component={NewClaimPage} />
        <Route path="/claims/:id" component={ClaimRoute} />
        <Route path="/claims" component={ClaimsListPage} />
        <Route path="/signin" component={Loading} />
        <Route path="/" component={Loading} />
        <Route default component={NotFound} />
      </Router>
    );

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
          // The line is there as soon as there is a session (empty until the profile arrives), so
          // the page below does not jump down when the name comes in (Lighthouse: layout shift).
          session ? (
            <div class="container header-user">
              {me ? (
                <span>{tr('signedInAs', { name: me.displayName })}</span>
              ) : (
                <span aria-hidden="true">{'\u00a0'}</span>
              )}
            </div>
          ) : null
        }
      >
        {page}
      </AppFrame>
    </AppContext.Provider>
  );
}

/** A claim page per claim: going from one claim to another starts afresh, not from the last one's data. */
function ClaimRoute({ id }: { id: string }) {
  return <ClaimPage key={id} claimId={id} />;
}

/** While a signed-in person is sent on from the sign-in page to where they were going. */
function Loading() {
  const { tr } = useLocale();
  return <Spinner label={tr('loading')} />;
}

function NotFound() {
  const { tr } = useLocale();
  return <NotFoundPage backHref="#/claims" backLabel={tr('backToClaims')} />;
}
