import { describe, expect, it } from 'vitest';
import {
  changesAfterLoss,
  coverWidening,
  currentIsAtLoss,
  effectiveInstant,
  versionAtLoss,
} from '../../lambdas/core/policy-at-loss.ts';
import type { Policy } from '../../lambdas/core/policy.ts';
import { makePolicy } from '../helpers/factories.ts';

// The audit's reproduction: loss on 1 December under version 1 (collision only, 100M); the feed
// sends version 2 on 3 December (an endorsement effective that day) adding flood and 500M.
const od = makePolicy().covers[0]!;
const v1 = makePolicy({
  effectiveFrom: '2026-06-01T00:00:00+07:00',
  effectiveTo: '2027-05-31T23:59:59+07:00',
  covers: [{ ...od, causes: ['collision'], sumInsured: 100_000_000 }],
});
const v2: Policy = {
  ...v1,
  version: 2,
  changeType: 'endorsement',
  changeEffectiveAt: '2026-12-03T00:00:00+07:00',
  covers: [{ ...od, causes: ['collision', 'flood'], sumInsured: 500_000_000 }],
};
const lossAt = '2026-12-01T10:00:00+07:00';
const before = '2026-11-01T03:00:00.000Z';
const after = '2026-12-03T02:00:00.000Z';

describe('currentIsAtLoss (filing reads the other versions only when it says no)', () => {
  it('takes the current version when it was in force and recorded by the loss', () => {
    expect(currentIsAtLoss({ policy: v1, recordedAt: before }, lossAt)).toBe(true);
    // Demo data and versions written before recording times were kept.
    expect(currentIsAtLoss({ policy: v1 }, lossAt)).toBe(true);
  });

  it('reads the versions when the current one was recorded after the loss or takes effect after it', () => {
    expect(currentIsAtLoss({ policy: v1, recordedAt: after }, lossAt)).toBe(false);
    expect(currentIsAtLoss({ policy: v2, recordedAt: before }, lossAt)).toBe(false);
    expect(currentIsAtLoss(undefined, lossAt)).toBe(false);
  });

  it('agrees with versionAtLoss whenever it answers yes', () => {
    const versions = [
      { policy: v1, recordedAt: before },
      { policy: v2, recordedAt: after },
    ];
    for (const at of [lossAt, '2026-12-04T00:00:00+07:00', '2027-01-10T00:00:00+07:00']) {
      if (currentIsAtLoss(versions[1], at)) expect(versionAtLoss(versions, at)?.policy.version).toBe(2);
    }
    expect(currentIsAtLoss(versions[1], '2027-01-10T00:00:00+07:00')).toBe(true);
  });
});

describe('versionAtLoss', () => {
  it('pins the version in force at the loss, not the one current when the claim is filed', () => {
    const versions = [
      { policy: v1, recordedAt: before },
      { policy: v2, recordedAt: after },
    ];
    expect(versionAtLoss(versions, lossAt)?.policy.version).toBe(1);
    expect(versionAtLoss(versions, '2026-12-04T00:00:00+07:00')?.policy.version).toBe(2);
  });

  it('compares instants, not strings: an endorsement at 00:00 +07:00 is in force at 17:30 UTC the day before', () => {
    const v = { ...v2, changeEffectiveAt: '2026-12-02T00:00:00+07:00' };
    // 2026-12-01T17:30Z is 00:30 on 2 December in Vietnam; as strings it sorts before the endorsement.
    expect(versionAtLoss([{ policy: v1 }, { policy: v }], '2026-12-01T17:30:00Z')?.policy.version).toBe(2);
    expect(versionAtLoss([{ policy: v1 }, { policy: v }], '2026-12-01T16:30:00Z')?.policy.version).toBe(1);
  });

  it('takes a version without a change date from its period start, and the first version for a loss before the policy', () => {
    const renewal: Policy = {
      ...v1,
      version: 2,
      changeType: 'renewal',
      effectiveFrom: '2027-06-01T00:00:00+07:00',
      effectiveTo: '2028-05-31T23:59:59+07:00',
    };
    expect(effectiveInstant(renewal)).toBe(Date.parse('2027-06-01T00:00:00+07:00'));
    const versions = [{ policy: renewal }, { policy: v1 }];
    expect(versionAtLoss(versions, '2027-07-01T00:00:00+07:00')?.policy.version).toBe(2);
    expect(versionAtLoss(versions, lossAt)?.policy.version).toBe(1);
    expect(versionAtLoss(versions, '2026-01-01T00:00:00+07:00')?.policy.version).toBe(1);
    expect(versionAtLoss([], lossAt)).toBeUndefined();
  });
});

