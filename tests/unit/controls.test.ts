import { describe, expect, it } from 'vitest';
import { assignClaim } from '../../lambdas/core/assignment.ts';
import {
  assertEvidence,
  contactDiffers,
  customerRecipients,
  DEFAULT_SINGLE_ASSESSOR_MAX,
  DocumentsMissingError,
  handlingConflict,
  mailboxKey,
  normalizePhone,
  notificationContact,
  outstandingDocuments,
  sameContact,
  sodFacts,
  sodViolation,
} from '../../lambdas/core/controls.ts';
import { makeClaim } from '../helpers/factories.ts';
import { siuCloserInvolvement } from '../../lambdas/core/fraud/siu.ts';

const waiver = (docType: 'damage_photos' | 'claim_letter') => ({
  docType,
  reason: 'Ảnh do giám định viên chụp tại hiện trường',
  waivedAt: '2026-11-21T03:00:00.000Z',
  waivedBy: { id: 'sup-1', role: 'supervisor' },
});

describe('evidence before money', () => {
  it('lists required documents neither received nor waived', () => {
    const c = makeClaim({ requiredDocuments: ['claim_letter', 'damage_photos'], receivedDocuments: [] });
    expect(outstandingDocuments(c)).toEqual(['claim_letter', 'damage_photos']);
    expect(outstandingDocuments({ ...c, waivers: [waiver('damage_photos')] })).toEqual(['claim_letter']);
    expect(
      outstandingDocuments({ ...c, receivedDocuments: ['claim_letter'], waivers: [waiver('damage_photos')] }),
    ).toEqual([]);
  });

  it('refuses with DOCUMENTS_MISSING and the list', () => {
    const c = makeClaim({
      requiredDocuments: ['claim_letter', 'damage_photos'],
      receivedDocuments: ['claim_letter'],
    });
    try {
      assertEvidence(c);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DocumentsMissingError);
      expect((e as DocumentsMissingError).code).toBe('DOCUMENTS_MISSING');
      expect((e as DocumentsMissingError).details.missing).toEqual(['damage_photos']);
    }
    expect(() => assertEvidence({ ...c, waivers: [waiver('damage_photos')] })).not.toThrow();
  });
});

describe('segregation of duties', () => {
  const staff = [
    {
      userId: 'adj-1',
      email: 'adj1@insurer.vn',
      phone: '0911111111',
      bankAccountFingerprint: 'fp-staff-adj-1',
    },
    { userId: 'sup-1', email: 'sup1@insurer.vn' },
  ];
  const base = makeClaim();

  it('keeps the claim from whoever filed it, or whose contact or account is on it, as its handler', () => {
    const filed = { ...base, filedBy: { id: 'adj-1', role: 'adjuster' } };
    expect(handlingConflict(filed, 'fp-customer-account', staff[0]!)?.reason).toBe('filed');
    expect(handlingConflict(base, 'fp-staff-adj-1', staff[0]!)?.reason).toBe('payout_account');
    const theirs = {
      ...base,
      report: { ...base.report, contact: { email: 'ADJ1@insurer.vn', phone: '0900000000' } },
    };
    expect(handlingConflict(theirs, 'fp-customer-account', staff[0]!)).toMatchObject({
      code: 'SOD_HANDLING_CONFLICT',
      reason: 'contact',
    });
    expect(handlingConflict(filed, 'fp-customer-account', staff[1]!)).toBeUndefined();
  });

  it('refuses the filer, whatever the amount', () => {
    const f = sodFacts(
      { ...base, filedBy: { id: 'adj-1', role: 'adjuster' } },
      staff,
      undefined,
      'fp-customer-account',
    );
    expect(sodViolation(f, 'adj-1', 1)?.code).toBe('SOD_OWN_FILING');
    expect(sodViolation(f, 'sup-1', 1)).toBeUndefined();
  });

  it('refuses everyone when the payout account or the contact is a staff member’s', () => {
    const f = sodFacts(base, staff, undefined, 'fp-staff-adj-1');
    expect(f.payoutAccountOfStaff).toEqual(['adj-1']);
    expect(sodViolation(f, 'sup-1', 1)?.code).toBe('SOD_STAFF_PAYOUT_ACCOUNT');
    const contact = { email: 'x@example.vn', phone: '+84911111111' };
    const g = sodFacts(
      { ...base, report: { ...base.report, contact } },
      staff,
      undefined,
      'fp-customer-account',
    );
    expect(g.contactOfStaff).toEqual(['adj-1']);
    expect(sodViolation(g, 'sup-1', 1)?.code).toBe('SOD_STAFF_CONTACT');
  });

  it("knows a staff member's mailbox and number however the claim writes them", () => {
    // A sub-address, capitals, Gmail's ignored dots, the number with its country code written three ways.
    for (const contact of [
      { email: 'Adj1+claim@Insurer.vn', phone: '0900000000' },
      { email: 'x@example.vn', phone: '(+84) 911 111 111' },
      { email: 'x@example.vn', phone: '0084911111111' },
      { email: 'x@example.vn', phone: '84911111111' },
    ]) {
      const f = sodFacts({ ...base, report: { ...base.report, contact } }, staff, undefined, 'fp-customer');
      expect(f.contactOfStaff, contact.email + contact.phone).toEqual(['adj-1']);
    }
    const gmail = [{ userId: 'g', email: 'nguyen.van.an@gmail.com' }];
    const contact = { email: 'NguyenVanAn+bh@googlemail.com', phone: '0900000000' };
    expect(
      sodFacts({ ...base, report: { ...base.report, contact } }, gmail, undefined, 'fp').contactOfStaff,
    ).toEqual(['g']);
    // Dots matter elsewhere, and a number with no digits matches nothing.
    expect(mailboxKey('an.nguyen@insurer.vn')).not.toBe(mailboxKey('annguyen@insurer.vn'));
    expect(sameContact({ phone: '-' }, { phone: '()' })).toEqual({ email: false, phone: false });
    expect(normalizePhone('+84 912.345-678')).toBe('0912345678');
  });

  it('refuses the lone assessor above the four-eyes amount only', () => {
    const assessed = {
      ...base,
      assessment: {
        input: {},
        payable: { amount: 1, currency: 'VND' as const },
        totalLoss: false,
        steps: [],
        recordedAt: base.submittedAt,
        recordedBy: { id: 'adj-1', role: 'adjuster' },
        method: 'adjuster' as const,
      },
    };
    const f = sodFacts(assessed, staff, undefined, 'fp-customer-account');
    expect(sodViolation(f, 'adj-1', DEFAULT_SINGLE_ASSESSOR_MAX)).toBeUndefined();
    expect(sodViolation(f, 'adj-1', DEFAULT_SINGLE_ASSESSOR_MAX + 1)?.code).toBe('SOD_SINGLE_ASSESSOR');
    expect(sodViolation(f, 'sup-1', DEFAULT_SINGLE_ASSESSOR_MAX + 1)).toBeUndefined();
  });

  it('auto-assignment never picks the filer', () => {
    const adjuster = (staffId: string, openClaims: number) => ({
      staffId,
      name: staffId,
      skills: ['motor' as const],
      regions: ['Cà Mau'],
      openClaims,
      authorityLimit: 100_000_000,
      active: true,
    });
    const team = [adjuster('a', 0), adjuster('b', 5)];
    const claim = { line: 'motor' as const, province: 'Cà Mau', reserveAmount: 1_000_000 };
    expect(assignClaim(team, claim)).toMatchObject({ staffId: 'a' });
    expect(assignClaim(team, { ...claim, excludeStaffIds: ['a'] })).toMatchObject({ staffId: 'b' });
    expect(assignClaim([adjuster('a', 0)], { ...claim, excludeStaffIds: ['a'] })).toMatchObject({
      kind: 'queue',
    });
  });
});

