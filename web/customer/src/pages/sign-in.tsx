import { PageHeading } from '../../../shared/components.tsx';
import { useLocale } from '../../../shared/locale.tsx';
import {
  CognitoSignInButton,
  LocalSignInForm,
  type SignInProps,
  useSignIn,
} from '../../../shared/sign-in.tsx';

/** Seeded customers of the local stack. */
const DEMO_CUSTOMERS = ['an.nguyen', 'binh.tran', 'chi.le'];

export function SignInPage(props: SignInProps) {
  const { tr } = useLocale();
  const s = useSignIn({ ...props, app: 'customer', home: '/claims' });

  return (
    <section class="signin">
      <div class="card signin-card">
        <PageHeading>{tr('signInTitle')}</PageHeading>
        <p class="lead">{tr('signInIntro')}</p>
        <div aria-live="assertive" aria-atomic="true">
          {s.noticeText || s.error ? (
            <div class="banner banner-error" role="alert">
              <p>{s.error ?? s.noticeText}</p>
            </div>
          ) : null}
        </div>

        {s.cognito ? (
          <CognitoSignInButton signIn={s} class="btn btn-primary btn-block" />
        ) : (
          <>
            <LocalSignInForm signIn={s} hint={tr('localModeNote')} buttonClass="btn btn-primary btn-block" />
            <div class="demo-users">
              <h2 class="section-title">{tr('demoUsers')}</h2>
              <p class="hint">{tr('demoUsersHint')}</p>
              <ul class="chip-list">
                {DEMO_CUSTOMERS.map((u) => (
                  <li key={u}>
                    <button type="button" class="chip" disabled={s.busy} onClick={() => s.signInAs(u)}>
                      {u}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
