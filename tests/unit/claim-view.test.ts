import { describe, expect, it } from 'vitest';
import {
  advancePaymentView,
  buildTimeline,
  claimView,
  forRoles,
  nextStep,
  policyView,
  WHO_SEES,
} from '../../lambdas/app/claim-view.ts';
import { EVENT_AUDIENCE, customerEventData } from '../../lambdas/core/audience.ts';
import { EVENT_TYPES, type NewEvent, SYSTEM, sealEvents } from '../../lambdas/core/events.ts';
import type { ClaimDeadline } from '../../lambdas/core/claim.ts';
import type { Claim, ClaimDocument } from '../../lambdas/core/claim.ts';
import { DEFAULT_PRODUCTS } from '../../lambdas/core/products.ts';
import { makeClaim, makePolicy, makeStoredReport } from '../helpers/factories.ts';

const STAFF_ID = 'ab40d6ec-4263-47ed-a217-bb5ef44d87c1';

/** A claim carrying what only staff may read: a failed workflow step and an advance with its approver. */
function claimWithInternals(): Claim {
  return makeClaim({
    status: 'UNDER_ASSESSMENT',
    assignee: { staffId: STAFF_ID, name: 'Đỗ Minh Hải', role: 'adjuster' },
    workflowFailure: {
      executionName: 'exec-1',
      state: 'QueuePayment',
      error: 'States.TaskFailed',
      cause: 'arn:aws:lambda:ap-southeast-1:123456789012:function:QueuePayment timed out',
      failedAt: '2026-12-01T03:00:00.000Z',
      paymentHeld: true,
    },
    payoutAccountChange: {
      account: { ...makeStoredReport().payoutAccount, accountMask: '•••• 9999' },
      codeHash: 'hidden-code-hash',
      requestedAt: '2026-12-01T01:00:00.000Z',
      expiresAt: '2026-12-01T01:15:00.000Z',
      attempts: 0,
    },
    advances: [
      {
        n: 1,
        amount: { amount: 20_000_000, currency: 'VND' },
        note: 'Tạm ứng chi phí cấp cứu theo Nghị định 67',
        approvedAt: '2026-12-01T02:00:00.000Z',
        approvedBy: { id: STAFF_ID, role: 'adjuster' },
      },
    ],
  });
}

