/** A small API client and polling helper, usable from tests, benchmarks and scripts. */
export async function tokenFor(apiUrl: string, username: string): Promise<string> {
  const r = await fetch(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!r.ok) throw new Error(`token for ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export interface Api {
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  raw(path: string, init: RequestInit): Promise<{ status: number; body: any; headers: Headers }>;
}

/** A tiny API client signed in as `username` (or anonymous). */
export async function apiAs(apiUrl: string, username?: string): Promise<Api> {
  const token = username ? await tokenFor(apiUrl, username) : undefined;
  const raw = async (path: string, init: RequestInit) => {
    const r = await fetch(`${apiUrl}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: r.status, body, headers: r.headers };
  };
  return {
    raw,
    get: (path) => raw(path, { method: 'GET' }),
    post: (path, body, headers = {}) =>
      raw(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      }),
  };
}

/**
 * Polls until `check` returns a value (not undefined) or the time runs out; the error names `what`
 * it waited for when given, and the last error `check` threw.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  everyMs = 100,
  what?: string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const cause = last ? `: ${String(last)}` : '';
  throw new Error(
    what ? `timed out waiting for ${what}${cause}` : `condition not met in ${timeoutMs} ms${cause}`,
  );
}
