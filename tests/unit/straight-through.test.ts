import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acceptedContent, plausibleContent } from '../../lambdas/core/dossier.ts';
import { type EInvoice, parseEInvoice } from '../../lambdas/core/einvoice.ts';
import { vnd } from '../../lambdas/core/money.ts';
import { productConfigIssues } from '../../lambdas/core/config-rules.ts';
import { calculatePayout } from '../../lambdas/core/payout.ts';
import { Policy } from '../../lambdas/core/policy.ts';
import { DEFAULT_PRODUCTS, ProductConfig } from '../../lambdas/core/products.ts';
import {
  appealed,
  type EvidenceDocument,
  evidenceOf,
  rulePayoutInput,
  type StraightThroughFacts,
  POST_AUDIT_BUCKETS,
  sampledForPostAudit,
  straightThroughVerdict,
} from '../../lambdas/core/straight-through.ts';
import { demoPolicies } from '../../local/demo-data.ts';
import { makeClaim, makePolicy } from '../helpers/factories.ts';

const motor = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!;
const travel = DEFAULT_PRODUCTS.find((p) => p.code === 'TRAVEL')!;

function invoice(name = 'valid'): EInvoice {
  const r = parseEInvoice(
    readFileSync(new URL(`../fixtures/einvoices/${name}.xml`, import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error(r.code);
  return r.invoice;
}

const doc = (over: Partial<EvidenceDocument> & Pick<EvidenceDocument, 'docType'>): EvidenceDocument => ({
  documentId: `d-${Math.random().toString(36).slice(2, 8)}`,
  sha256: Math.random().toString(36),
  ...over,
});

/** A clean motor claim: loss 2026-11-27, invoice of 6,600,000 dated 2026-11-28, policy a year old. */
function facts(over: Partial<StraightThroughFacts> = {}): StraightThroughFacts {
  return {
    claimId: 'claim-1',
    product: motor,
    estimatedAmount: vnd(8_500_000),
    checks: [],
    dossierComplete: true,
    fraudIndicators: 0,
    lossDate: '2026-11-27',
    policy: { startDate: '2026-01-01', holderName: 'Nguyễn Văn An' },
    earlierClaimsOnPolicy: 0,
    documents: [doc({ docType: 'repair_invoice', einvoice: invoice() }), doc({ docType: 'damage_photos' })],
    duplicateInvoices: 0,
    sod: { payoutAccountOfStaff: [], contactOfStaff: [] },
    ...over,
  };
}

describe('straightThroughVerdict', () => {
  it('pays on the e-invoice total, not the estimate', () => {
    const v = straightThroughVerdict(facts());
    expect(v.reasons).toEqual([]);
    expect(v.eligible).toBe(true);
    expect(v.evidence).toMatchObject({
      amount: 6_600_000,
      basis: 'einvoice',
      invoices: [{ series: '1C26TGR', number: '1234', total: 6_600_000, issuedOn: '2026-11-28' }],
    });
  });

  it('pays on the one amount declared with an invoice PDF or photo', () => {
    const v = straightThroughVerdict(
      facts({ documents: [doc({ docType: 'repair_invoice', declaredAmount: 7_000_000 })] }),
    );
    expect(v).toMatchObject({ eligible: true, evidence: { amount: 7_000_000, basis: 'declared' } });
  });

  it('never pays on the estimate alone', () => {
    const v = straightThroughVerdict(facts({ documents: [doc({ docType: 'repair_invoice' })] }));
    expect(v.reasons).toEqual(['NO_EVIDENCED_AMOUNT']);
    expect(v.evidence.amount).toBeUndefined();
  });

  it('takes declared amounts only from the product’s invoice/receipt types', () => {
    const v = straightThroughVerdict(
      facts({ documents: [doc({ docType: 'insurance_certificate', declaredAmount: 5_000_000 })] }),
    );
    expect(v.reasons).toEqual(['NO_EVIDENCED_AMOUNT']);
  });

  it('refers a product with no evidence type', () => {
    expect(straightThroughVerdict(facts({ product: travel })).reasons).toContain('NO_EVIDENCE_CONFIGURED');
  });

  it('refers several declared amounts without an e-invoice, and a declared amount that no invoice bears', () => {
    const two = [
      doc({ docType: 'repair_invoice', declaredAmount: 3_000_000 }),
      doc({ docType: 'repair_invoice', declaredAmount: 3_000_000 }),
    ];
    expect(straightThroughVerdict(facts({ documents: two })).reasons).toEqual(['EVIDENCE_AMBIGUOUS']);
    const pdfBeside = [
      doc({ docType: 'repair_invoice', einvoice: invoice() }),
      doc({ docType: 'repair_invoice', declaredAmount: 6_600_000 }),
    ];
    expect(straightThroughVerdict(facts({ documents: pdfBeside })).eligible).toBe(true);
    const wrong = [pdfBeside[0]!, doc({ docType: 'repair_invoice', declaredAmount: 8_000_000 })];
    expect(straightThroughVerdict(facts({ documents: wrong })).reasons).toEqual([
      'EVIDENCE_AMOUNTS_DISAGREE',
    ]);
  });

  it('counts the same e-invoice uploaded twice once', () => {
    const inv = invoice();
    const { evidence } = evidenceOf(
      [doc({ docType: 'repair_invoice', einvoice: inv }), doc({ docType: 'repair_invoice', einvoice: inv })],
      ['repair_invoice'],
    );
    expect(evidence.amount).toBe(6_600_000);
  });

  it('refers evidence above the estimate or above the product’s limit', () => {
    expect(straightThroughVerdict(facts({ estimatedAmount: vnd(6_000_000) })).reasons).toEqual([
      'EVIDENCE_ABOVE_ESTIMATE',
    ]);
    const big = doc({ docType: 'repair_invoice', declaredAmount: 12_000_000 });
    expect(
      straightThroughVerdict(facts({ estimatedAmount: vnd(9_000_000), documents: [big] })).reasons,
    ).toEqual(['AMOUNT_ABOVE_LIMIT', 'EVIDENCE_ABOVE_ESTIMATE']);
  });

  it('holds an invoice dated before the loss', () => {
    const v = straightThroughVerdict(
      facts({ documents: [doc({ docType: 'repair_invoice', einvoice: invoice('before-loss') })] }),
    );
    expect(v.reasons).toEqual(['INVOICE_BEFORE_LOSS']);
  });

  it('holds an invoice issued to someone else, or to nobody named', () => {
    const other = straightThroughVerdict(
      facts({ documents: [doc({ docType: 'repair_invoice', einvoice: invoice('other-buyer') })] }),
    );
    expect(other.reasons).toEqual(['INVOICE_BUYER_MISMATCH']);
    const anonymous = { ...invoice(), buyer: {} };
    const none = straightThroughVerdict(
      facts({ documents: [doc({ docType: 'repair_invoice', einvoice: anonymous })] }),
    );
    expect(none.reasons).toEqual(['INVOICE_BUYER_UNKNOWN']);
    const byId = straightThroughVerdict(
      facts({
        policy: { startDate: '2026-01-01', holderName: 'Nguyễn Văn An', holderIdNumber: '001085099999' },
      }),
    );
    expect(byId.reasons).toEqual(['INVOICE_BUYER_MISMATCH']);
  });

  it('holds an invoice found on another claim, by the lookup or by the same file', () => {
    expect(straightThroughVerdict(facts({ duplicateInvoices: 1 })).reasons).toEqual(['INVOICE_DUPLICATE']);
    const copied = doc({
      docType: 'repair_invoice',
      declaredAmount: 5_000_000,
      duplicateOf: ['claim-0/d-9'],
    });
    expect(straightThroughVerdict(facts({ documents: [copied] })).reasons).toEqual(['INVOICE_DUPLICATE']);
    const sameClaim = { ...copied, duplicateOf: ['claim-1/d-9'] };
    expect(straightThroughVerdict(facts({ documents: [sameClaim] })).reasons).toEqual([]);
  });

  it('holds a file filed as two document types (a damage photo as the registration)', () => {
    const photo = doc({ docType: 'damage_photos', sha256: 'abc' });
    const registration = doc({ docType: 'vehicle_registration', sha256: 'abc' });
    const v = straightThroughVerdict(facts({ documents: [...facts().documents, photo, registration] }));
    expect(v.reasons).toEqual(['DOCUMENT_REUSED']);
  });

  it('holds a first claim inside the waiting period, not a later one', () => {
    const young = { startDate: '2026-11-20', holderName: 'Nguyễn Văn An' };
    expect(straightThroughVerdict(facts({ policy: young })).reasons).toEqual(['WAITING_PERIOD']);
    expect(straightThroughVerdict(facts({ policy: young, earlierClaimsOnPolicy: 1 })).eligible).toBe(true);
    const old = { startDate: '2026-11-12', holderName: 'Nguyễn Văn An' }; // 15 days before the loss
    expect(straightThroughVerdict(facts({ policy: old })).eligible).toBe(true);
  });

  it('sends to a person what a person approving would be stopped on: a staff filer, account or contact', () => {
    const staffId = 'staff-7';
    expect(
      straightThroughVerdict(
        facts({ sod: { filedBy: staffId, payoutAccountOfStaff: [], contactOfStaff: [] } }),
      ).reasons,
    ).toEqual(['FILED_BY_STAFF']);
    expect(
      straightThroughVerdict(facts({ sod: { payoutAccountOfStaff: [staffId], contactOfStaff: [staffId] } }))
        .reasons,
    ).toEqual(['STAFF_PAYOUT_ACCOUNT', 'STAFF_CONTACT']);
  });

  it('keeps the base rule: checks (possible duplicate included), dossier, fraud indicators', () => {
    const v = straightThroughVerdict(
      facts({
        checks: [{ code: 'POSSIBLE_DUPLICATE', severity: 'warn', params: {} }],
        dossierComplete: false,
        fraudIndicators: 1,
      }),
    );
    expect(v.reasons).toEqual(['CHECK_POSSIBLE_DUPLICATE', 'DOSSIER_INCOMPLETE', 'FRAUD_INDICATORS']);
  });
});

describe('sampledForPostAudit', () => {
  it('samples exactly the draws below the share: all at 10 000 bps, none at 0', () => {
    const draws = Array.from({ length: POST_AUDIT_BUCKETS }, (_, i) => i);
    expect(draws.every((d) => sampledForPostAudit(d, 10_000))).toBe(true);
    expect(draws.some((d) => sampledForPostAudit(d, 0))).toBe(false);
    expect(draws.filter((d) => sampledForPostAudit(d, 1_000))).toEqual(draws.slice(0, 1_000));
  });
});

describe('document content plausibility', () => {
  it('accepts XML only for invoices, pictures only for damage photos', () => {
    expect(plausibleContent(motor, 'repair_invoice', 'application/xml')).toBe(true);
    expect(plausibleContent(motor, 'vehicle_registration', 'application/xml')).toBe(false);
    expect(plausibleContent(motor, 'damage_photos', 'application/pdf')).toBe(false);
    expect(plausibleContent(motor, 'vehicle_registration', 'image/jpeg')).toBe(true);
  });

  it('lets the product’s checklist narrow what a document type accepts', () => {
    const strict = {
      ...motor,
      documentChecklist: motor.documentChecklist.map((d) =>
        d.type === 'insurance_certificate' ? { ...d, accepts: ['pdf' as const] } : d,
      ),
    };
    expect(acceptedContent(strict, 'insurance_certificate')).toEqual(['pdf']);
    expect(plausibleContent(strict, 'insurance_certificate', 'image/png')).toBe(false);
  });
});

describe('product configuration rules for straight-through', () => {
  it('refuses evidence types missing from the checklist and XML for non-invoice documents', () => {
    const bad = {
      ...motor,
      straightThrough: { ...motor.straightThrough, evidence: ['hospital_invoice' as const] },
      documentChecklist: motor.documentChecklist.map((d) =>
        d.type === 'vehicle_registration' ? { ...d, accepts: ['xml' as const] } : d,
      ),
    };
    const codes = productConfigIssues('MOTOR_OD', bad).map((i) => `${i.path}:${i.code}`);
    expect(codes).toEqual([
      'straightThrough.evidence.0:evidence_not_in_checklist',
      'documentChecklist.1.accepts:xml_only_for_invoices',
    ]);
    expect(productConfigIssues('MOTOR_OD', motor)).toEqual([]);
  });

  it('bounds the post-audit share to 0–10 000 bps', () => {
    const over = { ...motor, straightThrough: { ...motor.straightThrough, postAuditShareBps: 10_001 } };
    expect(ProductConfig.safeParse(over).success).toBe(false);
    for (const p of DEFAULT_PRODUCTS) expect(ProductConfig.safeParse(p).success).toBe(true);
  });
});

describe('straight-through and appeals', () => {
  it('leaves an appealed claim to a person, its appeal open or decided', () => {
    expect(appealed(makeClaim())).toBe(false);
    const appeal = {
      reason: 'Tôi có giấy phép',
      filedAt: '2026-11-25T00:00:00Z',
      windowEndsAt: '2026-12-25T00:00:00Z',
      decideBy: '2026-12-10T00:00:00Z',
      rejection: {
        outcome: 'reject' as const,
        amount: vnd(0),
        reasons: [],
        decidedAt: '2026-11-24T00:00:00Z',
        decidedBy: { id: 'a', role: 'adjuster' },
      },
    };
    expect(appealed(makeClaim({ appeal: { ...appeal, status: 'open' } }))).toBe(true);
    expect(appealed(makeClaim({ appeal: { ...appeal, status: 'upheld' } }))).toBe(true);
  });
});

describe('assessment by rule', () => {
  const demo = (n: string) => Policy.parse(demoPolicies(new Date()).find((p) => p.policyNumber === n));
  const invoiceItem = (coverCode: string, assessedAmount: number) => [
    { description: 'HĐ', coverCode, assessedAmount, kind: 'repair' as const },
  ];

  it('pays a 15M contents invoice on the demo property policy as contents: 15M − 1M deductible', () => {
    const policy = demo('PRO-2026-0001');
    const contents = policy.covers.find((c) => c.code === 'CONTENTS')!;
    const input = rulePayoutInput(policy, contents, invoiceItem('CONTENTS', 15_000_000), []);
    // Against the policy's 2.5B value it paid 15M × 0.2 − 1M = 2M.
    expect(input.marketValue).toBe(500_000_000);
    expect(calculatePayout(input).payable.amount).toBe(14_000_000);
  });

  it('values a one-cover policy at the policy’s value, and a cover of several with no value at its sum insured', () => {
    const motorPolicy = makePolicy({ insuredValue: 800_000_000 });
    const od = motorPolicy.covers[0]!;
    expect(rulePayoutInput(motorPolicy, od, invoiceItem('OD', 1), []).marketValue).toBe(800_000_000);
    const property = demo('PRO-2026-0001');
    const bare = { ...property, covers: property.covers.map(({ insuredValue: _, ...c }) => c) };
    const contents = bare.covers.find((c) => c.code === 'CONTENTS')!;
    expect(rulePayoutInput(bare, contents, invoiceItem('CONTENTS', 1), []).marketValue).toBe(500_000_000);
  });

  it('pays no more than other claims left of the sum insured', () => {
    const policy = demo('HLT-2026-0001');
    const inpatient = policy.covers.find((c) => c.code === 'INPATIENT')!;
    const items = [
      {
        description: 'Viện phí',
        coverCode: 'INPATIENT',
        assessedAmount: 9_000_000,
        kind: 'medical' as const,
      },
    ];
    const used = [{ coverCode: 'INPATIENT', amount: 195_000_000 }];
    expect(calculatePayout(rulePayoutInput(policy, inpatient, items, used)).payable.amount).toBe(5_000_000);
  });
});
