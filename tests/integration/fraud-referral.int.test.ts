import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileClaim, getClaim, hoursAgo, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, eventually, signIn } from '../helpers/stack.ts';
import { dayFifteenOf, seedRedFlags, suitePolicies } from '../helpers/suite-policies.ts';

/**
 * Fraud scoring on the real workflow (the score in the ASL's CheckClaim step and the rescore when
 * documents arrive): a claim the assessment refers never goes straight through, its payment is held, and the
 * customer sees none of it. The test stack refers at 6 red flags (TEST_REFERRAL_MIN_FLAGS); `npm start` and AWS at 3.
 */
let an: Api;
let hai: Api;
let binh: Api;
beforeAll(async () => {
  [an, hai, binh] = await signIn('an.nguyen', 'hai.do', 'binh.tran');
});

const policies = suitePolicies('MOT-FRD');
afterAll(() => policies.removeAll());
const policy = policies.running;

/** Files a collision claim and sends every document, the repair invoice with a declared 7,000,000. */
async function fileWithDocuments(policyNumber: string, estimate: number, lossAt = hoursAgo(2)) {
  const { claimId } = await fileClaim(an, {
    policyNumber,
    cause: 'collision',
    lossAt,
    estimatedAmount: { amount: estimate, currency: 'VND' },
  });
  await until(
    an,
    claimId,
    (c) => c.status === 'AWAITING_DOCUMENTS' || c.status === 'UNDER_ASSESSMENT',
    45_000,
  );
  await uploadMissingDocuments(an, claimId, Math.floor(Math.random() * 250), { repair_invoice: 7_000_000 });
  return claimId;
}

describe('fraud scoring in the workflow', () => {
  beforeAll(async () => {
    await seedRedFlags(policies, { an, binh, hai });
  }, 180_000);

  it('scores every claim on receipt with its contributions, staff only', async () => {
    const { claimId } = await fileClaim(an, { lossAt: hoursAgo(4) });
    const c = await until(hai, claimId, (x) => x.fraud !== undefined, 15_000);
    expect(c.fraud.score).toBeGreaterThan(0);
    expect(c.fraud.score).toBeLessThan(1);
    expect(c.fraud.contributions.length).toBeGreaterThan(0);
    expect(c.fraud.trigger).toBe('receipt');
    expect(c.timeline.map((e: { type: string }) => e.type)).toContain('IndicatorsScored');
    // The checks, the score and the classification are one write (CheckClaim): their events follow
    // each other in the order the three steps wrote them, with one time.
    type Entry = { seq: number; at: string; type: string };
    const from = c.timeline.findIndex((e: Entry) => e.type === 'ClaimChecked');
    const to = c.timeline.findIndex((e: Entry) => e.type === 'ClaimClassified');
    const check: Entry[] = c.timeline.slice(from, to + 1);
    expect(
      check.map((e) => e.type).filter((t) => t !== 'ClaimReferred' && t !== 'ClaimReferredToSiu'),
    ).toEqual(['ClaimChecked', 'IndicatorsScored', 'ClaimClassified']);
    expect(check.map((e) => e.seq - check[0]!.seq)).toEqual(check.map((_, i) => i));
    expect(new Set(check.map((e) => e.at)).size).toBe(1);
    // The assignment is the fourth change of that write: ClaimAssigned right after ClaimClassified.
    expect(c.timeline[to + 1]).toMatchObject({
      type: 'ClaimAssigned',
      seq: check[0]!.seq + check.length,
      at: check[0]!.at,
    });
    // an.nguyen has other claims around this loss: the repeat and cluster flags carry sentences
    expect(c.fraudIndicators.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['REPEAT_CLAIMANT', 'CLAIM_CLUSTER']),
    );
    expect(c.fraudIndicators[0].detail.vi.length).toBeGreaterThan(10);
    const mine = await getClaim(an, claimId);
    expect(mine.fraud).toBeUndefined();
    expect(mine.fraudIndicators).toBeUndefined();
    expect(JSON.stringify(mine)).not.toMatch(/fraud|siu|IndicatorsScored/i);
  });

  it('does not pay a referred claim straight through, and holds its payment', async () => {
    // Loss on day 15 of a policy that ends in 10 days (past the 15-day waiting period), 9,800,000
    // claimed against a 10,000,000 straight-through limit, a customer with claims all around it.
    const claimId = await fileWithDocuments(await policy(16, 10), 9_800_000, dayFifteenOf(16));
    const c = await until(
      hai,
      claimId,
      (x) =>
        x.siu?.status === 'referred' &&
        x.dossierCompleteAt &&
        x.straightThrough?.reasons?.length > 0 &&
        !x.straightThrough.reasons.includes('DOSSIER_INCOMPLETE'),
      60_000,
    );
    expect(c.fraudIndicators.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining([
        'LOSS_SOON_AFTER_INCEPTION',
        'LOSS_NEAR_EXPIRY',
        'REPEAT_CLAIMANT',
        'JUST_UNDER_THRESHOLD',
        'CLAIM_CLUSTER',
        'SHARED_ATTRIBUTE',
      ]),
    );
    expect(c.siu.reasons).toContain('RED_FLAGS');
    expect(c.paymentHold).toMatchObject({ reason: 'siu_referral' });
    // Everything else would have let it through: the SIU referral alone holds it for a person.
    expect(c.straightThrough.reasons).toEqual(['FRAUD_INDICATORS']);
    await new Promise((r) => setTimeout(r, 1500));
    const later = await getClaim(hai, claimId);
    expect(later.status).toBe('UNDER_ASSESSMENT');
    expect(later.decision).toBeUndefined();
    expect(later.payment).toBeUndefined();
    expect(later.timeline.map((e: { type: string }) => e.type)).toContain('ClaimReferredToSiu');
    const mine = await getClaim(an, claimId);
    expect(mine.paymentHold).toBeUndefined();
    expect(JSON.stringify(mine)).not.toMatch(/fraud|siu/i);
  }, 180_000);

  it('pays the same kind of claim straight through when nothing refers it', async () => {
    const claimId = await fileWithDocuments(await policy(200, 200), 9_000_000);
    const done = await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 60_000);
    expect(done.siu).toBeUndefined();
    expect(done.straightThrough.eligible).toBe(true);
  }, 180_000);
});

