import { describe, expect, it } from 'vitest';
import { type Adjuster, assignClaim, normalizeProvince } from '../../lambdas/core/assignment.ts';

const makeAdjuster = (overrides: Partial<Adjuster> = {}): Adjuster => ({
  staffId: 'ADJ-001',
  name: 'Nguyễn Văn An',
  skills: ['motor'],
  regions: ['Hà Nội'],
  openClaims: 5,
  authorityLimit: 200_000_000,
  active: true,
  ...overrides,
});

const claim = { line: 'motor' as const, province: 'Hà Nội', reserveAmount: 30_000_000 };

describe('normalizeProvince', () => {
  it.each([
    ['Hà Nội', 'ha noi'],
    ['  HÀ   NỘI ', 'ha noi'],
    ['TP. Hồ Chí Minh', 'ho chi minh'],
    ['Thành phố Hồ Chí Minh', 'ho chi minh'],
    ['tp ho chi minh', 'ho chi minh'],
    ['Tỉnh Đắk Lắk', 'dak lak'],
    ['ĐÀ NẴNG', 'da nang'],
    ['Thừa Thiên Huế', 'thua thien hue'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeProvince(input)).toBe(expected);
  });

  it('matches decomposed (NFD) input the same as composed', () => {
    expect(normalizeProvince('Hà Nội'.normalize('NFD'))).toBe(normalizeProvince('Hà Nội'.normalize('NFC')));
  });
});

describe('assignClaim', () => {
  it('picks the lowest workload among qualified local adjusters and says why', () => {
    const team = [
      makeAdjuster({ staffId: 'ADJ-001', openClaims: 7 }),
      makeAdjuster({ staffId: 'ADJ-002', openClaims: 3, regions: ['ha noi', 'Bắc Ninh'] }),
      makeAdjuster({ staffId: 'ADJ-003', openClaims: 4, regions: ['HÀ NỘI'] }),
      makeAdjuster({ staffId: 'ADJ-004', openClaims: 0, active: false }),
      makeAdjuster({ staffId: 'ADJ-005', openClaims: 0, skills: ['health'] }),
      makeAdjuster({ staffId: 'ADJ-006', openClaims: 0, regions: ['Hải Phòng'] }),
    ];
    const a = assignClaim(team, claim);
    expect(a).toMatchObject({
      kind: 'adjuster',
      staffId: 'ADJ-002',
      reason: { code: 'LOWEST_LOAD', params: { candidates: 3, openClaims: 3, regionFallback: false } },
    });
    expect(a.reasonText.en).toBe('motor, Hà Nội, lowest load among 3 qualified adjusters');
    expect(a.reasonText.vi).toBe(
      'xe cơ giới, Hà Nội, ít hồ sơ đang xử lý nhất trong 3 giám định viên đủ điều kiện',
    );
  });

  it('breaks ties by staffId', () => {
    const team = [makeAdjuster({ staffId: 'ADJ-009' }), makeAdjuster({ staffId: 'ADJ-002' })];
    expect(assignClaim(team, claim)).toMatchObject({ staffId: 'ADJ-002' });
  });

  it('falls back to any region when nobody covers the province, and records it', () => {
    const team = [
      makeAdjuster({ staffId: 'ADJ-010', regions: ['Hải Phòng'], openClaims: 2 }),
      makeAdjuster({ staffId: 'ADJ-011', regions: ['Quảng Ninh'], openClaims: 1 }),
    ];
    const a = assignClaim(team, { ...claim, province: 'Cao Bằng' });
    expect(a).toMatchObject({
      kind: 'adjuster',
      staffId: 'ADJ-011',
      reason: { code: 'LOWEST_LOAD_ANY_REGION', params: { regionFallback: true, candidates: 2 } },
    });
    expect(a.reasonText.en).toBe(
      'motor, Cao Bằng (no local adjuster; any region), lowest load among 2 qualified adjusters',
    );
  });

  it('skips adjusters whose authority is below the reserve', () => {
    const team = [
      makeAdjuster({ staffId: 'ADJ-001', openClaims: 0, authorityLimit: 20_000_000 }),
      makeAdjuster({ staffId: 'ADJ-002', openClaims: 9, authorityLimit: 30_000_000 }),
    ];
    const a = assignClaim(team, claim);
    expect(a).toMatchObject({ kind: 'adjuster', staffId: 'ADJ-002', reason: { params: { candidates: 1 } } });
    expect(a.reasonText.en).toBe('motor, Hà Nội, lowest load among 1 qualified adjuster');
  });

  it('sends the claim to the supervisors when no local adjuster has the authority', () => {
    const team = [
      makeAdjuster({ staffId: 'ADJ-001', authorityLimit: 100_000_000 }),
      makeAdjuster({ staffId: 'ADJ-002', authorityLimit: 150_000_000 }),
      // Enough authority, but in another province: local adjusters exist, so no regional fallback.
      makeAdjuster({ staffId: 'ADJ-003', authorityLimit: 1_000_000_000, regions: ['Hải Phòng'] }),
    ];
    const a = assignClaim(team, { ...claim, reserveAmount: 500_000_000 });
    expect(a).toMatchObject({
      kind: 'queue',
      queue: 'supervisors',
      reason: {
        code: 'RESERVE_ABOVE_AUTHORITY',
        params: { maxAuthority: 150_000_000, reserve: 500_000_000 },
      },
    });
    expect(a.reasonText.en).toBe(
      'motor, Hà Nội: reserve VND 500,000,000 exceeds the authority of all 2 qualified adjusters (highest VND 150,000,000)',
    );
  });

  it('sends the claim to the supervisors when nobody active has the skill', () => {
    const team = [makeAdjuster({ skills: ['property'] }), makeAdjuster({ active: false })];
    expect(assignClaim(team, claim)).toMatchObject({
      kind: 'queue',
      queue: 'supervisors',
      reason: { code: 'NO_QUALIFIED_ADJUSTER' },
    });
    expect(assignClaim([], claim)).toMatchObject({
      kind: 'queue',
      reason: { code: 'NO_QUALIFIED_ADJUSTER' },
    });
  });

  it('accepts a reserve exactly at the authority limit', () => {
    const team = [makeAdjuster({ authorityLimit: 30_000_000 })];
    expect(assignClaim(team, claim)).toMatchObject({ kind: 'adjuster', staffId: 'ADJ-001' });
  });
});
