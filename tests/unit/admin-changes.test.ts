import { describe, expect, it } from 'vitest';
import { calendarLoosening, productLoosening, staffLoosening } from '../../lambdas/core/admin-changes.ts';
import { VN_DEFAULT_CALENDAR } from '../../lambdas/core/calendar.ts';
import { DEFAULT_PRODUCTS, type ProductConfig } from '../../lambdas/core/products.ts';

const motor = () => structuredClone(DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!) as ProductConfig;

describe('which admin changes need a second administrator (four eyes)', () => {
  it('a product change that raises or removes a payout control, field by field', () => {
    const before = motor();
    const after = motor();
    after.straightThroughMax += 1;
    after.approvalControls = { singleAssessorMax: 1_000_000_000_000 };
    after.jointDecision = {
      threshold: before.jointDecision.threshold * 2,
      departments: ['claims'],
      quorum: 1,
    };
    after.straightThrough = {
      evidence: ['repair_invoice', 'hospital_invoice'],
      waitingPeriodDays: 0,
      postAuditShareBps: 0,
    };
    after.documentChecklist = after.documentChecklist.filter((d) => d.type !== 'damage_photos');
    expect(productLoosening(before, after)).toEqual([
      'straightThroughMax',
      'approvalControls.singleAssessorMax',
      'jointDecision.threshold',
      'jointDecision.quorum',
      'jointDecision.departments',
      'straightThrough.evidence',
      'straightThrough.waitingPeriodDays',
      'straightThrough.postAuditShareBps',
      'documentChecklist',
    ]);
  });

  it('a weaker checklist item: optional, conditional, excepted for a cause, or taking more kinds of file', () => {
    const base = motor();
    const weaken = (f: (d: ProductConfig['documentChecklist'][number]) => void) => {
      const after = motor();
      f(after.documentChecklist.find((d) => d.type === 'repair_invoice')!);
      return productLoosening(base, after);
    };
    expect(weaken((d) => (d.required = false))).toEqual(['documentChecklist']);
    expect(weaken((d) => (d.requiredWhen = 'police_attended'))).toEqual(['documentChecklist']);
    expect(weaken((d) => (d.exceptCauses = ['theft', 'collision']))).toEqual(['documentChecklist']);
    expect(weaken((d) => (d.accepts = ['image', 'pdf', 'xml']))).toEqual(['documentChecklist']);
  });

  it('nothing for a change that only tightens or is not a money control', () => {
    const before = motor();
    const after = motor();
    after.straightThroughMax = 0;
    after.approvalControls = { singleAssessorMax: 1_000_000 };
    after.jointDecision = { ...after.jointDecision, threshold: 1_000_000 };
    after.straightThrough = { evidence: [], waitingPeriodDays: 90, postAuditShareBps: 10_000 };
    after.documentChecklist.push({ type: 'other', required: true });
    after.noticeDays += 30;
    after.name = { vi: 'Tên khác', en: 'Another name' };
    expect(productLoosening(before, after)).toEqual([]);
  });

  it('staff: a role added, a limit raised, an account enabled again, and every grant of a new account', () => {
    const adjuster = { roles: ['adjuster'], authorityLimit: 20_000_000, active: true };
    expect(staffLoosening(adjuster, { ...adjuster, roles: ['adjuster', 'supervisor', 'finance'] })).toEqual([
      'roles',
    ]);
    expect(staffLoosening(adjuster, { ...adjuster, authorityLimit: 1e12 })).toEqual(['authorityLimit']);
    expect(staffLoosening({ ...adjuster, active: false }, adjuster)).toEqual(['active']);
    expect(staffLoosening(undefined, adjuster)).toEqual(['roles', 'authorityLimit']);
    // A new e-mail or phone: password reset and sign-in codes go there.
    const withContact = { ...adjuster, email: 'an@insurer.example.vn', phone: '0901234567' };
    expect(staffLoosening(withContact, { ...withContact, email: 'an@elsewhere.example' })).toEqual(['email']);
    expect(staffLoosening(withContact, { ...withContact, phone: undefined })).toEqual(['phone']);
    // Removing a role, lowering a limit, deactivating: at once.
    expect(staffLoosening(adjuster, { roles: [], authorityLimit: 0, active: false })).toEqual([]);
  });

  it('calendar: a holiday or rest day added, or a make-up working day removed, pushes deadlines back', () => {
    const cal = structuredClone(VN_DEFAULT_CALENDAR);
    expect(calendarLoosening(cal, { ...cal, holidays: [...cal.holidays, '2027-12-31'] })).toEqual([
      'holidays',
    ]);
    expect(calendarLoosening(cal, { ...cal, weekend: [0, 5, 6] })).toEqual(['weekend']);
    expect(calendarLoosening(cal, { ...cal, workingWeekends: cal.workingWeekends.slice(1) })).toEqual([
      'workingWeekends',
    ]);
    expect(calendarLoosening(cal, { ...cal, holidays: cal.holidays.slice(1) })).toEqual([]);
  });
});
