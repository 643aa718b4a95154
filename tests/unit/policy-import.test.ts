import { describe, expect, it } from 'vitest';
import { type PolicyFileItem, readPolicyFile, splitLines } from '../../lambdas/core/policy-file-reader.ts';
import {
  checkCsvHeader,
  CSV_COLUMNS,
  duplicateJsonKey,
  planPolicyWrite,
  policyChanges,
  policyContentHash,
  readBudgetMs,
} from '../../lambdas/core/policy-import.ts';
import { makePolicy } from '../helpers/factories.ts';
import { csvFile, motorRow } from '../helpers/policy-files.ts';

async function* chunks(text: string, size: number) {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function all(format: 'csv' | 'jsonl', text: string, after = 0, chunk = 7) {
  const out: PolicyFileItem[] = [];
  for await (const item of readPolicyFile(format, chunks(text, chunk), after)) out.push(item);
  return out;
}

describe('splitLines', () => {
  it('splits across chunk boundaries, CRLF and multi-byte characters, and skips over-long lines', async () => {
    const lines = [];
    for await (const l of splitLines(chunks('Nguyễn\r\n' + 'x'.repeat(50) + '\nlast', 3), 20)) lines.push(l);
    expect(lines).toEqual([
      { line: 1, text: 'Nguyễn' },
      { line: 2, tooLong: true },
      { line: 3, text: 'last' },
    ]);
  });
});

describe('readPolicyFile (CSV)', () => {
  const file = csvFile([
    motorRow('P-0001', 'C1'),
    motorRow('P-0001', 'C1', { cover_code: 'GLASS', cover_causes: 'glass_breakage', sum_insured: 1 }),
    'broken,"quote',
    motorRow('P-0002', 'C1'),
  ]);

  it('groups cover rows, releases a bad line met inside a policy after it, and checkpoints between policies', async () => {
    const items = await all('csv', file);
    expect(items.map((i) => [i.kind, i.rows, i.checkpoint])).toEqual([
      ['policy', 2, 4],
      ['rejected', 1, 4],
      ['policy', 1, Number.MAX_SAFE_INTEGER - 1],
    ]);
    const first = items[0];
    expect(first?.kind === 'policy' && first.policy.covers.map((c) => c.code)).toEqual(['OD', 'GLASS']);
  });

  it('reads each cover’s own insured value (cover_insured_value), blank meaning none', async () => {
    const property = csvFile([
      motorRow('P-0003', 'C1', {
        product_code: 'PROPERTY_FIRE',
        insured_value: 2_500_000_000,
        cover_code: 'BUILDING',
        cover_causes: 'fire',
        sum_insured: 2_000_000_000,
        cover_insured_value: 2_000_000_000,
      }),
      motorRow('P-0003', 'C1', {
        product_code: 'PROPERTY_FIRE',
        insured_value: 2_500_000_000,
        cover_code: 'CONTENTS',
        cover_causes: 'fire',
        sum_insured: 500_000_000,
      }),
    ]);
    const [item] = await all('csv', property);
    expect(item?.kind === 'policy' && item.policy.covers.map((c) => [c.code, c.insuredValue])).toEqual([
      ['BUILDING', 2_000_000_000],
      ['CONTENTS', undefined],
    ]);
  });

  it('resumes after a checkpoint without reading the rows before it again', async () => {
    const items = await all('csv', file, 4);
    expect(items.map((i) => (i.kind === 'policy' ? i.policy.policyNumber : i.kind))).toEqual(['P-0002']);
  });
});

describe('input that would be read silently wrong', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  async function* once(b: Buffer) {
    yield b;
  }
  const read = async (format: 'csv' | 'jsonl', b: Buffer) => {
    const out: PolicyFileItem[] = [];
    for await (const item of readPolicyFile(format, once(b))) out.push(item);
    return out;
  };

  it('refuses a CSV header that names a column twice (which one a row means cannot be known)', async () => {
    const header = [...CSV_COLUMNS, 'sum_insured'];
    expect(checkCsvHeader(header)).toMatchObject({ line: 1, code: 'DUPLICATE_COLUMNS' });
    const items = await read('csv', Buffer.from(`${header.join(',')}\n`));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({ code: 'DUPLICATE_COLUMNS' }),
      }),
    ]);
    // Case and spaces do not make two columns different.
    expect(
      checkCsvHeader([...CSV_COLUMNS.filter((c) => c !== 'premium'), 'premium', 'premium']),
    ).toMatchObject({
      code: 'DUPLICATE_COLUMNS',
      message: expect.stringContaining('premium'),
    });
  });

  it('reports a CSV line that is not UTF-8 as that line’s error and keeps every other row', async () => {
    const [header, first, second] = csvFile([motorRow('P-0001', 'C1'), motorRow('P-0002', 'C1')]).split('\n');
    // "Nguy\xE1n" is Latin-1, not UTF-8: it used to be stored as "Nguy\uFFFDn".
    const bad = (first as string).replace('P-0001', 'P-0009').replace('Nguyễn Văn Nhập', 'Nguy\u0000n');
    const [pre, post] = bad.split('\u0000') as [string, string];
    const file = bytes(`${header}\n${first}\n`, pre, [0xe1], `${post}\n${second}\n`);
    const items = await read('csv', file);
    expect(
      items.map((i) => (i.kind === 'policy' ? i.policy.policyNumber : i.kind === 'rejected' ? i.errors : i)),
    ).toEqual(['P-0001', [{ line: 3, code: 'INVALID_ENCODING', message: expect.any(String) }], 'P-0002']);
    // A header that is not UTF-8 fails the file with that reason.
    const badHeader = await read('csv', bytes('policy_number', [0xff], '\n'));
    expect(badHeader).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({ code: 'INVALID_ENCODING' }),
      }),
    ]);
  });

  it('reports a JSON line that is not UTF-8, or names a key twice, and keeps the other lines', async () => {
    const good = JSON.stringify({ ...makePolicy({ policyNumber: 'P-0001' }) });
    const twice = good.replace('"premium":9800000', '"premium":9800000,"premium":1');
    const nested = good.replace('"sumInsured":650000000', '"sumInsured":650000000,"sumInsured":900000000');
    const file = bytes(`${good}\n`, '{"policyNumber":"P-', [0xc3, 0x28], '"}\n', `${twice}\n${nested}\n`);
    const items = await read('jsonl', file);
    expect(
      items.map((i) => (i.kind === 'policy' ? i.policy.policyNumber : i.kind === 'rejected' ? i.errors : i)),
    ).toEqual([
      'P-0001',
      [{ line: 2, code: 'INVALID_ENCODING', message: expect.any(String) }],
      [expect.objectContaining({ line: 3, code: 'DUPLICATE_KEY', field: 'premium', policyNumber: 'P-0001' })],
      [expect.objectContaining({ line: 4, code: 'DUPLICATE_KEY', field: 'covers.sumInsured' })],
    ]);
  });

  it('finds a key named twice in one object only, after unescaping', () => {
    expect(duplicateJsonKey('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}')).toBeUndefined();
    expect(duplicateJsonKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(duplicateJsonKey('{"x":"a\\":","y":{"k":1, "k" :2}}')).toBe('y.k');
    expect(duplicateJsonKey('{"l":[{"k":1,"k":2}]}')).toBe('l.k');
  });
});