describe('coverWidening', () => {
  it('names each way a version pays more: cover, causes, sums, limits, deductibles, period, value, add-ons', () => {
    const widened: Policy = {
      ...v1,
      effectiveFrom: '2026-05-01T00:00:00+07:00',
      insuredValue: 900_000_000,
      addOns: ['new_for_old'],
      covers: [
        {
          ...od,
          causes: ['collision', 'flood'],
          sumInsured: 500_000_000,
          deductible: { fixed: 0, waivedOnTotalLoss: true },
        },
        { ...od, code: 'GLASS', causes: ['glass_breakage'] },
      ],
    };
    expect(coverWidening(v1, widened, lossAt)).toEqual([
      'causes:OD',
      'sumInsured:OD',
      'deductible:OD',
      'cover:GLASS',
      'effectiveFrom',
      'insuredValue',
      'addOns',
    ]);
  });

  it('finds nothing in a narrowing, and counts a later end only when it brings the loss into the period', () => {
    const narrower: Policy = { ...v1, covers: [{ ...od, causes: ['collision'], sumInsured: 50_000_000 }] };
    expect(coverWidening(v1, narrower, lossAt)).toEqual([]);
    const ended: Policy = { ...v1, effectiveTo: '2026-11-30T23:59:59+07:00' };
    const extended: Policy = { ...ended, version: 2, effectiveTo: '2027-05-31T23:59:59+07:00' };
    expect(coverWidening(ended, extended, lossAt)).toEqual(['effectiveTo']);
    expect(coverWidening(ended, extended, '2026-11-15T00:00:00+07:00')).toEqual([]);
    const cancelled: Policy = { ...v1, status: 'cancelled' };
    expect(coverWidening(cancelled, { ...v1, version: 2 }, lossAt)).toEqual(['status']);
  });

  it('counts a change of a cover’s own value either way (the average clause’s denominator)', () => {
    const own = v1.covers[0]!;
    const valued: Policy = { ...v1, covers: [{ ...own, insuredValue: 800_000_000 }] };
    expect(coverWidening(v1, valued, lossAt)).toEqual(['insuredValue:OD']);
    const lowered: Policy = { ...v1, covers: [{ ...own, insuredValue: 400_000_000 }] };
    expect(coverWidening(valued, lowered, lossAt)).toEqual(['insuredValue:OD']);
  });
});

describe('changesAfterLoss', () => {
  it('reports a version recorded after the loss that widens cover', () => {
    expect(
      changesAfterLoss(
        [
          { policy: v1, recordedAt: before },
          { policy: v2, recordedAt: after },
        ],
        lossAt,
      ),
    ).toEqual([{ version: 2, recordedAt: after, changes: ['causes:OD', 'sumInsured:OD'] }]);
  });

  it('reports new business first recorded after the loss (a start dated back)', () => {
    expect(changesAfterLoss([{ policy: v1, recordedAt: after }], lossAt)).toEqual([
      { version: 1, recordedAt: after, changes: ['new'] },
    ]);
  });

  it('leaves alone changes recorded before the loss, narrowing ones after it, and versions with no recording time', () => {
    const narrower: Policy = { ...v2, covers: [{ ...od, causes: ['collision'], sumInsured: 50_000_000 }] };
    expect(
      changesAfterLoss(
        [
          { policy: v1, recordedAt: before },
          { policy: v2, recordedAt: '2026-11-30T00:00:00.000Z' },
          { policy: { ...narrower, version: 3 }, recordedAt: after },
        ],
        lossAt,
      ),
    ).toEqual([]);
    expect(changesAfterLoss([{ policy: v1 }, { policy: v2 }], lossAt)).toEqual([]);
  });
});