describe('who sees which field of a claim', () => {
  it("a customer's timeline numbers its own entries: no gap where an SIU referral or a note was", () => {
    const at = new Date('2026-12-01T03:00:00.000Z');
    const staff = { kind: 'staff' as const, role: 'adjuster', id: STAFF_ID };
    const timeline = (internal: NewEvent[]) =>
      buildTimeline(
        sealEvents(
          'c-1',
          0,
          '0'.repeat(64),
          [
            { type: 'ClaimSubmitted', actor: { kind: 'customer' } },
            { type: 'ClaimChecked', actor: SYSTEM, data: { checks: [] } },
            ...internal,
            { type: 'ClaimClassified', actor: SYSTEM, data: { line: 'motor', severity: 'low' } },
          ],
          at,
        ),
        'customer',
      );
    const referred = timeline([
      { type: 'ClaimReferredToSiu', actor: SYSTEM, data: { score: 0.9 } },
      { type: 'NoteAdded', actor: staff, data: { text: 'xem lại hoá đơn' } },
    ]);
    expect(referred).toEqual(timeline([]));
    expect(referred.map((e) => e.seq)).toEqual([1, 2, 3]);
    // Staff see the chain as it is.
    expect(
      buildTimeline(sealEvents('c-1', 4, 'x', [{ type: 'NoteAdded', actor: staff }], at), 'staff')[0]?.seq,
    ).toBe(5);
  });

  it('customers see none of the staff-only or internal fields, whatever they hold', () => {
    const claim = claimWithInternals() as unknown as Record<string, unknown>;
    const hiddenFromCustomers = Object.entries(WHO_SEES)
      .filter(([, who]) => who === 'staff' || who === 'never')
      .map(([k]) => k);
    // Every such field set, so a field wrongly shown would be in the view.
    for (const k of hiddenFromCustomers) claim[k] ??= { marker: `hidden-${k}` };
    const view = claimView(claim as unknown as Claim, [], [], [], 'customer') as Record<string, unknown>;
    expect(hiddenFromCustomers.filter((k) => k in view)).toEqual([]);
    const json = JSON.stringify(view);
    expect(json).not.toContain('hidden-');
    expect(json).not.toContain(STAFF_ID);
    expect(json).not.toContain('arn:aws');
    expect(json).not.toContain('Nghị định 67');
  });

  it('customers see the advances paid to them: the amount and when, not who approved it or the note', () => {
    const claim = claimWithInternals();
    const view = claimView(claim, [], [], [], 'customer');
    expect(view.advances).toStrictEqual([
      {
        n: 1,
        amount: { amount: 20_000_000, currency: 'VND' },
        approvedAt: '2026-12-01T02:00:00.000Z',
        paidAt: undefined,
      },
    ]);
    // Once the bank confirmed its transfer, they see that too.
    const paid = {
      ...claim,
      advances: claim.advances?.map((a) => ({ ...a, paidAt: '2026-12-02T03:00:00.000Z' })),
    };
    expect(claimView(paid, [], [], [], 'customer').advances?.[0]?.paidAt).toBe('2026-12-02T03:00:00.000Z');
  });

  it('the final transfer shows how it is made up: decision, less advances, plus late interest', () => {
    const claim: Claim = {
      ...claimWithInternals(),
      status: 'PAID',
      decision: {
        outcome: 'approve',
        amount: { amount: 100_000_000, currency: 'VND' },
        reasons: [],
        decidedAt: '2026-12-03T02:00:00.000Z',
        decidedBy: { id: STAFF_ID, role: 'adjuster' },
      },
      // 80 million still owed after the 20 million advance, and 65,753 đồng of interest for 15 days late.
      payment: {
        amount: { amount: 80_065_753, currency: 'VND' },
        queuedAt: '2026-12-20T02:00:00.000Z',
        dueAt: '2026-12-05T02:00:00.000Z',
        paidAt: '2026-12-21T02:00:00.000Z',
        batchId: 'PB-20261221-0123456789ab',
      },
    };
    const customer = claimView(claim, [], [], [], 'customer');
    expect(customer.payment?.parts).toEqual({
      decided: 100_000_000,
      advanced: 20_000_000,
      owed: 80_000_000,
      lateInterest: 65_753,
      amount: 80_065_753,
    });
    expect(customer.payment?.paidAt).toBe('2026-12-21T02:00:00.000Z');
    // The batch is finance's business.
    expect(JSON.stringify(customer)).not.toContain('PB-20261221');
    expect(claimView(claim, [], [], [], 'staff').payment).toMatchObject({
      batchId: 'PB-20261221-0123456789ab',
    });
  });

  it('staff see the workflow failure and who approved each advance; nobody sees the tokens', () => {
    const claim = { ...claimWithInternals(), waitToken: 'token-1', lastEventHash: 'hash-1' };
    const view = claimView(claim, [], [], [], 'staff') as Record<string, unknown>;
    expect(view.workflowFailure).toMatchObject({ state: 'QueuePayment', paymentHeld: true });
    expect(view.advances).toEqual(claim.advances);
    expect('waitToken' in view || 'lastEventHash' in view).toBe(false);
  });
});

describe('which events a customer sees', () => {
  it('classifies every event type, shown with named data or internal, and shows a reassignment without who or why', () => {
    expect(Object.keys(EVENT_AUDIENCE).sort()).toEqual([...EVENT_TYPES].sort());
    expect(customerEventData('ClaimReassigned', { from: 'u1', to: 'u2', reason: 'Nghỉ phép' })).toEqual({});
    expect(customerEventData('ContactConfirmed', { contact: { phone: '0912345678' } })).toEqual({});
    for (const t of ['NoteAdded', 'IndicatorsScored', 'PostAuditSampled', 'StaffChanged'] as const)
      expect(customerEventData(t, { any: 1 }), t).toBeUndefined();
    expect(customerEventData('ClaimApproved', { amount: 1, postAudit: { draw: 1 } })).toEqual({ amount: 1 });
  });
});