/** A claim with five red flags (see above), once the SIU referral and the new verdict are on it. */
async function referredClaim() {
  const claimId = await fileWithDocuments(await policy(16, 10), 9_800_000, dayFifteenOf(16));
  await until(
    hai,
    claimId,
    (x) =>
      x.siu?.status === 'referred' &&
      x.dossierCompleteAt &&
      x.straightThrough?.reasons?.length > 0 &&
      !x.straightThrough.reasons.includes('DOSSIER_INCOMPLETE'),
    60_000,
  );
  return claimId;
}

describe('the SIU queue', () => {
  let nam: Api;
  beforeAll(async () => {
    [nam] = await signIn('nam.ly');
  });

  it('lists a referral with its reasons and score, investigates, clears it, and the claim is paid', async () => {
    const claimId = await referredClaim();
    const queue = await nam.get('/siu/cases?status=referred');
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((i: { claimId: string }) => i.claimId === claimId);
    expect(entry).toMatchObject({ status: 'referred', reasons: expect.arrayContaining(['RED_FLAGS']) });
    expect(entry.score).toBeGreaterThan(0);
    expect(entry.indicators.length).toBeGreaterThanOrEqual(5);

    expect((await hai.get('/siu/cases')).status).toBe(403);
    expect((await an.get('/siu/cases')).status).toBe(403);
    expect((await nam.get('/siu/cases?status=nope')).status).toBe(400);

    const started = await nam.post(`/siu/cases/${claimId}/start`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.siu).toMatchObject({ status: 'investigating', investigator: { role: 'siu' } });
    expect((await nam.post(`/siu/cases/${claimId}/start`, {})).body.error.code).toBe('SIU_CASE_NOT_OPEN');
    const investigating = await nam.get('/siu/cases?status=investigating');
    expect(investigating.body.items.map((i: { claimId: string }) => i.claimId)).toContain(claimId);

    const bad = await nam.post(`/siu/cases/${claimId}/outcome`, { outcome: 'maybe', note: 'x' });
    expect(bad.status).toBe(400);
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Garage and customer verified by phone',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ siu: { status: 'closed', outcome: 'cleared' }, paymentHold: null });
    // Released, the claim meets the product's straight-through rule and is paid on its evidence.
    const paid = await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 60_000);
    expect(paid.straightThrough.eligible).toBe(true);
    expect(paid.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['SiuInvestigationStarted', 'SiuOutcomeRecorded']),
    );
  }, 180_000);

  it('keeps a confirmed claim held and exports closed cases with their labels as a training CSV', async () => {
    const claimId = await referredClaim();
    const confirmed = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'confirmed',
      note: 'Same invoice filed by another customer',
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.paymentHold).toMatchObject({ reason: 'siu_referral' });
    const c = await getClaim(hai, claimId);
    expect(c.straightThrough.eligible).toBe(false);

    expect((await hai.get('/siu/export')).status).toBe(403);
    const csv = await nam.get('/siu/export');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, ...rows] = (csv.body as string).trim().split('\n');
    expect(header?.split(',')).toEqual(
      expect.arrayContaining(['ClaimNumber', 'Days_Policy_Accident', 'FraudFound_P']),
    );
    const row = rows.find((r) => r.startsWith(`${c.claimNumber},`));
    expect(row?.endsWith(',1')).toBe(true);
    // Claim numbers with their fraud finding: the SIU's alone, and each download is on the audit chain.
    const [admin] = await signIn('admin');
    expect((await admin.get('/siu/export')).status).toBe(403);
    const sha256 = createHash('sha256')
      .update(csv.body as string)
      .digest('hex');
    const audit = await admin.get('/admin/audit');
    expect(audit.status).toBe(200);
    const exported = audit.body.items.find(
      (e: { type: string; data?: { sha256?: string } }) =>
        e.type === 'SiuLabelsExported' && e.data?.sha256 === sha256,
    );
    expect(exported).toMatchObject({
      claimId: 'ADMIN',
      actor: { kind: 'staff', role: 'siu', id: (await nam.get('/me')).body.userId },
      data: { rows: rows.length, sha256 },
    });
  }, 180_000);

  it('lists paid claims with their score for a retrospective review', async () => {
    // Two claims paid straight through; the bank confirms one of them, the other waits for the bank.
    const [paidId, queuedId] = await Promise.all([
      fileWithDocuments(await policy(200, 200), 9_000_000),
      fileWithDocuments(await policy(200, 200), 9_000_000),
    ]);
    const [paid, queued] = await Promise.all(
      [paidId, queuedId].map((id) =>
        until(hai, id, (c) => c.status === 'PAYMENT_QUEUED' && c.waitingFor === 'payment', 60_000),
      ),
    );
    const [minh, oanh] = await signIn('minh.dang', 'oanh.vu');
    const batch = await minh.post(
      '/finance/batches',
      { cutoff: new Date().toISOString() },
      { 'idempotency-key': crypto.randomUUID() },
    );
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    await eventually(async () => {
      const b = await minh.get(`/finance/batches/${batch.body.batchId}`);
      return b.body.status === 'prepared' ? b.body : undefined;
    }, 20_000);
    const released = await oanh.post(`/finance/batches/${batch.body.batchId}/release`, {});
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    const content = [
      'reference,amount,status,reason,bank_ref',
      `${paid.claimNumber},${paid.payment.amount.amount},SUCCESS,,FT${Date.now()}`,
    ].join('\n');
    const confirmed = await oanh.post('/finance/reconciliations', {
      fileName: `siu-paid-${paidId}.csv`,
      content,
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    expect(confirmed.body).toMatchObject({ paid: 1 });
    await until(hai, paidId, (c) => c.status === 'PAID', 20_000);

    type Item = { claimId: string; status: string; score: number | null; paidAt: string | null };
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const r = await nam.get(`/siu/paid?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      items.push(...r.body.items);
      cursor = r.body.nextCursor ?? undefined;
    } while (cursor);
    for (const i of items) expect(i.status).toBe('PAID');
    const entry = items.find((i) => i.claimId === paidId);
    expect(entry).toMatchObject({ status: 'PAID', paidAt: expect.any(String) });
    expect(entry?.score).toBe(paid.fraud.score);
    expect(entry?.score).toBeGreaterThan(0);
    expect(items.map((i) => i.claimId)).not.toContain(queued.claimId);
    expect((await hai.get('/siu/paid')).status).toBe(403);
  }, 240_000);
});
