import { useState } from 'preact/hooks';
import { isApiError } from './api.ts';
import { AuthError, localSignIn, startCognitoSignIn } from './auth.ts';
import { FieldFrame } from './components.tsx';
import type { RuntimeConfig } from './config.ts';
import { errorCodeText } from './errors.ts';
import { useLocale } from './locale.tsx';
import { currentRoute } from './router.ts';

export interface SignInProps {
  config: RuntimeConfig;
  notice: { code?: string; auth?: AuthError } | null;
  onSignedIn: (token: string) => void;
}

/**
 * The sign-in page's state: the local username (and demo-user) sign-in, the Cognito redirect, and the
 * texts for the notice the app arrived with and for a failed attempt.
 */
export function useSignIn(props: SignInProps & { app: 'console' | 'customer'; home: string }) {
  const { config, notice, onSignedIn, app, home } = props;
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

  /** A demo user's button: fill in the name and sign in. */
  function signInAs(name: string) {
    setUsername(name);
    void signInLocal(name);
  }

  async function signInCognito() {
    if (config.auth.mode !== 'cognito') return;
    setBusy(true);
    const route = currentRoute();
    await startCognitoSignIn(app, config.auth, locale, route === '/signin' ? home : route);
  }

  return {
    cognito: config.auth.mode === 'cognito',
    username,
    setUsername,
    busy,
    error,
    fieldError,
    noticeText,
    signInLocal,
    signInAs,
    signInCognito,
  };
}

export type SignIn = ReturnType<typeof useSignIn>;

/** The button that starts the Cognito sign-in. */
export function CognitoSignInButton({ signIn, class: cls }: { signIn: SignIn; class: string }) {
  const { tr } = useLocale();
  return (
    <button type="button" class={cls} disabled={signIn.busy} onClick={signIn.signInCognito}>
      {signIn.busy ? tr('signingIn') : tr('signInWithAccount')}
    </button>
  );
}

/** The local stack's sign-in: a username, no password. */
export function LocalSignInForm(props: {
  signIn: SignIn;
  class?: string;
  /** Under the field. */
  hint?: string;
  buttonClass: string;
}) {
  const { signIn } = props;
  const { tr } = useLocale();
  return (
    <form
      {...(props.class ? { class: props.class } : {})}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void signIn.signInLocal(signIn.username);
      }}
    >
      <FieldFrame
        path="username"
        label={tr('username')}
        required
        error={signIn.fieldError}
        {...(props.hint ? { hint: props.hint } : {})}
      >
        {(aria) => (
          <input
            {...aria}
            type="text"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            value={signIn.username}
            onInput={(e) => signIn.setUsername((e.currentTarget as HTMLInputElement).value)}
          />
        )}
      </FieldFrame>
      <button type="submit" class={props.buttonClass} disabled={signIn.busy}>
        {signIn.busy ? tr('signingIn') : tr('signInButton')}
      </button>
    </form>
  );
}
