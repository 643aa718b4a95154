import type { Locale } from '../../lambdas/core/messages.ts';
import type { CognitoConfig } from './config.ts';

/**
 * Sign-in for both web apps. Locally the stack mints a token for a demo username; on AWS we run
 * the OAuth 2.0 authorization-code flow with PKCE against Cognito's hosted UI (no client secret in
 * a browser) and send the `id_token` as the bearer, since it carries `cognito:groups` and the
 * customer id the API authorises on. Tokens live in sessionStorage: gone when the tab closes.
 */
export interface Session {
  token: string;
  /** Epoch milliseconds, from the token's `exp`. */
  expiresAt?: number;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: 'STATE_MISMATCH' | 'PROVIDER_ERROR' | 'TOKEN_EXCHANGE_FAILED' | 'LOCAL_SIGN_IN_FAILED',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const sessionKey = (app: string) => `vnclaims.${app}.session`;
const pkceKey = (app: string) => `vnclaims.${app}.pkce`;

/** Reads the `exp` claim without verifying (the API verifies); only used to drop stale tokens early. */
export function tokenExpiry(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function loadSession(app: string): Session | null {
  try {
    const raw = sessionStorage.getItem(sessionKey(app));
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string') return null;
    // A token within 30 s of expiry would fail mid-request; treat it as gone.
    if (s.expiresAt !== undefined && s.expiresAt - 30_000 < Date.now()) {
      sessionStorage.removeItem(sessionKey(app));
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(app: string, token: string): Session {
  const session: Session = { token, expiresAt: tokenExpiry(token) };
  sessionStorage.setItem(sessionKey(app), JSON.stringify(session));
  return session;
}

export function clearSession(app: string): void {
  sessionStorage.removeItem(sessionKey(app));
}

/** Local mode: the stack's token endpoint signs a Cognito-shaped JWT for a seeded user. */
export async function localSignIn(apiUrl: string, username: string): Promise<string> {
  const res = await fetch(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: unknown; error?: { code?: string } };
  if (!res.ok || typeof body.token !== 'string') {
    throw new AuthError('LOCAL_SIGN_IN_FAILED', body.error?.code ?? `HTTP ${res.status}`, res.status);
  }
  return body.token;
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomString = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Sends the browser to Cognito's hosted UI. `returnTo` is the hash route to restore afterwards. */
export async function startCognitoSignIn(
  app: string,
  cfg: CognitoConfig,
  locale: Locale,
  returnTo: string,
): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(24);
  sessionStorage.setItem(pkceKey(app), JSON.stringify({ verifier, state, returnTo }));
  const url = new URL('/oauth2/authorize', cfg.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.redirectUri,
    scope: (cfg.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
    lang: locale,
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Finishes the hosted-UI round trip if this page load is the redirect back (`?code=&state=`):
 * checks `state`, exchanges the code with the PKCE verifier, and cleans the query string.
 * Returns null when the page was not a redirect.
 */
export async function completeCognitoSignIn(
  app: string,
  cfg: CognitoConfig,
): Promise<{ token: string; returnTo: string } | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return null;
  const saved = sessionStorage.getItem(pkceKey(app));
  sessionStorage.removeItem(pkceKey(app));
  const clean = `${window.location.pathname}${window.location.hash}`;
  window.history.replaceState(null, '', clean);

  if (error) throw new AuthError('PROVIDER_ERROR', params.get('error_description') ?? error);
  const pkce = saved ? (JSON.parse(saved) as { verifier: string; state: string; returnTo: string }) : null;
  if (!pkce || pkce.state !== params.get('state')) {
    throw new AuthError('STATE_MISMATCH', 'state does not match this browser session');
  }
  const res = await fetch(new URL('/oauth2/token', cfg.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cfg.clientId,
      code: code ?? '',
      redirect_uri: cfg.redirectUri,
      code_verifier: pkce.verifier,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!res.ok || typeof body.id_token !== 'string') {
    throw new AuthError('TOKEN_EXCHANGE_FAILED', String(body.error ?? `HTTP ${res.status}`), res.status);
  }
  return { token: body.id_token, returnTo: pkce.returnTo };
}

/** Cognito's logout endpoint also ends the hosted-UI session, so the next sign-in asks again. */
export function cognitoLogoutUrl(cfg: CognitoConfig): string {
  const url = new URL('/logout', cfg.domain);
  url.search = new URLSearchParams({
    client_id: cfg.clientId,
    logout_uri: cfg.logoutUri ?? cfg.redirectUri,
  }).toString();
  return url.toString();
}