describe('the next step the customer reads', () => {
  const deadline = (
    kind: ClaimDeadline['kind'],
    status: ClaimDeadline['status'],
    dueAt: string,
  ): ClaimDeadline => ({ kind, status, dueAt, atRiskAt: dueAt, basis: `basis of ${kind}` }) as ClaimDeadline;
  const payment = deadline('payment', 'open', '2026-03-19T16:59:59.999Z');

  it('gives the date of the deadline that runs on the claim, not one worked out again from the rules', () => {
    const c = makeClaim({
      status: 'UNDER_ASSESSMENT',
      deadlines: [payment],
      receivedDocuments: [],
      requiredDocuments: [],
    });
    expect(nextStep(c)).toEqual({ code: 'ASSESSMENT', dueAt: payment.dueAt, basis: 'basis of payment' });
    // A deadline that ended (met, cancelled) gives no date.
    expect(nextStep({ ...c, deadlines: [{ ...payment, status: 'cancelled' }] })).toEqual({
      code: 'ASSESSMENT',
    });
  });

  it('asks for the answer to an information request by the date the request gives', () => {
    const c = makeClaim({
      status: 'INFO_REQUESTED',
      deadlines: [payment, deadline('no_response_close', 'open', '2026-04-24T16:59:59.999Z')],
      infoRequests: [
        {
          requestId: 'r1',
          message: 'Ảnh chụp biển số',
          documents: [],
          requestedAt: '2026-03-10T02:00:00.000Z',
          requestedBy: { id: STAFF_ID, role: 'adjuster' },
          dueAt: '2026-04-24T16:59:59.999Z',
          status: 'open',
        },
      ],
    });
    expect(nextStep(c)).toEqual({
      code: 'ANSWER_REQUEST',
      dueAt: '2026-04-24T16:59:59.999Z',
      basis: 'basis of no_response_close',
    });
  });

  it('gives the appeal decision date while an appeal is open, not the cancelled payment date', () => {
    const c = makeClaim({
      status: 'UNDER_ASSESSMENT',
      requiredDocuments: [],
      receivedDocuments: [],
      deadlines: [
        { ...payment, status: 'cancelled' },
        deadline('appeal_decision', 'open', '2026-05-02T16:59:59.999Z'),
      ],
      appeal: { status: 'open' } as Claim['appeal'],
    });
    expect(nextStep(c)).toMatchObject({ code: 'ASSESSMENT', dueAt: '2026-05-02T16:59:59.999Z' });
  });

  it('gives the payment date once approved, past due or not', () => {
    const c = makeClaim({ status: 'PAYMENT_QUEUED', deadlines: [{ ...payment, status: 'breached' }] });
    expect(nextStep(c)).toMatchObject({ code: 'PAYMENT', dueAt: payment.dueAt });
  });
});

