import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, openCursor, queryScope, sealCursor } from '../../lambdas/core/cursor.ts';
import { type MergePosition, MergePositionSchema, mergePartitions } from '../../lambdas/core/paging.ts';
import {
  detectSearchKind,
  normaliseClaimNumber,
  normaliseKey,
  normalisePhone,
} from '../../lambdas/core/search.ts';

/** In-memory sorted partitions read like a DynamoDB query with Limit and ExclusiveStartKey. */
function partitionsOf(parts: string[][], keep: (k: string) => boolean, descending = false) {
  const sorted = parts.map((p) =>
    [...p].sort((a, b) => (descending ? b.localeCompare(a) : a.localeCompare(b))),
  );
  let reads = 0;
  const read = async (i: number, after: string | undefined, limit: number) => {
    reads += 1;
    const all = sorted[i] ?? [];
    const from = after === undefined ? 0 : all.findIndex((k) => (descending ? k < after : k > after));
    const slice = from < 0 ? [] : all.slice(from, from + limit);
    const more = from >= 0 && from + limit < all.length;
    return {
      items: slice.filter(keep).map((k) => ({ sortKey: k, item: k })),
      next: more ? slice.at(-1) : undefined,
    };
  };
  return { read, reads: () => reads };
}

async function collect(parts: string[][], keep: (k: string) => boolean, limit: number, descending = false) {
  const { read } = partitionsOf(parts, keep, descending);
  const pages: string[][] = [];
  let position: MergePosition | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const page = await mergePartitions(parts.length, read, position, limit, { descending, maxRounds: 2 });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items);
    // Round-trips through JSON and its schema like a cursor does.
    position =
      page.position && MergePositionSchema(parts.length).parse(JSON.parse(JSON.stringify(page.position)));
    if (!position) return pages;
  }
  throw new Error('paging did not end');
}

const uniqueKeys = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 60 });

describe('mergePartitions', () => {
  it('pages through every partition in order, without loss or repeats, whatever the filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        uniqueKeys,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.boolean(),
        async (keys, n, limit, descending, filtered) => {
          const parts: string[][] = Array.from({ length: n }, () => []);
          for (const [i, k] of keys.entries()) parts[i % n]?.push(k);
          const keep = (k: string) => !filtered || k.charCodeAt(0) % 3 !== 0;
          const pages = await collect(parts, keep, limit, descending);
          const expected = keys
            .filter(keep)
            .sort((a, b) => (descending ? b.localeCompare(a) : a.localeCompare(b)));
          expect(pages.flat()).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fills a page across statuses in deadline order', async () => {
    const pages = await collect([['a', 'd', 'e'], ['b', 'c'], []], () => true, 2);
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('applies the filter before the limit: a full page even when most items are filtered out', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const { read } = partitionsOf([keys], (k) => k.endsWith('9'), false);
    const page = await mergePartitions(1, read, undefined, 3, { maxRounds: 20 });
    expect(page.items).toEqual(['k09', 'k19', 'k29']);
  });
});

describe('cursors', () => {
  const key = 'test-key-test-key-test-key-test-key-0001';
  const scope = { callerId: 'user-1', query: queryScope('queue', { view: 'all', status: 'CLOSED' }) };
  const parse = (p: unknown) => MergePositionSchema(1).parse(p);
  const token = sealCursor(key, scope, ['2026-01-01T00:00:00.000Z#abc']);

  it('round-trips for the same caller and query', () => {
    expect(openCursor(key, scope, token, parse)).toEqual(['2026-01-01T00:00:00.000Z#abc']);
    expect(openCursor(key, scope, undefined, parse)).toBeUndefined();
  });

  it('binds the query regardless of parameter order', () => {
    expect(queryScope('queue', { status: 'CLOSED', view: 'all', line: undefined })).toBe(scope.query);
  });

  it.each([
    ['another caller', key, { ...scope, callerId: 'user-2' }, token],
    ['another query', key, { ...scope, query: queryScope('queue', { view: 'all', status: 'PAID' }) }, token],
    ['another key', `${key}x`, scope, token],
    [
      'an edited payload',
      key,
      scope,
      `${Buffer.from(JSON.stringify({ v: 1, p: ['z'] })).toString('base64url')}.${token.split('.')[1]}`,
    ],
    ['no signature', key, scope, 'e30'],
    ['2 KB of junk', key, scope, 'A'.repeat(2048)],
    ['bad characters', key, scope, 'a b.c'],
  ])('refuses %s with INVALID_CURSOR', (_, k, s, t) => {
    expect(() => openCursor(k, s, t, parse)).toThrowError(InvalidCursorError);
    try {
      openCursor(k, s, t, parse);
    } catch (e) {
      expect((e as InvalidCursorError).code).toBe('INVALID_CURSOR');
    }
  });

  it('refuses a correctly signed position of the wrong shape', () => {
    const wrong = sealCursor(key, scope, { not: 'a position' });
    expect(() => openCursor(key, scope, wrong, parse)).toThrowError(InvalidCursorError);
  });
});

describe('search normalisation', () => {
  it('compares plates, phones and numbers in one form', () => {
    expect(normaliseKey('30a-123.45')).toBe('30A12345');
    expect(normaliseKey(' 30A 123 45 ')).toBe('30A12345');
    expect(normalisePhone('+84 912 345 678')).toBe('0912345678');
    expect(normalisePhone('0912.345.678')).toBe('0912345678');
    expect(normaliseClaimNumber('bt2026000017')).toBe('BT-2026-000017');
    expect(normaliseClaimNumber('MOT-2026-0001')).toBeUndefined();
  });

  it('guesses the kind of a bare term', () => {
    expect(detectSearchKind('BT-2026-000017')).toBe('number');
    expect(detectSearchKind('0912 345 678')).toBe('phone');
    expect(detectSearchKind('30A-123.45')).toBe('plate');
    expect(detectSearchKind('CUS-0001')).toBe('customer');
    expect(detectSearchKind('MOT-2026-0001')).toBe('policy');
  });
});
