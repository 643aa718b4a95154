import { describe, expect, it } from 'vitest';
import { policyDirectoryEntries } from '../../lambdas/core/customer-directory.ts';
import { endorsementsFromVersions } from '../../lambdas/core/fraud/features.ts';
import { POLICY_LIMITS, type Policy } from '../../lambdas/core/policy.ts';
import { type PolicyFileItem, readPolicyFile } from '../../lambdas/core/policy-file-reader.ts';
import { policyFromJsonLine, withVersionChanges } from '../../lambdas/core/policy-import.ts';
import { CAUSES } from '../../lambdas/core/products.ts';
import { makePolicy } from '../helpers/factories.ts';
import { csvFile, motorRow } from '../helpers/policy-files.ts';

async function items(text: string) {
  const out: PolicyFileItem[] = [];
  async function* one() {
    yield Buffer.from(text);
  }
  for await (const item of readPolicyFile('csv', one())) out.push(item);
  return out;
}
const errorsOf = (list: PolicyFileItem[]) =>
  list.flatMap((i) => (i.kind === 'rejected' ? i.errors.map((e) => [e.line, e.code, e.field]) : []));

describe('bounds on a policy row', () => {
  it('turns an oversized value into that row’s INVALID_FIELD and reads the rows after it', async () => {
    const file = csvFile([
      motorRow('P-0001', 'C1', { holder_name: 'Nguyễn '.repeat(400) }), // line 2: 2,800 characters
      motorRow('P-0002', 'C1', { customer_id: `C-${'9'.repeat(80)}` }), // line 3
      motorRow('P-0003', 'C1', { vehicle_plate: '30A-123.45'.repeat(3) }), // line 4
      motorRow('P-0004', 'C1', { address: 'Hà Nội '.repeat(100) }), // line 5
      motorRow('P-0005', 'C1'), // line 6: first cover row …
      motorRow('P-0005', 'C1', { cover_code: 'GLASS', cover_name_vi: 'Kính '.repeat(60) }), // line 7
      motorRow('P-0006', 'C1', { add_ons: Array.from({ length: 21 }, (_, i) => `a${i}`).join(';') }),
      motorRow('P-0007', 'C1', { holder_name: 'Trần'.padEnd(POLICY_LIMITS.name, 'x') }), // line 9: at the limit
    ]);
    const list = await items(file);
    expect(errorsOf(list)).toEqual([
      [2, 'INVALID_FIELD', 'holderName'],
      [3, 'INVALID_FIELD', 'customerId'],
      [4, 'INVALID_FIELD', 'insuredObject.vehiclePlate'],
      [5, 'INVALID_FIELD', 'insuredObject.address'],
      [7, 'INVALID_FIELD', 'covers.1.name.vi'],
      [8, 'INVALID_FIELD', 'addOns'],
    ]);
    expect(list.flatMap((i) => (i.kind === 'policy' ? [i.policy.policyNumber] : []))).toEqual(['P-0007']);
  });

  it('caps the covers of a JSON line as the CSV caps its cover rows', () => {
    const p = makePolicy({ policyNumber: 'P-0008' });
    const cover = p.covers[0] as Policy['covers'][number];
    const many = { ...p, covers: Array.from({ length: 51 }, (_, i) => ({ ...cover, code: `C${i}` })) };
    const r = policyFromJsonLine(JSON.stringify(many), 4);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => [e.line, e.code, e.field])).toEqual([[4, 'INVALID_FIELD', 'covers']]);
  });

  it('keeps the largest allowed version within DynamoDB’s key and item sizes', () => {
    const long = (n: number) => 'Ỹ'.repeat(n); // 3 bytes in UTF-8
    const p = makePolicy({
      policyNumber: 'P'.repeat(40),
      customerId: long(POLICY_LIMITS.customerId),
      holderName: long(POLICY_LIMITS.name),
      addOns: Array.from({ length: POLICY_LIMITS.addOns }, () => long(POLICY_LIMITS.addOnCode)),
      covers: Array.from({ length: POLICY_LIMITS.covers }, (_, i) => ({
        code: `${i}`.padEnd(POLICY_LIMITS.coverCode, 'C'),
        name: { vi: long(POLICY_LIMITS.name), en: long(POLICY_LIMITS.name) },
        causes: [...CAUSES],
        sumInsured: Number.MAX_SAFE_INTEGER,
        subLimit: Number.MAX_SAFE_INTEGER,
        deductible: { fixed: 1, percentBps: 1, minimum: 1, waivedOnTotalLoss: true },
      })),
      insuredObject: {
        vehiclePlate: long(POLICY_LIMITS.plate),
        vehicleMakeModel: long(POLICY_LIMITS.name),
        address: long(POLICY_LIMITS.address),
        insuredPersons: Array.from({ length: POLICY_LIMITS.insuredPersons }, () => long(POLICY_LIMITS.name)),
        destination: long(POLICY_LIMITS.name),
      },
    });
    expect(policyFromJsonLine(JSON.stringify(p), 1).ok).toBe(true);
    // The item is the policy plus keys and bookkeeping (a few hundred bytes): far below 400 KB.
    expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(250_000);
    for (const e of policyDirectoryEntries(p)) {
      expect(Buffer.byteLength(`FIND#${e.kind.toUpperCase()}#${e.value}`)).toBeLessThan(2048);
    }
  });
});