describe('what each staff role reads of a claim', () => {
  const health = {
    kind: 'health' as const,
    patientName: 'Nguyễn Văn An',
    hospital: 'Bệnh viện Bạch Mai',
    diagnosis: 'Viêm ruột thừa cấp',
    admittedOn: '2026-11-18',
    dischargedOn: '2026-11-21',
  };
  const otherParty = {
    name: 'Trần Văn Bảo',
    phone: '0987654321',
    vehiclePlate: '29C-456.78',
    insurer: 'Bảo Việt',
  };
  /** A staff view with the report in the report and in the timeline's ClaimSubmitted, as filed. */
  const staffView = (report: Claim['report']) => {
    const claim = makeClaim({ report });
    const events = sealEvents(
      claim.claimId,
      0,
      '0'.repeat(64),
      [{ type: 'ClaimSubmitted', actor: { kind: 'customer' }, data: { report } }],
      new Date('2026-11-21T02:00:00.000Z'),
    );
    return claimView(claim, events, [], [], 'staff');
  };

  it('admin and finance get no medical details of a health claim, in the report or the timeline', () => {
    const view = staffView(
      makeStoredReport({ policyNumber: 'HLT-2026-0001', cause: 'illness', facts: health }),
    );
    for (const role of ['admin', 'finance'] as const) {
      const limited = forRoles(view, [role]);
      expect(limited.report.facts).toEqual({ kind: 'health' });
      expect(limited.withheld).toEqual(['health_details', 'description']);
      const json = JSON.stringify(limited);
      for (const detail of ['Viêm ruột thừa', 'Bạch Mai', '2026-11-18']) expect(json).not.toContain(detail);
      // The rest of the report is there: the amount, the account (masked).
      expect(limited.report.estimatedAmount).toEqual(view.report.estimatedAmount);
      expect(limited.report.payoutAccount).toEqual(view.report.payoutAccount);
    }
  });

  it("admin and finance see the other party's plate and insurer, not their name or phone", () => {
    const view = staffView(
      makeStoredReport({
        facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: true, otherParty },
      }),
    );
    const limited = forRoles(view, ['finance']);
    expect(limited.report.facts).toMatchObject({
      kind: 'motor',
      vehiclePlate: '30A-123.45',
      otherParty: { vehiclePlate: '29C-456.78', insurer: 'Bảo Việt' },
    });
    expect(limited.withheld).toEqual(['other_party_contact']);
    const json = JSON.stringify(limited);
    expect(json).not.toContain('Trần Văn Bảo');
    expect(json).not.toContain('0987654321');
  });

  it('those who handle, decide, underwrite, litigate or investigate the claim read it whole', () => {
    const view = staffView(
      makeStoredReport({ policyNumber: 'HLT-2026-0001', cause: 'illness', facts: health }),
    );
    for (const role of ['adjuster', 'supervisor', 'underwriting', 'legal', 'siu'] as const) {
      expect(forRoles(view, [role])).toBe(view);
    }
    // A finance officer who also handles claims reads what the handler reads.
    expect(forRoles(view, ['finance', 'adjuster']).report.facts).toEqual(health);
  });

  it("on a health claim admin and finance get neither the customer's account of it nor what requests for information asked and were answered", () => {
    const DESCRIPTION = 'Nhập viện cấp cứu, mổ ruột thừa, nằm viện ba ngày.';
    const report = makeStoredReport({
      policyNumber: 'HLT-2026-0001',
      cause: 'illness',
      description: DESCRIPTION,
      facts: health,
    });
    const claim = makeClaim({
      report,
      status: 'UNDER_ASSESSMENT',
      infoRequests: [
        {
          requestId: 'r-1',
          message: 'Xin gửi kết quả siêu âm ổ bụng',
          documents: ['medical_report'],
          requestedAt: '2026-11-22T02:00:00.000Z',
          requestedBy: { id: STAFF_ID, role: 'adjuster' },
          dueAt: '2026-12-22T16:59:59.999Z',
          respondedAt: '2026-11-23T02:00:00.000Z',
          response: 'Siêu âm thấy ruột thừa viêm',
          status: 'answered',
        },
      ],
    });
    const events = sealEvents(
      claim.claimId,
      0,
      '0'.repeat(64),
      [
        { type: 'ClaimSubmitted', actor: { kind: 'customer' }, data: { report } },
        {
          type: 'InfoRequested',
          actor: { kind: 'staff', role: 'adjuster', id: STAFF_ID },
          data: {
            requestId: 'r-1',
            message: 'Xin gửi kết quả siêu âm ổ bụng',
            documents: ['medical_report'],
          },
        },
        {
          type: 'InfoProvided',
          actor: { kind: 'customer' },
          data: { requestId: 'r-1', message: 'Siêu âm thấy ruột thừa viêm', missingDocuments: [] },
        },
        {
          type: 'DocumentVerified',
          actor: { kind: 'customer' },
          data: { documentId: 'd-1', docType: 'medical_report', fileName: 'sieu-am-ruot-thua.pdf' },
        },
      ],
      new Date('2026-11-21T02:00:00.000Z'),
    );
    const doc = (documentId: string, docType: ClaimDocument['docType'], fileName: string): ClaimDocument => ({
      documentId,
      claimId: claim.claimId,
      docType,
      fileName,
      declaredContentType: 'application/pdf',
      declaredSize: 1000,
      status: 'VERIFIED',
      key: `stored/${claim.claimId}/${documentId}`,
      requestedAt: '2026-11-21T03:00:00.000Z',
      uploadedBy: 'customer',
    });
    const documents = [
      doc('d-1', 'medical_report', 'sieu-am-ruot-thua.pdf'),
      doc('d-2', 'hospital_invoice', 'hoa-don-vien-phi.pdf'),
    ];
    const view = claimView(claim, events, documents, [], 'staff');
    for (const role of ['admin', 'finance'] as const) {
      const limited = forRoles(view, [role]);
      expect(limited.withheld).toEqual([
        'health_details',
        'description',
        'info_request_text',
        'health_documents',
      ]);
      expect(limited.report).not.toHaveProperty('description');
      // The request stays, with its status and dates: only its text and the answer go.
      expect(limited.infoRequests).toEqual([
        {
          requestId: 'r-1',
          documents: ['medical_report'],
          requestedAt: '2026-11-22T02:00:00.000Z',
          requestedBy: { id: STAFF_ID, role: 'adjuster' },
          dueAt: '2026-12-22T16:59:59.999Z',
          respondedAt: '2026-11-23T02:00:00.000Z',
          status: 'answered',
        },
      ]);
      // The medical record is listed (the dossier is complete) but not named or offered; the invoice is.
      expect(limited.documents.map((d) => [d.docType, d.fileName, d.withheld])).toEqual([
        ['medical_report', undefined, true],
        ['hospital_invoice', 'hoa-don-vien-phi.pdf', undefined],
      ]);
      expect(limited.timeline.map((e) => e.type)).toEqual(view.timeline.map((e) => e.type));
      const json = JSON.stringify(limited);
      for (const text of ['mổ ruột thừa', 'siêu âm ổ bụng', 'ruột thừa viêm', 'sieu-am-ruot-thua'])
        expect(json).not.toContain(text);
    }
    // The adjuster reads all of it.
    const whole = JSON.stringify(forRoles(view, ['adjuster']));
    for (const text of [DESCRIPTION, 'siêu âm ổ bụng', 'ruột thừa viêm', 'sieu-am-ruot-thua'])
      expect(whole).toContain(text);
  });

  it("admin and finance keep the description of a claim that is not about someone's health", () => {
    const view = staffView(makeStoredReport());
    const limited = forRoles(view, ['admin']);
    expect(limited.report.description).toBe(view.report.description);
    expect(limited).not.toHaveProperty('withheld');
  });

  it("never shows the policyholder's citizen id or tax code, to any staff role", () => {
    const policy = makePolicy({ holderIdNumber: '001085099999' });
    const shown = policyView(policy);
    expect(shown).not.toHaveProperty('holderIdNumber');
    expect(JSON.stringify(shown)).not.toContain('001085099999');
    expect(shown).toMatchObject({ policyNumber: policy.policyNumber, holderName: policy.holderName });
  });
});

