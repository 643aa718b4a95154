import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.ts';

/**
 * Paging cursors (HOUSE_STYLE §18): opaque to the client and bound to who asked and what they
 * asked for. A cursor is `<payload>.<mac>`, both base64url; the MAC is HMAC-SHA256 over the
 * caller's id, the canonical query and the payload, so a cursor that was edited, belongs to
 * another caller or to another query is refused with `400 INVALID_CURSOR` before any of its
 * content is used. The payload (where to resume) is signed, not encrypted: it only ever names
 * items the same caller has already been shown.
 */

/** Longest cursor accepted (the queue's per-status positions fit in about 1 KB). */
export const MAX_CURSOR_CHARS = 1600;
/** Shortest signing key accepted: 32 bytes of entropy, as hex or base64 text. */
export const MIN_CURSOR_KEY_CHARS = 32;

/** Whose cursor it is and for which query (the canonical string from {@link queryScope}). */
export interface CursorScope {
  callerId: string;
  query: string;
}

/** A canonical, order-independent text of a query's parameters (route name first). */
export function queryScope(route: string, params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return `${route}?${parts.join('&')}`;
}

const mac = (key: string, scope: CursorScope, payload: string) =>
  createHmac('sha256', key).update(`${scope.callerId}\n${scope.query}\n${payload}`).digest('base64url');

export class InvalidCursorError extends DomainError {
  override readonly name = 'InvalidCursorError';
  constructor(reason: string) {
    super('INVALID_CURSOR', 'The cursor is not valid for this request; start from the first page', {
      reason,
    });
  }
}

/** Signs a resume position for this caller and query. */
export function sealCursor(key: string, scope: CursorScope, position: unknown): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, p: position })).toString('base64url');
  const token = `${payload}.${mac(key, scope, payload)}`;
  // A position that does not fit would be refused on the way back in: fail here, loudly.
  if (token.length > MAX_CURSOR_CHARS) throw new Error(`cursor of ${token.length} chars exceeds the bound`);
  return token;
}

/**
 * Verifies a cursor and returns its position, checked by `parse` (which throws on a bad shape);
 * `undefined` when there is no cursor (the first page). Never throws anything but
 * {@link InvalidCursorError} for bad input.
 */
export function openCursor<T>(
  key: string,
  scope: CursorScope,
  token: string | undefined,
  parse: (position: unknown) => T,
): T | undefined {
  if (token === undefined || token === '') return undefined;
  if (token.length > MAX_CURSOR_CHARS) throw new InvalidCursorError('too_long');
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw new InvalidCursorError('malformed');
  const [, payload = '', given = ''] = m;
  const expected = Buffer.from(mac(key, scope, payload));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    throw new InvalidCursorError('signature');
  try {
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      v?: unknown;
      p?: unknown;
    };
    if (body?.v !== 1) throw new Error('version');
    return parse(body.p);
  } catch {
    throw new InvalidCursorError('position');
  }
}
