import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hotKeyLoads,
  NumberBlocks,
  SHARDED,
  STRAIGHT_THROUGH,
  shardOf,
  simulateBurst,
  sustainedClaimsPerSecond,
  TODAY,
  type Workload,
} from '../bench/hot-keys.ts';

/**
 * The `i`-th of a fixed sequence of version-4 UUIDs (claim ids are random UUIDs): SHA-256 of the
 * index, so the spread measured is the same on every run instead of passing or failing by chance.
 */
function claimIdNumber(i: number): string {
  const h = createHash('sha256').update(`claim-${i}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The figures docs/scaling.md quotes, and the properties the sharded design relies on. */
const LOAD: Workload = {
  claimKb: 4,
  saves: STRAIGHT_THROUGH,
  staff: 400,
  staffKb: 0.5,
  roleShare: 0.6,
  instances: 100,
  idempotencyKb: 2,
};

describe('hot keys on paper', () => {
  it('today the SUBMITTED queue partition throttles first, at 111 claims per second', () => {
    const [first] = hotKeyLoads(TODAY, LOAD);
    // Two 4 KB saves in SUBMITTED (8 WCU) + the delete when it leaves (1 WCU): 1,000 / 9.
    // (UNDER_ASSESSMENT takes as much: the intake check's save and the documents' one, + its delete.)
    expect(first?.key).toBe('STATUS#SUBMITTED');
    expect(first?.wcuPerClaim).toBe(9);
    expect(sustainedClaimsPerSecond(TODAY, LOAD)).toBeCloseTo(111.1, 1);
    expect(first?.claimsPerSecondAtLimit).toBeCloseTo(111.1, 1);
  });

  it('reading all 400 staff on every assignment caps auto-assignment at 120 claims per second', () => {
    const staff = hotKeyLoads(TODAY, LOAD).find((k) => k.key === 'STAFF');
    expect(staff?.rcuPerClaim).toBe(25); // 200 KB, eventually consistent
    expect(staff?.claimsPerSecondAtLimit).toBe(120);
  });

  it("Powertools' one IDEMPOTENCY partition takes every submission's two writes: 333 claims per second", () => {
    const idem = (d: typeof TODAY) =>
      hotKeyLoads(d, LOAD).find((k) => k.key === 'IDEMPOTENCY' || k.key.endsWith('(idempotency table)'));
    expect(idem(TODAY)).toMatchObject({ key: 'IDEMPOTENCY', wcuPerClaim: 3 });
    expect(idem(TODAY)?.claimsPerSecondAtLimit).toBeCloseTo(333.3, 1);
    expect(idem(SHARDED)?.claimsPerSecondAtLimit).toBe(Number.POSITIVE_INFINITY);
    // Not the first limit today: the SUBMITTED queue throttles three times earlier.
    expect(sustainedClaimsPerSecond(TODAY, LOAD)).toBeLessThan(idem(TODAY)?.claimsPerSecondAtLimit ?? 0);
  });

  it('the claim-number counter alone would take 1,000 claims per second, 50,000 with blocks of 50', () => {
    const counter = (d: typeof TODAY) => hotKeyLoads(d, LOAD).find((k) => k.key.startsWith('COUNTER'));
    expect(counter(TODAY)?.claimsPerSecondAtLimit).toBe(1000);
    expect(counter(SHARDED)?.claimsPerSecondAtLimit).toBe(50_000);
  });

  it('the sharded design lifts the whole path tenfold', () => {
    expect(sustainedClaimsPerSecond(SHARDED, LOAD)).toBeGreaterThan(
      10 * sustainedClaimsPerSecond(TODAY, LOAD) - 1,
    );
    const burst = (d: typeof TODAY) => simulateBurst(d, LOAD, 500, 60);
    expect(burst(TODAY).throttled).toBeGreaterThan(0);
    expect(burst(SHARDED)).toMatchObject({ served: 30_000, throttled: 0 });
  });

  it('claims spread evenly over the status shards', () => {
    const counts = new Array(10).fill(0) as number[];
    for (let i = 0; i < 50_000; i++) {
      const s = shardOf(claimIdNumber(i), 10);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 5000) / 5000).toBeLessThan(0.05);
    expect(shardOf('3f9c…same-claim', 10)).toBe(shardOf('3f9c…same-claim', 10));
  });

  it('number blocks never hand out a number twice, with instances interleaved', () => {
    const blocks = new NumberBlocks(50);
    const instances = Array.from({ length: 7 }, () => blocks.instance());
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const n = instances[(i * 31) % instances.length]?.nextNumber() as number;
      expect(seen.has(n)).toBe(false);
      seen.add(n);
    }
    expect(blocks.counterWrites).toBeLessThanOrEqual(10_000 / 50 + instances.length);
  });
});