describe('the advance hint', () => {
  const tpl = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_TPL');
  const policy = makePolicy({
    productCode: 'MOTOR_TPL',
    covers: [
      {
        code: 'TPL_PROPERTY',
        name: { vi: 'TNDS về tài sản', en: 'TPL property' },
        causes: ['third_party_property'],
        sumInsured: 100_000_000,
      },
    ],
  });
  const claim = (reserve: number, estimate: number, advanced = 0, payable?: number) =>
    makeClaim({
      productCode: 'MOTOR_TPL',
      status: 'UNDER_ASSESSMENT',
      report: makeStoredReport({
        cause: 'third_party_property',
        estimatedAmount: { amount: estimate, currency: 'VND' },
      }),
      classification: {
        line: 'motor',
        cause: 'third_party_property',
        severityBand: 'medium',
        reserve: { amount: reserve, currency: 'VND' },
      },
      ...(advanced
        ? {
            advances: [
              {
                n: 1,
                amount: { amount: advanced, currency: 'VND' },
                note: 'Tạm ứng',
                approvedAt: '2026-12-01T02:00:00.000Z',
                approvedBy: { id: STAFF_ID, role: 'adjuster' },
              },
            ],
          }
        : {}),
      ...(payable !== undefined
        ? { assessment: { payable: { amount: payable, currency: 'VND' } } as Claim['assessment'] }
        : {}),
    });

  it('says what is left under the ceiling the advance route enforces, and which limit it is', () => {
    // The reserve (300m) is above the cover's 100m: the cover bounds the advances, not the reserve.
    expect(advancePaymentView(claim(300_000_000, 250_000_000, 20_000_000), tpl, policy)).toEqual({
      available: true,
      advanced: 20_000_000,
      left: 80_000_000,
      ceiling: 'cover_limit',
    });
    // Below them all, the customer's estimate; once assessed, the assessed payout.
    expect(advancePaymentView(claim(300_000_000, 40_000_000, 10_000_000), tpl, policy)).toMatchObject({
      left: 30_000_000,
      ceiling: 'estimate',
    });
    expect(advancePaymentView(claim(300_000_000, 90_000_000, 0, 25_000_000), tpl, policy)).toMatchObject({
      left: 25_000_000,
      ceiling: 'assessed',
    });
    expect(advancePaymentView(claim(15_000_000, 90_000_000, 20_000_000), tpl, policy)).toMatchObject({
      left: 0,
      ceiling: 'reserve',
    });
  });

  it('without the policy, nothing can be advanced (the route refuses too)', () => {
    expect(advancePaymentView(claim(300_000_000, 90_000_000), tpl, undefined)).toEqual({
      available: false,
      advanced: 0,
      left: 0,
    });
  });

  it('the staff claim view carries it with the policy given', () => {
    const c = claim(300_000_000, 250_000_000);
    const view = claimView(c, [], [], DEFAULT_PRODUCTS, 'staff', new Map(), undefined, policy);
    expect(view.advancePayment).toMatchObject({ left: 100_000_000, ceiling: 'cover_limit' });
  });
});