describe('planPolicyWrite', () => {
  const v1 = makePolicy({ policyNumber: 'P-1' });
  const h1 = policyContentHash(v1);
  const stored = { version: 1, contentHash: h1, customerId: v1.customerId };
  it('creates, replaces with a newer version, and recognises the same version', () => {
    expect(planPolicyWrite(undefined, v1, h1).kind).toBe('create');
    expect(planPolicyWrite(stored, { ...v1, version: 2 }, 'other').kind).toBe('replace');
    expect(planPolicyWrite(stored, v1, h1).kind).toBe('unchanged');
  });
  it('refuses a rewritten version and another customer’s policy number', () => {
    expect(planPolicyWrite(stored, { ...v1, premium: 1 }, 'other')).toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    expect(planPolicyWrite(stored, { ...v1, customerId: 'X', version: 2 }, 'x')).toMatchObject({
      code: 'CUSTOMER_MISMATCH',
    });
  });
  it('refuses a version that skips numbers: a poisoned 99,999 cannot freeze the policy', () => {
    expect(planPolicyWrite(stored, { ...v1, version: 3 }, 'x')).toMatchObject({
      kind: 'reject',
      code: 'VERSION_GAP',
    });
    expect(planPolicyWrite(stored, { ...v1, version: 99_999 }, 'x')).toMatchObject({ code: 'VERSION_GAP' });
    // The real version 2 (a cancellation) still replaces version 1 afterwards.
    expect(planPolicyWrite(stored, { ...v1, version: 2, status: 'cancelled' }, 'c').kind).toBe('replace');
  });
  it('refuses an older version that is not stored, and recognises one that is (idempotent re-import)', () => {
    const v3 = { version: 3, contentHash: 'h3', customerId: v1.customerId };
    expect(planPolicyWrite(v3, v1, h1)).toMatchObject({ kind: 'reject', code: 'VERSION_OUT_OF_ORDER' });
    expect(planPolicyWrite(v3, v1, h1, h1).kind).toBe('unchanged');
    expect(planPolicyWrite(v3, v1, h1, 'other')).toMatchObject({ code: 'VERSION_CONFLICT' });
  });
  it('starts a policy never seen at the version the policy system gives it', () => {
    expect(planPolicyWrite(undefined, { ...v1, version: 7 }, 'x').kind).toBe('create');
  });
});

