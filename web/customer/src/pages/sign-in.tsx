import { useState } from 'preact/hooks';
import { isApiError } from '../../../shared/api.ts';
import { AuthError, localSignIn, startCognitoSignIn } from '../../../shared/auth.ts';
import { FieldFrame, PageHeading } from '../../../shared/components.tsx';
import type { RuntimeConfig } from '../../../shared/config.ts';
import { errorCodeText } from '../../../shared/errors.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { currentRoute } from '../../../shared/router.ts';

/** Seeded customers of the local stack. */
const DEMO_CUSTOMERS = ['an.nguyen', 'binh.tran', 'chi.le'];

export function SignInPage(props: {
  config: RuntimeConfig;
  notice: { code?: string; auth?: AuthError } | null;
  onSignedIn: (token: string) => void;
}) {
  const { config, notice, onSignedIn } = props;
  const { locale, tr } = useLocale();
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();

  const noticeText = (() => {
    if (!notice) return null;
    if (notice.code) return errorCodeText(notice.code, locale);
    if (notice.auth?.code === 'STATE_MISMATCH') return tr('signInStateMismatch');
    return tr('signInFailed', { reason: notice.auth?.message ?? '?' });
  })();

  async function signInLocal(name: string) {
    const u = name.trim();
    if (!u) {
      setFieldError('required');
      document.getElementById('f-username')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await localSignIn(config.apiUrl, u));
    } catch (err) {
      if (err instanceof AuthError && err.message === 'USER_NOT_FOUND')
        setError(errorCodeText('USER_NOT_FOUND', locale));
      else if (err instanceof AuthError) setError(tr('signInFailed', { reason: err.message }));
      else setError(errorCodeText(isApiError(err) ? err.code : 'NETWORK', locale));
      setBusy(false);
    }
  }

  async function signInCognito() {
    if (config.auth.mode !== 'cognito') return;
    setBusy(true);
    const route = currentRoute();
    await startCognitoSignIn('customer', config.auth, locale, route === '/signin' ? '/claims' : route);
  }

  return (
    <section class="signin">
      <div class="card signin-card">
        <PageHeading>{tr('signInTitle')}</PageHeading>
        <p class="lead">{tr('signInIntro')}</p>
        <div aria-live="assertive" aria-atomic="true">
          {noticeText || error ? (
            <div class="banner banner-error" role="alert">
              <p>{error ?? noticeText}</p>
            </div>
          ) : null}
        </div>

        {config.auth.mode === 'cognito' ? (
          <button type="button" class="btn btn-primary btn-block" disabled={busy} onClick={signInCognito}>
            {busy ? tr('signingIn') : tr('signInWithAccount')}
          </button>
        ) : (
          <>
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void signInLocal(username);
              }}
            >
              <FieldFrame
                path="username"
                label={tr('username')}
                required
                error={fieldError}
                hint={tr('localModeNote')}
              >
                {(aria) => (
                  <input
                    {...aria}
                    name="username"
                    type="text"
                    autoComplete="username"
                    autoCapitalize="none"
                    spellcheck={false}
                    value={username}
                    onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
              </FieldFrame>
              <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
                {busy ? tr('signingIn') : tr('signInButton')}
              </button>
            </form>
            <div class="demo-users">
              <h2 class="section-title">{tr('demoUsers')}</h2>
              <p class="hint">{tr('demoUsersHint')}</p>
              <ul class="chip-list">
                {DEMO_CUSTOMERS.map((u) => (
                  <li key={u}>
                    <button
                      type="button"
                      class="chip"
                      disabled={busy}
                      onClick={() => {
                        setUsername(u);
                        void signInLocal(u);
                      }}
                    >
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
