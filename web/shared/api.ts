import type { FieldIssue } from '../../lambdas/core/errors.ts';

/**
 * A small fetch wrapper for the claims API: bearer token, JSON both ways, and the API's error
 * envelope turned into an {@link ApiError} carrying the stable code the screens translate.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    /** The API's error code, or `NETWORK` when the request never got an answer. */
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly correlationId?: string,
    /** Other members of the error body, e.g. `currentVersion` on a 409 VERSION_CONFLICT. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export interface ApiClientOptions {
  baseUrl: string;
  getToken: () => string | null;
  /**
   * Called once a request comes back 401: a missing, expired or refused token (API Gateway's
   * authorizer answers `{"message":"Unauthorized"}`) or an identity the handler could not read.
   * The only way forward is signing in again.
   */
  onUnauthenticated: (code: string) => void;
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  /** A file the API answers with (a CSV export): its bytes, for the browser to save. */
  getFile(path: string): Promise<Blob>;
  /** Like the others, but also gives the status, for answers whose meaning is in it (200 vs 202). */
  send<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; fields?: FieldIssue[]; correlationId?: string };
    message?: string;
  } | null;
  // API Gateway's own refusals carry no code: its JWT authorizer's 401 is `{"message":"Unauthorized"}`.
  if (res.status === 401 && !body?.error) {
    return new ApiError(401, 'UNAUTHENTICATED', body?.message ?? res.statusText);
  }
  const e = body?.error;
  const { code: _c, message: _m, fields: _f, correlationId: _r, ...details } = e ?? {};
  return new ApiError(
    res.status,
    e?.code ?? (res.status >= 500 ? 'INTERNAL' : `HTTP_${res.status}`),
    e?.message ?? res.statusText,
    Array.isArray(e?.fields) ? e.fields : [],
    e?.correlationId ?? res.headers.get('x-correlation-id') ?? undefined,
    details,
  );
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
    as: 'json' | 'blob' = 'json',
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: as === 'json' ? 'application/json' : '*/*', ...extra };
    const token = opts.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${opts.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : 'network error');
    }
    if (!res.ok) {
      const error = await toApiError(res);
      // A token was sent and refused: to the person, their session has ended (expired, or signed
      // out elsewhere); without one, they simply need to sign in.
      if (res.status === 401) opts.onUnauthenticated(token ? 'TOKEN_EXPIRED' : error.code);
      throw error;
    }
    if (res.status === 204) return { status: res.status, body: undefined as T };
    if (as === 'blob') return { status: res.status, body: (await res.blob()) as T };
    return { status: res.status, body: (await res.json()) as T };
  }
  return {
    get: <T>(path: string) => request<T>('GET', path).then((r) => r.body),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
      request<T>('POST', path, body, headers).then((r) => r.body),
    put: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
      request<T>('PUT', path, body, headers).then((r) => r.body),
    getFile: (path: string) => request<Blob>('GET', path, undefined, {}, 'blob').then((r) => r.body),
    send: (method, path, body, headers) => request(method, path, body, headers),
  };
}

/**
 * Uploads a file to an S3 presigned POST. XMLHttpRequest rather than fetch because only XHR reports
 * upload progress. S3 requires the policy fields first and the file last.
 */
export function uploadToPresignedPost(
  upload: { url: string; fields: Record<string, string> },
  file: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append('file', file, fileName);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        // S3 answers with XML: <Error><Code>EntityTooLarge</Code>…
        const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText ?? '')?.[1];
        reject(
          new ApiError(
            xhr.status,
            code === 'EntityTooLarge' ? 'FILE_TOO_LARGE' : 'UPLOAD_FAILED',
            code ?? 'upload failed',
          ),
        );
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'upload failed'));
    xhr.onabort = () => reject(new ApiError(0, 'NETWORK', 'upload aborted'));
    xhr.send(form);
  });
}

/** A random UUID, also where `crypto.randomUUID` is missing (older Safari, non-secure origins). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