describe('changes between versions', () => {
  const v1 = makePolicy({ policyNumber: 'P-1', version: 1 });
  const cover = v1.covers[0] as Policy['covers'][number];
  const at = (p: Policy, version: number, sumInsured: number, changeEffectiveAt: string): Policy => ({
    ...p,
    version,
    changeType: 'endorsement',
    changeEffectiveAt,
    covers: [{ ...cover, sumInsured }],
  });
  const first = { ...v1, covers: [{ ...cover, sumInsured: 300_000_000 }] };
  const raised = at(v1, 2, 900_000_000, '2026-06-01T00:00:00+07:00');

  it('compares each version with the one before it, whatever order they were stored in', () => {
    // Version 2's file came first: stored as current with nothing before it; version 1 came later.
    const stored = [{ policy: raised }, { policy: first }];
    const read = withVersionChanges(stored);
    expect(read.map((v) => [v.policy.version, v.changes])).toEqual([
      [1, []],
      [2, [{ field: 'sumInsured', cover: 'OD', from: 300_000_000, to: 900_000_000 }]],
    ]);
    expect(
      endorsementsFromVersions(
        read.map((v) => ({
          version: v.policy.version,
          changeType: v.policy.changeType,
          changeEffectiveAt: v.policy.changeEffectiveAt,
          changes: v.changes,
        })),
        ['OD'],
      ),
    ).toEqual([{ at: '2026-06-01T00:00:00+07:00', kind: 'sum_insured_increase' }]);
  });

  it('a version filled in between two others splits what changed between them', () => {
    const v3 = at(v1, 3, 900_000_000, '2026-07-01T00:00:00+07:00');
    const v2 = at(v1, 2, 500_000_000, '2026-06-01T00:00:00+07:00');
    const before = withVersionChanges([{ policy: first }, { policy: v3 }]);
    expect(before[1]?.changes).toEqual([
      { field: 'sumInsured', cover: 'OD', from: 300_000_000, to: 900_000_000 },
    ]);
    const after = withVersionChanges([{ policy: first }, { policy: v3 }, { policy: v2 }]);
    expect(after.map((v) => v.changes)).toEqual([
      [],
      [{ field: 'sumInsured', cover: 'OD', from: 300_000_000, to: 500_000_000 }],
      [{ field: 'sumInsured', cover: 'OD', from: 500_000_000, to: 900_000_000 }],
    ]);
  });
});