describe('policyChanges', () => {
  it('records a cancellation, a changed sum insured and a changed address', () => {
    const before = makePolicy({ insuredObject: { address: 'A' } });
    const cover = before.covers[0] as (typeof before.covers)[number];
    const after = makePolicy({
      status: 'cancelled',
      insuredObject: { address: 'B' },
      covers: [{ ...cover, sumInsured: cover.sumInsured - 1 }],
    });
    expect(policyChanges(before, after)).toEqual([
      { field: 'status', from: 'in_force', to: 'cancelled' },
      { field: 'address', from: 'A', to: 'B' },
      { field: 'sumInsured', cover: cover.code, from: cover.sumInsured, to: cover.sumInsured - 1 },
    ]);
  });

  it('records every field a payout depends on: start, deductible, causes, insured value, add-ons, contacts', () => {
    // The audit's example: a start dated back, no deductible, a higher insured value, a new-for-old
    // add-on and a new registered contact were all stored as "no change".
    const before = makePolicy({ contacts: [{ email: 'an@example.vn' }] });
    const cover = before.covers[0] as (typeof before.covers)[number];
    const after = makePolicy({
      effectiveFrom: '2025-11-01T00:00:00+07:00',
      insuredValue: 900_000_000,
      addOns: ['new_for_old'],
      contacts: [{ email: 'attacker@example.com' }],
      covers: [
        { ...cover, causes: [...cover.causes, 'storm'], deductible: { fixed: 0, waivedOnTotalLoss: true } },
      ],
    });
    expect(policyChanges(before, after)).toEqual([
      { field: 'effectiveFrom', from: '2026-01-01T00:00:00+07:00', to: '2025-11-01T00:00:00+07:00' },
      { field: 'insuredValue', from: 650_000_000, to: 900_000_000 },
      { field: 'addOns', to: 'new_for_old' },
      { field: 'contacts', from: 'an@example.vn', to: 'attacker@example.com' },
      {
        field: 'causes',
        cover: 'OD',
        from: 'collision;theft;fire;flood',
        to: 'collision;theft;fire;flood;storm',
      },
      {
        field: 'deductible',
        cover: 'OD',
        from: 'minimum=500000;percentBps=1000;waivedOnTotalLoss=true',
        to: 'fixed=0;waivedOnTotalLoss=true',
      },
    ]);
    // A deductible's keys in another order (as a stored map may come back) is no change.
    const reordered = makePolicy({
      covers: [{ ...cover, deductible: { waivedOnTotalLoss: true, minimum: 500_000, percentBps: 1000 } }],
    });
    expect(policyChanges(makePolicy(), reordered)).toEqual([]);
  });

  it('records a change of a cover’s own insured value', () => {
    const before = makePolicy();
    const cover = before.covers[0] as (typeof before.covers)[number];
    const after = makePolicy({ covers: [{ ...cover, insuredValue: 700_000_000 }] });
    expect(policyChanges(before, after)).toEqual([{ field: 'insuredValue', cover: 'OD', to: 700_000_000 }]);
  });
});

it('keeps a reserve of a fifth of the time, between 5 and 60 s', () => {
  expect(readBudgetMs(900_000)).toBe(840_000);
  expect(readBudgetMs(30_000)).toBe(24_000);
  expect(readBudgetMs(10_000)).toBe(5_000);
});
