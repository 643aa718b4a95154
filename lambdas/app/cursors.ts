import { cursorSigningKey } from '../adapters/cursor-key.ts';
import { openCursor, queryScope, sealCursor } from '../core/cursor.ts';

/**
 * Cursors for one caller and one query: `open` checks a cursor the client sent back (400
 * INVALID_CURSOR if it was edited, is someone else's or belongs to another query), `seal` signs
 * where the next page starts (null when there is none).
 */
export function cursorsFor(
  callerId: string,
  route: string,
  params: Record<string, string | number | undefined>,
) {
  const scope = { callerId, query: queryScope(route, params) };
  return {
    open: <T>(token: string | undefined, parse: (position: unknown) => T): T | undefined =>
      openCursor(cursorSigningKey(), scope, token, parse),
    seal: (position: unknown): string | null =>
      position === undefined ? null : sealCursor(cursorSigningKey(), scope, position),
  };
}