describe('notification contact', () => {
  const registered = { email: 'an.nguyen@example.vn', phone: '0912345678' };
  it('uses the registered contact until the customer confirms the one on the claim', () => {
    const report = { ...makeClaim().report, contact: { email: 'agent@gmail.com', phone: '0912345678' } };
    expect(contactDiffers(report.contact, registered)).toBe(true);
    const c = makeClaim({ report, contactCheck: { status: 'unconfirmed', registered } });
    expect(notificationContact(c)).toEqual(registered);
    const confirmed = { ...c, contactCheck: { status: 'confirmed' as const, registered } };
    expect(notificationContact(confirmed)).toEqual(report.contact);
    expect(contactDiffers({ email: 'AN.NGUYEN@example.vn', phone: '+84912345678' }, registered)).toBe(false);
  });
});

describe("who hears about a customer's claim", () => {
  it('the customer first, then the policy file’s registered contacts, each address and number once', () => {
    const to = customerRecipients({ email: 'an.nguyen@example.vn', phone: '0912345678' }, [
      { email: 'AN.NGUYEN@example.vn', phone: '+84912345678' }, // the customer again, written otherwise
      { email: 'lienhe@example.vn' },
      { phone: '+84912000333' },
      { email: 'lienhe@example.vn', phone: '0912000333' },
    ]);
    expect(to).toEqual({
      emails: ['an.nguyen@example.vn', 'lienhe@example.vn'],
      phones: ['0912345678', '+84912000333'],
    });
  });

  it('with no registered contacts, only the customer', () => {
    expect(customerRecipients({ email: 'chi.le@example.com' }, [])).toEqual({
      emails: ['chi.le@example.com'],
      phones: [],
    });
  });
});

describe('who may close an SIU case', () => {
  const none = { payoutAccountOfStaff: [], contactOfStaff: [] };
  const worked = makeClaim({
    assignee: { staffId: 'u-handler', name: 'Đỗ Minh Hải', role: 'adjuster' },
    filedBy: { id: 'u-phone', role: 'adjuster' },
    waivers: [
      {
        docType: 'police_report',
        reason: 'Không có công an',
        waivedAt: '2026-03-02T02:00:00Z',
        waivedBy: { id: 'u-sup', role: 'supervisor' },
      },
    ],
  });

  it('names every way the closer worked on the claim', () => {
    expect(siuCloserInvolvement(worked, 'u-handler', none)).toEqual(['handler']);
    expect(siuCloserInvolvement({ ...worked, formerAssignees: ['u-before'] }, 'u-before', none)).toEqual([
      'former_handler',
    ]);
    expect(siuCloserInvolvement(worked, 'u-phone', none)).toEqual(['filed']);
    expect(siuCloserInvolvement(worked, 'u-sup', none)).toEqual(['waived']);
    expect(
      siuCloserInvolvement(worked, 'u-own', { payoutAccountOfStaff: ['u-own'], contactOfStaff: [] }),
    ).toEqual(['payout_account']);
  });

  it('counts approving an advance on the claim as working on it', () => {
    const advanced = makeClaim({
      advances: [
        {
          n: 1,
          amount: { amount: 5_000_000, currency: 'VND' },
          note: 'Tạm ứng',
          approvedAt: '2026-03-02T02:00:00Z',
          approvedBy: { id: 'u-adv', role: 'adjuster' },
        },
      ],
    });
    expect(siuCloserInvolvement(advanced, 'u-adv', none)).toEqual(['advance_approved']);
  });

  it('is anyone else with the role', () => {
    expect(siuCloserInvolvement(worked, 'u-siu', none)).toEqual([]);
  });
});
