import { createHash, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import {
  assignPayoutToBatch,
  createBatchItem,
  createReconciliation,
  getBatch,
  getPayout,
  holdPayoutForAccountChange,
  holdPayoutForSiu,
  holdPayoutForWorkflowFailure,
  markPayoutPaid,
  payoutsInBatch,
  putPayoutIfNew,
  releasePayoutHold,
  reportRejection,
  releasePayoutWithAccount,
} from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { adminEvents } from '../../lambdas/adapters/dynamo/admin-audit-repo.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { sealPayoutAccount } from '../../lambdas/app/payout-account.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { batchIdFor, type Payout, reconciliationIdFor } from '../../lambdas/core/finance.ts';
import { fileClaim, getClaim, hoursAgo, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
const as = (username: string) => apiAs(stack.apiUrl, username);

interface Email {
  subject: string;
  destination: { to: string[] };
}
interface InboxMessage {
  kind: 'sms' | 'topic';
  topicName?: string;
  subject?: string;
  message: string;
}
const emails = async (): Promise<Email[]> =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails;
const inbox = async (): Promise<InboxMessage[]> =>
  (await (await fetch(`${stack.inboxUrl}/inbox`)).json()) as InboxMessage[];

let an: Api;
let hai: Api;
let minh: Api;
let oanh: Api;
let dung: Api;
beforeAll(async () => {
  [an, hai, minh, oanh, dung] = await Promise.all([
    as('an.nguyen'),
    as('hai.do'),
    as('minh.dang'),
    as('oanh.vu'),
    as('dung.pham'),
  ]);
});

/**
 * A claim settled straight through (small, clean, complete), so the workflow has queued its payment
 * and waits for the bank. Each claim on a policy of its own so the duplicate check stays quiet.
 */
async function paymentQueuedClaim(
  day: number,
  contactEmail = 'an.nguyen@example.vn',
  own?: { policyNumber: string; cause: 'fire' },
) {
  const { claimId, claimNumber } = await fileClaim(an, {
    cause: 'explosion',
    // A policy of its own: another claim on the same policy within days is a possible duplicate.
    policyNumber: await policies.running(200, 200),
    ...own,
    lossAt: hoursAgo(2 + 26 * day),
    estimatedAmount: { amount: 6_000_000 + day, currency: 'VND' },
    contact: { phone: '0912345678', email: contactEmail },
  });
  await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
  // Straight-through pays what the invoice evidences: the repair invoice declares the amount.
  await uploadMissingDocuments(an, claimId, (own ? 60 : 40) + day, { repair_invoice: 6_000_000 + day });
  const c = await until(
    hai,
    claimId,
    (x) => x.status === 'PAYMENT_QUEUED' && x.waitingFor === 'payment',
    15_000,
  );
  return { claimId, claimNumber, amount: c.payment.amount.amount as number };
}

/** The account number a seeded payout was sealed with (the test knows it; the table does not). */
const plainAccountOf = (claimId: string) => `1903${claimId.replace(/\D/g, '').slice(-8).padStart(8, '0')}`;

/** Payout lines written straight to the table (no claim behind them): for batch assignment only. */
async function seedPayouts(n: number, tag: string): Promise<Payout[]> {
  const out: Payout[] = [];
  for (let i = 0; i < n; i++) {
    const claimId = `SEED${tag}${String(i).padStart(4, '0')}`;
    const queuedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const p: Payout = {
      payoutId: claimId,
      claimId,
      claimNumber: `BT-2026-9${tag.padStart(2, '0').slice(-2)}${String(i).padStart(3, '0')}`,
      kind: 'final',
      amount: 1_000_000 + i,
      interest: 0,
      currency: 'VND',
      // Sealed to its claim, as QueuePayment writes it; the bank file opens it.
      account: await sealPayoutAccount(claimId, {
        bankName: 'Techcombank',
        accountNumber: plainAccountOf(claimId),
        accountHolder: 'Trần Thị Bình',
      }),
      queuedAt,
      date: queuedAt.slice(0, 10),
      status: 'awaiting',
    };
    expect(await putPayoutIfNew(p)).toBe(true);
    out.push(p);
  }
  return out;
}

/** Motor policies of an.nguyen's of this suite's own, removed after it: no other claim shares their loss days. */
const policies = suitePolicies('MOT-FIN');
afterAll(() => policies.removeAll());
const freshPolicy = () => policies.running(200, 200);

const createBatch = (api: Api, key: string, cutoff = new Date().toISOString()) =>
  api.post('/finance/batches', { cutoff }, { 'idempotency-key': key });

/** A second finance user confirms the rejections an import reported (maker-checker). */
async function confirmReturns(api: Api, reconId: string) {
  const r = await api.post(`/finance/reconciliations/${reconId}/confirm-returns`, {});
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function prepared(api: Api, batchId: string) {
  return eventually(async () => {
    const r = await api.get(`/finance/batches/${batchId}`);
    return r.body.status !== 'building' ? r.body : undefined;
  }, 20_000);
}

async function allInBatch(batchId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await payoutsInBatch(batchId, 500, cursor);
    ids.push(...page.items.map((p) => p.payoutId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

/**
 * The reconciliation record an import of `content` leaves open ("processing"), as a run that stopped
 * (or is still running, with `lockedUntil`) leaves it: imported by `by` now, no lines applied yet.
 */
async function openImport(
  content: string,
  fileName: string,
  by: string,
  at: string,
  lockedUntil?: string,
): Promise<string> {
  const reconId = reconciliationIdFor(content);
  expect(
    await createReconciliation({
      reconId,
      fileName,
      fileKey: `exports/reconciliations/${reconId}.csv`,
      status: 'processing',
      importedBy: { id: userIdOf(by), name: by },
      importedAt: at,
      lines: content.trim().split('\n').length - 1,
      paid: 0,
      failed: 0,
      unmatched: 0,
      ...(lockedUntil ? { lockedUntil } : {}),
    }),
  ).toBe(true);
  return reconId;
}

describe('finance routes are for finance only', () => {
  it('refuses other roles and customers', async () => {
    for (const api of [an, hai, dung]) {
      expect((await api.get('/finance/payouts?status=awaiting')).status).toBe(403);
      expect((await createBatch(api, randomUUID())).status).toBe(403);
      expect((await api.post('/finance/reconciliations', { fileName: 'x.csv', content: 'a' })).status).toBe(
        403,
      );
    }
  });

  it('bounds its inputs', async () => {
    expect((await minh.get('/finance/payouts?status=paid')).status).toBe(400);
    expect((await minh.get('/finance/payouts?limit=1000')).status).toBe(400);
    expect((await minh.post('/finance/batches', { cutoff: new Date().toISOString() })).status).toBe(400);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await createBatch(minh, randomUUID(), future)).status).toBe(400);
    expect((await minh.get('/finance/batches/not-a-batch')).status).toBe(404);
    expect((await minh.get('/finance/reconciliations/RC-nope')).status).toBe(404);
  });
});

describe('payment batches', () => {
  it('creating the same batch at the same time gives one batch, and every payout is in it once', async () => {
    const seeded = await seedPayouts(130, '1');
    const key = randomUUID();
    const cutoff = new Date().toISOString();
    const answers = await Promise.all([1, 2, 3, 4].map(() => createBatch(minh, key, cutoff)));
    const ids = new Set(answers.map((a) => a.body.batchId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => [200, 201, 202].includes(a.status))).toBe(true);
    const batchId = [...ids][0] as string;
    const batch = await prepared(minh, batchId);
    expect(batch.status).toBe('prepared');
    const inBatch = await allInBatch(batchId);
    expect(new Set(inBatch).size).toBe(inBatch.length);
    expect(inBatch).toEqual(expect.arrayContaining(seeded.map((p) => p.payoutId)));
    expect(batch.count).toBe(inBatch.length);
    // Again later with the same key and cut-off: the same batch, nothing new built.
    const again = await createBatch(minh, key, cutoff);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ batchId, status: 'prepared', count: batch.count });
    // The batched payouts left the awaiting list.
    const awaiting = (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as Payout[];
    expect(awaiting.map((p) => p.payoutId)).not.toContain(seeded[0]!.payoutId);
  });

  it('two different batches built at once never share a payout', async () => {
    const seeded = await seedPayouts(150, '2');
    const cutoff = new Date().toISOString();
    const [a, b] = await Promise.all([
      createBatch(minh, randomUUID(), cutoff),
      createBatch(oanh, randomUUID(), cutoff),
    ]);
    expect(a.body.batchId).not.toBe(b.body.batchId);
    const [inA, inB] = await Promise.all([allInBatch(a.body.batchId), allInBatch(b.body.batchId)]);
    const both = inA.filter((id) => inB.includes(id));
    expect(both).toEqual([]);
    for (const p of seeded) {
      const stored = await getPayout(p.claimId);
      expect(stored?.status).toBe('batched');
      expect([a.body.batchId, b.body.batchId]).toContain(stored?.batchId);
      expect(stored?.batchId === a.body.batchId ? inA : inB).toContain(p.payoutId);
    }
  });

  it('maker-checker: the maker cannot release, another finance user can; only a released batch downloads', async () => {
    const seeded = await seedPayouts(3, '3');
    const created = await createBatch(minh, randomUUID());
    expect(created.status).toBe(201);
    const batchId = created.body.batchId as string;
    expect(created.body).toMatchObject({ status: 'prepared', preparedBy: { name: 'minh.dang' } });

    const early = await oanh.get(`/finance/batches/${batchId}/download?format=csv`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('BATCH_NOT_RELEASED');

    const self = await minh.post(`/finance/batches/${batchId}/release`, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SAME_MAKER_AND_CHECKER');

    const released = await oanh.post(`/finance/batches/${batchId}/release`, {});
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releasedBy: { name: 'oanh.vu' } });
    expect((await oanh.post(`/finance/batches/${batchId}/release`, {})).status).toBe(200); // a retry

    const csvLink = await minh.get(`/finance/batches/${batchId}/download?format=csv`);
    expect(csvLink.status).toBe(200);
    expect(csvLink.body.expiresInSeconds).toBeLessThanOrEqual(300);
    const csv = await (await fetch(csvLink.body.url)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'STT,Ten nguoi thu huong,So tai khoan,Ngan hang thu huong,So tien (VND),Noi dung chuyen khoan,Ma tham chieu',
    );
    const first = seeded[0]!;
    // Full account number (the bank needs it), folded name, integer VND, the claim number in the text.
    expect(csv).toContain(
      `TRAN THI BINH,${plainAccountOf(first.claimId)},TECHCOMBANK,${first.amount},BOI THUONG HO SO ${first.claimNumber},${first.claimNumber}`,
    );
    expect(lines).toHaveLength(created.body.count + 1);

    const xlsxLink = await oanh.get(`/finance/batches/${batchId}/download?format=xlsx`);
    const bytes = Buffer.from(await (await fetch(xlsxLink.body.url)).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(3).value).toBe('So tai khoan');
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows).toHaveLength(created.body.count);
    expect(rows).toContainEqual([
      expect.any(Number),
      'TRAN THI BINH',
      plainAccountOf(first.claimId),
      'TECHCOMBANK',
      first.amount,
      `BOI THUONG HO SO ${first.claimNumber}`,
      first.claimNumber,
    ]);

    const history = await minh.get('/finance/batches?limit=50');
    expect(history.body.items.map((b: { batchId: string }) => b.batchId)).toContain(batchId);

    // Each step is on the hash-chained audit trail, by who took it; the retried release added nothing.
    const admin = await as('admin');
    const audit = (await admin.get('/admin/audit')).body as {
      verdict: { ok: boolean };
      items: { type: string; actor: { id: string }; data: { batchId?: string; format?: string } }[];
    };
    expect(audit.verdict.ok).toBe(true);
    const steps = audit.items
      .filter((e) => e.data.batchId === batchId)
      .reverse()
      .map((e) => [e.type, e.actor.id, e.data.format]);
    const minhId = userIdOf('minh.dang');
    const oanhId = userIdOf('oanh.vu');
    expect(steps).toEqual([
      ['PaymentBatchPrepared', minhId, undefined],
      ['PaymentBatchReleased', oanhId, undefined],
      ['PaymentBatchDownloaded', minhId, 'csv'],
      ['PaymentBatchDownloaded', oanhId, 'xlsx'],
    ]);
    // Finance cannot read the trail that records finance.
    expect((await minh.get('/admin/audit')).status).toBe(403);
  });
});

describe('a batch whose build or void stopped part-way', () => {
  /** A batch left `building` by a request that stopped after taking `payouts`, `minutesAgo`. */
  async function stoppedBuild(payouts: Payout[], minutesAgo: number, key = randomUUID()) {
    const createdAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const cutoff = createdAt;
    const batchId = batchIdFor(cutoff, key);
    expect(
      await createBatchItem({
        batchId,
        cutoff,
        status: 'building',
        createdAt,
        preparedBy: { id: userIdOf('minh.dang'), name: 'minh.dang' },
        count: 0,
        total: 0,
      }),
    ).toBe(true);
    for (const p of payouts) expect(await assignPayoutToBatch(p, batchId)).toBe(true);
    return { batchId, cutoff, key };
  }

  it('a build abandoned for 15 minutes can be voided by either finance user: its payouts return to the queue', async () => {
    const seeded = await seedPayouts(3, '8');
    const stale = await stoppedBuild(seeded.slice(0, 2), 20);
    const recent = await stoppedBuild(seeded.slice(2), 1);
    // The list says which build stopped; one that may still be running does not.
    const listed = (await oanh.get('/finance/batches?limit=50')).body.items as {
      batchId: string;
      buildAbandoned?: boolean;
    }[];
    expect(listed.find((b) => b.batchId === stale.batchId)?.buildAbandoned).toBe(true);
    expect(listed.find((b) => b.batchId === recent.batchId)?.buildAbandoned).toBeUndefined();

    // A build that may still be running is not voided.
    const early = await oanh.post(`/finance/batches/${recent.batchId}/void`, { reason: 'Lập lô bị treo' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('BATCH_NOT_VOIDABLE');
    expect((await getPayout(seeded[2]!.claimId))?.batchId).toBe(recent.batchId);

    const voided = await oanh.post(`/finance/batches/${stale.batchId}/void`, { reason: 'Lập lô bị treo' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body).toMatchObject({
      returned: 2,
      batch: { status: 'void', voidedBy: { name: 'oanh.vu' }, voidReason: 'Lập lô bị treo' },
    });
    expect(voided.body.batch.returningPayouts).toBeUndefined();
    for (const p of seeded.slice(0, 2)) {
      expect(await getPayout(p.claimId)).toMatchObject({
        status: 'awaiting',
        voidedBatches: [stale.batchId],
      });
      expect(await inAwaitingQueue(p.claimId)).toBe(true);
    }
    // The same request again does not build the voided batch.
    const again = await createBatch(minh, stale.key, stale.cutoff);
    expect(again.body).toMatchObject({ batchId: stale.batchId, status: 'void' });
    expect(await allInBatch(stale.batchId)).toEqual([]);
    // The void is on the admin audit chain, saying it was a stopped build.
    const events = (await adminEvents()).filter(
      (e) => e.type === 'PaymentBatchVoided' && e.data?.batchId === stale.batchId,
    );
    expect(events.map((e) => [e.actor.id, e.data?.buildAbandoned])).toEqual([[userIdOf('oanh.vu'), true]]);
  });

  it('a void that stopped before returning every payout says so, and voiding again finishes it', async () => {
    const seeded = await seedPayouts(2, '9');
    const stale = await stoppedBuild(seeded, 20);
    // The void's first step, as a request that then stopped leaves it.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.batch(stale.batchId),
        UpdateExpression: 'SET #s = :void, voidReason = :why, returningPayouts = :t',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':void': 'void', ':why': 'Lập lô bị treo', ':t': true },
      }),
    );
    const listed = (await minh.get('/finance/batches?limit=50')).body.items as PaymentBatchRow[];
    expect(listed.find((b) => b.batchId === stale.batchId)?.returningPayouts).toBe(true);
    const finished = await minh.post(`/finance/batches/${stale.batchId}/void`, { reason: 'Lập lô bị treo' });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(finished.body.returned).toBe(2);
    expect((await getBatch(stale.batchId))?.returningPayouts).toBeUndefined();
    for (const p of seeded) expect(await inAwaitingQueue(p.claimId)).toBe(true);
  });
});

type PaymentBatchRow = { batchId: string; returningPayouts?: boolean };

/** Whether a payout sits in the awaiting queue a batch is built from. */
const inAwaitingQueue = async (claimId: string) => {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId) }));
  return r.Item?.gsi4pk === 'PAYOUTS#AWAITING';
};

describe('a payout held after its batch was prepared (a late SIU referral)', () => {
  it('blocks the release; the batch is voided, its payouts return to the queue, the held one stays out', async () => {
    const seeded = await seedPayouts(3, '4');
    const created = await createBatch(minh, randomUUID());
    expect(created.status).toBe(201);
    const batchId = created.body.batchId as string;
    expect(await allInBatch(batchId)).toEqual(expect.arrayContaining(seeded.map((p) => p.payoutId)));

    // The SIU refers the second claim after the batch was prepared, before anyone released it.
    const late = seeded[1]!;
    expect(await holdPayoutForSiu(late.claimId, new Date().toISOString())).toBe(true);
    expect(await getPayout(late.claimId)).toMatchObject({
      status: 'batched',
      batchId,
      hold: { reason: 'siu_referral' },
    });
    expect((await oanh.get(`/finance/batches/${batchId}`)).body.heldPayouts).toBe(1);

    const release = await oanh.post(`/finance/batches/${batchId}/release`, {});
    expect(release.status, JSON.stringify(release.body)).toBe(409);
    expect(release.body.error.code).toBe('BATCH_HAS_HELD_PAYOUTS');
    expect(release.body.error).toMatchObject({ count: 1, claims: late.claimNumber });

    expect((await oanh.post(`/finance/batches/${batchId}/void`, { reason: 'x' })).status).toBe(400);
    const voided = await oanh.post(`/finance/batches/${batchId}/void`, {
      reason: 'Một khoản chi bị SIU giữ lại',
    });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body.batch).toMatchObject({
      status: 'void',
      voidedBy: { name: 'oanh.vu' },
      voidReason: 'Một khoản chi bị SIU giữ lại',
    });
    expect(voided.body.returned).toBe(created.body.count);
    // Back in the queue for the next batch — except the held one, which waits for the SIU.
    for (const p of [seeded[0]!, seeded[2]!]) {
      expect(await getPayout(p.claimId)).toMatchObject({ status: 'awaiting', voidedBatches: [batchId] });
      expect((await getPayout(p.claimId))?.batchId).toBeUndefined();
      expect(await inAwaitingQueue(p.claimId)).toBe(true);
    }
    expect(await getPayout(late.claimId)).toMatchObject({
      status: 'awaiting',
      hold: { reason: 'siu_referral' },
    });
    expect(await inAwaitingQueue(late.claimId)).toBe(false);

    // A retried void returns nothing twice; a void batch is neither released nor downloaded.
    const again = await minh.post(`/finance/batches/${batchId}/void`, { reason: 'Thử lại' });
    expect(again.status).toBe(200);
    expect(again.body.returned).toBe(0);
    expect((await oanh.post(`/finance/batches/${batchId}/release`, {})).body.error.code).toBe(
      'BATCH_NOT_RELEASABLE',
    );
    expect((await oanh.get(`/finance/batches/${batchId}/download?format=csv`)).status).toBe(409);

    // The next batch takes the others, never the held one; cleared, it waits for the batch after.
    const next = await createBatch(oanh, randomUUID());
    expect(next.status).toBe(201);
    const inNext = await allInBatch(next.body.batchId);
    expect(inNext).toEqual(expect.arrayContaining([seeded[0]!.payoutId, seeded[2]!.payoutId]));
    expect(inNext).not.toContain(late.payoutId);
    await releasePayoutHold(late.claimId);
    expect(await inAwaitingQueue(late.claimId)).toBe(true);
  });

  it('a hold and a release racing: exactly one wins, and a released batch is past holding', async () => {
    const seeded = await seedPayouts(2, '5');
    const created = await createBatch(minh, randomUUID());
    const batchId = created.body.batchId as string;
    expect(await allInBatch(batchId)).toEqual(expect.arrayContaining(seeded.map((p) => p.payoutId)));
    const [held, release] = await Promise.all([
      holdPayoutForSiu(seeded[0]!.claimId, new Date().toISOString()),
      oanh.post(`/finance/batches/${batchId}/release`, {}),
    ]);
    expect(held !== (release.status === 200), `hold ${held}, release ${release.status}`).toBe(true);
    if (held) {
      // The SIU clears it at once: the batch can be released after all.
      await releasePayoutHold(seeded[0]!.claimId);
      expect((await oanh.get(`/finance/batches/${batchId}`)).body.heldPayouts).toBe(0);
      expect((await oanh.post(`/finance/batches/${batchId}/release`, {})).status).toBe(200);
    }
    // Released: the bank has it, too late to hold this transfer; the hold waits on the payout in
    // case the bank rejects it.
    expect(await holdPayoutForSiu(seeded[1]!.claimId, new Date().toISOString())).toBe(false);
    expect((await getPayout(seeded[1]!.claimId))?.hold).toMatchObject({ reason: 'siu_referral' });
    expect((await oanh.get(`/finance/batches/${batchId}`)).body.heldPayouts ?? 0).toBe(0);
  });
});

/**
 * What a fraud rescore writes when it refers a claim (app/fraud.ts scoreChange: the SIU case, the
 * claim's payment hold, the queue entry) and then, unless that step stopped before it, what its
 * settleScore does: hold the claim's payout lines. Returns what holdPayoutForSiu answered.
 */
async function referToSiu(claimId: string, holdPayouts = true): Promise<boolean | undefined> {
  const [{ mutateClaim }, { systemClock }] = await Promise.all([
    import('../../lambdas/app/claim-store.ts'),
    import('../../lambdas/core/time.ts'),
  ]);
  const at = new Date().toISOString();
  const siu = {
    status: 'referred' as const,
    referredAt: at,
    reasons: ['SCORE_ABOVE_THRESHOLD'],
    score: 0.91,
  };
  await mutateClaim(claimId, systemClock, (c) => ({
    claim: { ...c, siu, paymentHold: c.paymentHold ?? { reason: 'siu_referral' as const, since: at } },
    events: [{ type: 'ClaimReferredToSiu', actor: { kind: 'system' }, data: { reasons: siu.reasons } }],
    siuCases: [
      {
        ...siu,
        claimId,
        claimNumber: c.claimNumber,
        productCode: c.productCode,
        amount: c.report.estimatedAmount.amount,
      },
    ],
  }));
  return holdPayouts ? holdPayoutForSiu(claimId, at) : undefined;
}

describe('a payout the SIU holds after its batch left (released or voided)', () => {
  it('referred after release, rejected by the bank → stays held until cleared', async () => {
    const settled = await paymentQueuedClaim(1, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    // Referred too, but the step stopped before it held the payout: the claim's hold alone is there.
    const unheld = await paymentQueuedClaim(2, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const batch = (await createBatch(minh, randomUUID())).body;
    expect(await allInBatch(batch.batchId)).toEqual(
      expect.arrayContaining([settled.claimId, unheld.claimId]),
    );
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);

    // The bank has the batch: too late for this transfer, but the hold waits on the payout.
    expect(await referToSiu(settled.claimId)).toBe(false);
    expect(await getPayout(settled.claimId)).toMatchObject({
      status: 'batched',
      batchId: batch.batchId,
      hold: { reason: 'siu_referral' },
    });
    await referToSiu(unheld.claimId, false);
    expect((await getPayout(unheld.claimId))?.hold).toBeUndefined();

    // The bank rejects both transfers: back from the bank, neither goes back to the queue.
    const content = [
      'reference,amount,status,reason',
      `${settled.claimNumber},${settled.amount},FAILED,Sai ten nguoi thu huong`,
      `${unheld.claimNumber},${unheld.amount},FAILED,Sai ten nguoi thu huong`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: 'siu-late.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ failed: 2, unmatched: 0 });
    await confirmReturns(minh, r.body.reconId);
    for (const c of [settled, unheld]) {
      expect(await getPayout(c.claimId)).toMatchObject({
        status: 'awaiting',
        hold: { reason: 'siu_referral' },
        failures: [{ batchId: batch.batchId }],
      });
      expect(await inAwaitingQueue(c.claimId)).toBe(false);
    }
    const awaiting = (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as Payout[];
    expect(awaiting.map((p) => p.claimId)).not.toContain(settled.claimId);
    // The next batch does not pay either during the investigation.
    const next = (await createBatch(minh, randomUUID())).body;
    const inNext = await allInBatch(next.batchId);
    expect(inNext).not.toContain(settled.claimId);
    expect(inNext).not.toContain(unheld.claimId);

    // Cleared by the SIU: the payout is back in the queue for the batch after.
    const nam = await as('nam.ly');
    expect((await nam.post(`/siu/cases/${settled.claimId}/start`, {})).status).toBe(200);
    const cleared = await nam.post(`/siu/cases/${settled.claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Đã xác minh với ngân hàng và khách hàng',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect((await getPayout(settled.claimId))?.hold).toBeUndefined();
    expect(await inAwaitingQueue(settled.claimId)).toBe(true);
    expect(await inAwaitingQueue(unheld.claimId)).toBe(false);
  }, 120_000);

  it('referred while its batch is being voided → the void returns it held', async () => {
    const seeded = await seedPayouts(2, '6');
    const batchId = (await createBatch(minh, randomUUID())).body.batchId as string;
    expect(await allInBatch(batchId)).toEqual(expect.arrayContaining(seeded.map((p) => p.payoutId)));
    // A void that stopped after marking the batch void, before returning its payouts.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.batch(batchId),
        UpdateExpression: 'SET #s = :void',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':void': 'void' },
      }),
    );
    const late = seeded[0]!;
    // The void will return it: held from now on.
    expect(await holdPayoutForSiu(late.claimId, new Date().toISOString())).toBe(true);
    const retried = await oanh.post(`/finance/batches/${batchId}/void`, { reason: 'Thử lại sau lỗi' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(await getPayout(late.claimId)).toMatchObject({
      status: 'awaiting',
      hold: { reason: 'siu_referral' },
    });
    expect(await inAwaitingQueue(late.claimId)).toBe(false);
    expect(await inAwaitingQueue(seeded[1]!.claimId)).toBe(true);
    await releasePayoutHold(late.claimId);
    expect(await inAwaitingQueue(late.claimId)).toBe(true);
  });
});

describe('a payout held for several reasons', () => {
  it('keeps a workflow-failure hold through an SIU clearance and an account change', async () => {
    const [stopped, referred] = await seedPayouts(2, '7');
    const since = new Date().toISOString();
    // A new account, sealed to each payout's own claim (the bank file opens it for that claim only).
    const otherFor = (claimId: string) =>
      sealPayoutAccount(claimId, {
        bankName: 'Vietcombank',
        accountNumber: '0071000123456',
        accountHolder: 'Trần Thị Bình',
      });
    const other = await otherFor(stopped!.claimId);
    // The claim's workflow stopped on its payment step: held, with nobody here to lift it.
    expect(await holdPayoutForWorkflowFailure(stopped!.claimId, since)).toBe(true);
    // The SIU clears the claim, and the customer changes and confirms the account meanwhile.
    await releasePayoutHold(stopped!.claimId);
    expect(await holdPayoutForAccountChange(stopped!.claimId, since)).toBe(true);
    expect((await getPayout(stopped!.claimId))?.hold).toMatchObject({ reason: 'workflow_failure' });
    await releasePayoutWithAccount(stopped!.claimId, other, false);
    const after = await getPayout(stopped!.claimId);
    expect(after?.hold).toMatchObject({ reason: 'workflow_failure' });
    expect(after?.account.accountMask).toBe(other.accountMask);
    expect(await inAwaitingQueue(stopped!.claimId)).toBe(false);

    // An SIU hold is not turned into an account-change hold, so the confirmation does not lift it.
    expect(await holdPayoutForSiu(referred!.claimId, since)).toBe(true);
    expect(await holdPayoutForAccountChange(referred!.claimId, since)).toBe(true);
    expect((await getPayout(referred!.claimId))?.hold).toMatchObject({ reason: 'siu_referral' });
    await releasePayoutWithAccount(referred!.claimId, await otherFor(referred!.claimId), false);
    expect((await getPayout(referred!.claimId))?.hold).toMatchObject({ reason: 'siu_referral' });
    expect(await inAwaitingQueue(referred!.claimId)).toBe(false);
    // Its own lifting does.
    await releasePayoutHold(referred!.claimId);
    expect((await getPayout(referred!.claimId))?.hold).toBeUndefined();
    expect(await inAwaitingQueue(referred!.claimId)).toBe(true);
  });
});

describe('the bank confirmation', () => {
  it('pays matched lines through the workflow, returns failed ones with the reason, lists the rest, and a re-import changes nothing', async () => {
    const paid = await paymentQueuedClaim(1, 'paid.customer@example.vn');
    const closed = await paymentQueuedClaim(2);
    const wrong = await paymentQueuedClaim(3);

    const awaiting = (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as Payout[];
    expect(awaiting.map((p) => p.claimNumber)).toEqual(
      expect.arrayContaining([paid.claimNumber, closed.claimNumber, wrong.claimNumber]),
    );
    // Screens see the last digits only.
    expect(awaiting.find((p) => p.claimId === paid.claimId)?.account.accountMask).toBe('•••• 5667');
    expect(JSON.stringify(awaiting)).not.toContain('accountNumberSealed');

    const batch = (await createBatch(minh, randomUUID())).body;
    expect(batch.status).toBe('prepared');
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);

    const content = [
      'reference,amount,status,reason,bank_ref',
      `${paid.claimNumber},${paid.amount},SUCCESS,,FT2611001`,
      `${closed.claimNumber},${closed.amount},FAILED,Tai khoan da dong (account closed),FT2611002`,
      `${wrong.claimNumber},${wrong.amount + 1000},SUCCESS,,FT2611003`,
      `${paid.claimNumber},${paid.amount},SUCCESS,,FT2611001`,
      'BT-2026-999999,1000000,SUCCESS,,FT2611004',
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: 'vcb-2611.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      status: 'done',
      lines: 5,
      paid: 1,
      failed: 1,
      unmatched: 3,
      replay: false,
    });
    const byLine = Object.fromEntries(r.body.results.map((l: { line: number }) => [l.line, l]));
    expect(byLine[2]).toMatchObject({ outcome: 'paid', claimNumber: paid.claimNumber });
    expect(byLine[3]).toMatchObject({ outcome: 'failed', reason: 'ACCOUNT_CLOSED' });
    expect(byLine[4]).toMatchObject({ outcome: 'unmatched', reason: 'AMOUNT_MISMATCH' });
    expect(byLine[5]).toMatchObject({ outcome: 'unmatched', reason: 'DUPLICATE_LINE' });
    expect(byLine[6]).toMatchObject({ outcome: 'unmatched', reason: 'UNKNOWN_REFERENCE' });

    // Paid: the workflow records PAID; the payment deadline is met by ClaimPaid, now.
    const done = await until(hai, paid.claimId, (c) => c.status === 'PAID', 15_000);
    const types = done.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['PaymentQueued', 'PaymentConfirmed', 'ClaimPaid']));
    expect(types.indexOf('PaymentConfirmed')).toBeLessThan(types.indexOf('ClaimPaid'));
    const met = await eventually(async () => {
      const v = await getClaim(hai, paid.claimId);
      return v.timeline.find(
        (e: { type: string; data: { kind?: string } }) =>
          e.type === 'DeadlineMet' && e.data.kind === 'payment',
      );
    });
    expect(met.data).toMatchObject({ by: 'ClaimPaid', late: false });
    const view = await getClaim(hai, paid.claimId);
    expect(view.deadlines.find((d: { kind: string }) => d.kind === 'payment').status).toBe('met');
    expect((await getPayout(paid.claimId))?.status).toBe('paid');

    // The customer sees it paid and is told.
    const mine = await getClaim(an, paid.claimId);
    expect(mine.status).toBe('PAID');
    expect(mine.timeline.map((e: { type: string }) => e.type)).toContain('ClaimPaid');
    expect(mine.timeline.map((e: { type: string }) => e.type)).not.toContain('PaymentConfirmed');
    await eventually(async () =>
      (await emails()).find(
        (m) =>
          m.destination.to.includes('paid.customer@example.vn') &&
          m.subject.includes('Đã chuyển tiền bồi thường'),
      ),
    );

    // Failed: reported, and out of the queue until a second finance user confirms it.
    expect(await getPayout(closed.claimId)).toMatchObject({
      status: 'batched',
      rejectionReported: { reconciliationId: r.body.reconId, reason: 'ACCOUNT_CLOSED' },
    });
    expect(r.body.rejectionsAwaitingConfirmation).toBe(1);
    await confirmReturns(minh, r.body.reconId);
    // Confirmed: back in the queue with the reason, the claim still waits for payment, finance alerted.
    const returned = await getPayout(closed.claimId);
    expect(returned).toMatchObject({
      status: 'awaiting',
      failures: [{ batchId: batch.batchId, reason: 'ACCOUNT_CLOSED' }],
    });
    expect(returned?.batchId).toBeUndefined();
    const closedView = await getClaim(hai, closed.claimId);
    expect(closedView.status).toBe('PAYMENT_QUEUED');
    expect(closedView.waitingFor).toBe('payment');
    expect(closedView.timeline.map((e: { type: string }) => e.type)).toContain('PaymentFailed');
    await eventually(async () =>
      (await inbox()).find(
        (m) =>
          m.kind === 'topic' && m.topicName === 'finance' && (m.subject ?? '').includes(closed.claimNumber),
      ),
    );

    // Wrong amount: nothing changed on a guess.
    expect((await getPayout(wrong.claimId))?.status).toBe('batched');
    expect((await getClaim(hai, wrong.claimId)).status).toBe('PAYMENT_QUEUED');

    const stored = await minh.get(`/finance/batches/${batch.batchId}`);
    expect(stored.body).toMatchObject({ paidCount: 1, failedCount: 1 });

    // The same file again: recognised, nothing changes.
    const again = await minh.post('/finance/reconciliations', { fileName: 'vcb-2611 (1).csv', content });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reconId: r.body.reconId, replay: true, paid: 1, failed: 1 });
    expect((await getPayout(closed.claimId))?.status).toBe('awaiting');
    expect((await getPayout(wrong.claimId))?.status).toBe('batched');
    expect((await minh.get(`/finance/batches/${batch.batchId}`)).body).toMatchObject({
      paidCount: 1,
      failedCount: 1,
    });
    const events = (await getClaim(hai, paid.claimId)).timeline.filter(
      (e: { type: string }) => e.type === 'PaymentConfirmed',
    );
    expect(events).toHaveLength(1);

    // Another file naming the paid claim again: listed as already paid.
    const later = await minh.post('/finance/reconciliations', {
      fileName: 'vcb-2711.csv',
      content: `Ma tham chieu,So tien,Trang thai\n${paid.claimNumber},${paid.amount.toLocaleString('vi-VN')},THANH CONG\n`,
    });
    expect(later.status).toBe(201);
    expect(later.body.results[0]).toMatchObject({ outcome: 'unmatched', reason: 'ALREADY_PAID' });
    expect((await minh.get(`/finance/reconciliations/${r.body.reconId}`)).body.results).toHaveLength(5);
  });

  it('maker-checker on the bank’s rejections: a FAILED line returns its payout only once a second finance user confirms it', async () => {
    const oanhId = userIdOf('oanh.vu');
    const minhId = userIdOf('minh.dang');
    const rejected = await paymentQueuedClaim(2, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const paidLater = await paymentQueuedClaim(4, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const batch = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);

    // One clerk imports a file whose lines say the bank failed both transfers.
    const content = [
      'reference,amount,status,reason',
      `${rejected.claimNumber},${rejected.amount},FAILED,Sai ten nguoi thu huong`,
      `${paidLater.claimNumber},${paidLater.amount},FAILED,Sai ten nguoi thu huong`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: 'failed-lines.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      failed: 2,
      rejectionsReported: 2,
      rejectionsAwaitingConfirmation: 2,
      importedBy: { id: oanhId },
    });
    const reconId = r.body.reconId as string;
    // Reported, not returned: still in the released batch, out of the queue, no claim told.
    for (const c of [rejected, paidLater]) {
      expect(await getPayout(c.claimId)).toMatchObject({
        status: 'batched',
        batchId: batch.batchId,
        rejectionReported: {
          reconciliationId: reconId,
          reason: 'BANK_REJECTED',
          bankReason: 'Sai ten nguoi thu huong',
          reportedBy: { id: oanhId },
        },
      });
      expect(await inAwaitingQueue(c.claimId)).toBe(false);
    }
    const awaiting = (await oanh.get('/finance/payouts?status=awaiting&limit=100')).body.items as Payout[];
    expect(awaiting.map((p) => p.claimId)).not.toContain(rejected.claimId);
    const next = (await createBatch(oanh, randomUUID())).body;
    expect(await allInBatch(next.batchId)).not.toContain(rejected.claimId);
    const failedEvents = async (claimId: string) =>
      ((await getClaim(hai, claimId)).timeline as { type: string; data: Record<string, unknown> }[]).filter(
        (e) => e.type === 'PaymentFailed',
      );
    expect(await failedEvents(rejected.claimId)).toHaveLength(0);

    // A later file repeats the first rejection (already reported) and says the second transfer was paid.
    const later = [
      'reference,amount,status,reason',
      `${rejected.claimNumber},${rejected.amount},FAILED,Sai ten nguoi thu huong`,
      `${paidLater.claimNumber},${paidLater.amount},SUCCESS,`,
    ].join('\n');
    const r2 = await minh.post('/finance/reconciliations', { fileName: 'eod.csv', content: later });
    expect(r2.status, JSON.stringify(r2.body)).toBe(201);
    expect(r2.body.results[0]).toMatchObject({ outcome: 'unmatched', reason: 'REJECTION_REPORTED' });
    expect(r2.body.results[1]).toMatchObject({ outcome: 'paid', claimNumber: paidLater.claimNumber });
    expect(r2.body.rejectionsAwaitingConfirmation).toBe(0);
    const paidPayout = await getPayout(paidLater.claimId);
    expect(paidPayout?.status).toBe('paid');
    expect(paidPayout?.rejectionReported).toBeUndefined();
    await until(hai, paidLater.claimId, (c) => c.status === 'PAID', 15_000);

    // The importer cannot confirm the rejections they reported.
    const self = await oanh.post(`/finance/reconciliations/${reconId}/confirm-returns`, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SAME_MAKER_AND_CHECKER');
    expect((await getPayout(rejected.claimId))?.status).toBe('batched');
    // Nor can anyone outside finance.
    expect((await hai.post(`/finance/reconciliations/${reconId}/confirm-returns`, {})).status).toBe(403);
    // A file with no rejections has nothing to confirm.
    const none = await oanh.post(`/finance/reconciliations/${r2.body.reconId}/confirm-returns`, {});
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('RETURNS_NOT_CONFIRMABLE');

    // A second finance user confirms: the rejected payout returns; the one paid since does not.
    const confirmed = await confirmReturns(minh, reconId);
    expect(confirmed).toMatchObject({
      rejectionsAwaitingConfirmation: 0,
      returnsConfirmed: { by: { id: minhId }, returned: 1, superseded: 1 },
    });
    const returned = await getPayout(rejected.claimId);
    expect(returned).toMatchObject({
      status: 'awaiting',
      failures: [
        {
          batchId: batch.batchId,
          reason: 'BANK_REJECTED',
          reconciliationId: reconId,
          reportedBy: { id: oanhId },
          confirmedBy: { id: minhId },
        },
      ],
    });
    expect(returned?.rejectionReported).toBeUndefined();
    expect(await inAwaitingQueue(rejected.claimId)).toBe(true);
    expect((await getPayout(paidLater.claimId))?.status).toBe('paid');
    expect(await failedEvents(paidLater.claimId)).toHaveLength(0);
    const failed = await failedEvents(rejected.claimId);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data).toMatchObject({
      batchId: batch.batchId,
      reconciliationId: reconId,
      reportedBy: oanhId,
    });

    // A retry changes nothing twice.
    const retried = await confirmReturns(minh, reconId);
    expect(retried.returnsConfirmed).toMatchObject({ by: { id: minhId }, returned: 1, superseded: 1 });
    expect(await failedEvents(rejected.claimId)).toHaveLength(1);
    expect((await minh.get(`/finance/batches/${batch.batchId}`)).body).toMatchObject({
      paidCount: 1,
      failedCount: 1,
    });
    // The confirmation is on the admin audit chain once, by the second user.
    const confirmations = (await adminEvents()).filter(
      (e) => e.type === 'BankReturnsConfirmed' && e.data?.reconId === reconId,
    );
    expect(confirmations.map((e) => [e.actor.id, e.data?.importedBy])).toEqual([[minhId, oanhId]]);
  }, 120_000);

  it('a late line about a transfer the bank rejected never touches the payout’s next transfer', async () => {
    // A policy of its own: the demo policy's explosion claims on each loss day belong to other tests.
    const claim = await paymentQueuedClaim(1, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const first = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${first.batchId}/release`, {})).status).toBe(200);
    // The bank's intraday file: the transfer was rejected; the payout goes back to the queue.
    const intraday = `reference,amount,status,reason\n${claim.claimNumber},${claim.amount},FAILED,Sai ten nguoi thu huong\n`;
    const r1 = await oanh.post('/finance/reconciliations', { fileName: 'intraday.csv', content: intraday });
    expect(r1.body.results[0]).toMatchObject({ outcome: 'failed', reason: 'BANK_REJECTED' });
    await confirmReturns(minh, r1.body.reconId);

    // Paid again in the next batch, under a reference of its own.
    const second = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${second.batchId}/release`, {})).status).toBe(200);
    const link = await oanh.get(`/finance/batches/${second.batchId}/download?format=csv`);
    const rows = await (await fetch(link.body.url)).text();
    expect(rows).toContain(`${claim.claimNumber}-L2`);
    expect(await getPayout(claim.claimId)).toMatchObject({ status: 'batched', batchId: second.batchId });

    // The first batch's end-of-day file repeats the rejection: it is about the first transfer, and
    // must not take the payout out of the second batch (which the bank pays), or it would be paid twice.
    const endOfDay = [
      'Ma tham chieu,So tien,Trang thai,Ly do',
      `${claim.claimNumber},${claim.amount.toLocaleString('vi-VN')},THAT BAI,Sai ten nguoi thu huong`,
    ].join('\n');
    const r2 = await oanh.post('/finance/reconciliations', { fileName: 'eod.csv', content: endOfDay });
    expect(r2.body.results[0]).toMatchObject({ outcome: 'unmatched', reason: 'EARLIER_TRANSFER' });
    expect(await getPayout(claim.claimId)).toMatchObject({ status: 'batched', batchId: second.batchId });
    expect((await getPayout(claim.claimId))?.failures).toHaveLength(1);

    // The line for the second transfer pays it.
    const r3 = await oanh.post('/finance/reconciliations', {
      fileName: 'second.csv',
      content: `reference,amount,status\n${claim.claimNumber}-L2,${claim.amount},SUCCESS\n`,
    });
    expect(r3.body.results[0]).toMatchObject({ outcome: 'paid', claimNumber: claim.claimNumber });
    await until(hai, claim.claimId, (c) => c.status === 'PAID', 15_000);
  });

  it('an import that stopped half-way finishes when the same file is imported again: each claim is told once', async () => {
    const paid = await paymentQueuedClaim(2, undefined, { policyNumber: await freshPolicy(), cause: 'fire' });
    const rejected = await paymentQueuedClaim(3, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const batch = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    const content = [
      'reference,amount,status,reason',
      `${paid.claimNumber},${paid.amount},SUCCESS,`,
      `${rejected.claimNumber},${rejected.amount},FAILED,Sai ten nguoi thu huong`,
    ].join('\n');
    // What a run stopped by a timeout leaves: the import open, both payouts changed, neither claim told.
    const at = new Date().toISOString();
    const reconId = await openImport(content, 'stopped.csv', 'oanh.vu', at);
    const p1 = (await getPayout(paid.claimId))!;
    const p2 = (await getPayout(rejected.claimId))!;
    expect(await markPayoutPaid(p1, batch.batchId, at, reconId, reconId)).toBe(true);
    expect(
      await reportRejection(p2, {
        batchId: batch.batchId,
        reason: 'BANK_REJECTED',
        reconciliationId: reconId,
        reportedBy: { id: userIdOf('oanh.vu'), name: 'oanh.vu' },
        at,
      }),
    ).toBe(true);
    expect((await getClaim(hai, paid.claimId)).status).toBe('PAYMENT_QUEUED');

    // Finance imports the file again: the lines it had applied are finished on the claims.
    const r = await oanh.post('/finance/reconciliations', { fileName: 'stopped.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      status: 'done',
      paid: 1,
      failed: 1,
      unmatched: 0,
      rejectionsAwaitingConfirmation: 1,
    });
    await until(hai, paid.claimId, (c) => c.status === 'PAID', 15_000);
    const once = async (claimId: string, type: string) =>
      ((await getClaim(hai, claimId)).timeline as { type: string }[]).filter((e) => e.type === type).length;
    expect(await once(paid.claimId, 'PaymentConfirmed')).toBe(1);
    // The rejection waits for a second finance user: nothing on the claim yet.
    expect(await once(rejected.claimId, 'PaymentFailed')).toBe(0);
    await confirmReturns(minh, reconId);
    expect(await once(rejected.claimId, 'PaymentFailed')).toBe(1);
    expect((await minh.get(`/finance/batches/${batch.batchId}`)).body).toMatchObject({
      paidCount: 1,
      failedCount: 1,
    });
    // And a replay of the finished import changes nothing.
    const again = await oanh.post('/finance/reconciliations', { fileName: 'stopped.csv', content });
    expect(again.body).toMatchObject({ replay: true, paid: 1, failed: 1 });
    expect(await once(rejected.claimId, 'PaymentFailed')).toBe(1);

    // Stopped once more, after its last line and before it was marked done: resumed again, the
    // batch still counts each transfer once.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.reconciliation(reconId),
        UpdateExpression: 'SET #s = :processing',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing' },
      }),
    );
    const resumed = await oanh.post('/finance/reconciliations', { fileName: 'stopped.csv', content });
    expect(resumed.body).toMatchObject({ status: 'done', paid: 1, failed: 1, unmatched: 0 });
    expect((await minh.get(`/finance/batches/${batch.batchId}`)).body).toMatchObject({
      paidCount: 1,
      failedCount: 1,
    });
    expect(await once(paid.claimId, 'PaymentConfirmed')).toBe(1);
  });

  it('a resumed import reads a line about an earlier, rejected transfer as such, not as the paid one', async () => {
    const claim = await paymentQueuedClaim(3, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const first = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${first.batchId}/release`, {})).status).toBe(200);
    const intraday = `reference,amount,status,reason\n${claim.claimNumber},${claim.amount},FAILED,Sai ten\n`;
    const r1 = await oanh.post('/finance/reconciliations', { fileName: 'intra.csv', content: intraday });
    expect(r1.status).toBe(201);
    await confirmReturns(minh, r1.body.reconId);
    const second = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${second.batchId}/release`, {})).status).toBe(200);
    // The end-of-day file repeats the first transfer's rejection and confirms the second.
    const content = [
      'reference,amount,status,reason',
      `${claim.claimNumber},${claim.amount},FAILED,Sai ten`,
      `${claim.claimNumber}-L2,${claim.amount},SUCCESS,`,
    ].join('\n');
    // Its import stopped after paying the second transfer, before it finished.
    const at = new Date().toISOString();
    const reconId = await openImport(content, 'eod-stopped.csv', 'oanh.vu', at);
    expect(
      await markPayoutPaid((await getPayout(claim.claimId))!, second.batchId, at, reconId, reconId),
    ).toBe(true);

    const r = await oanh.post('/finance/reconciliations', { fileName: 'eod-stopped.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'done', paid: 1, failed: 0, unmatched: 1 });
    const byLine = Object.fromEntries(r.body.results.map((l: { line: number }) => [l.line, l]));
    expect(byLine[2]).toMatchObject({ outcome: 'unmatched', reason: 'EARLIER_TRANSFER' });
    expect(byLine[3]).toMatchObject({ outcome: 'paid', batchId: second.batchId });
    await until(hai, claim.claimId, (c) => c.status === 'PAID', 15_000);
    expect(
      ((await getClaim(hai, claim.claimId)).timeline as { type: string }[]).filter(
        (e) => e.type === 'PaymentConfirmed',
      ),
    ).toHaveLength(1);
  });

  it('a file imported while an import of it runs answers that it is in progress and changes nothing', async () => {
    const claim = await paymentQueuedClaim(4, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const batch = (await createBatch(minh, randomUUID())).body;
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    const content = `reference,amount,status\n${claim.claimNumber},${claim.amount},SUCCESS\n`;
    // An import of this file is running (minh's, a minute from its start): its lock holds.
    const lockedUntil = new Date(Date.now() + 60_000).toISOString();
    const reconId = await openImport(
      content,
      'running.csv',
      'minh.dang',
      new Date().toISOString(),
      lockedUntil,
    );
    const beside = await oanh.post('/finance/reconciliations', { fileName: 'running.csv', content });
    expect(beside.status, JSON.stringify(beside.body)).toBe(200);
    expect(beside.body).toMatchObject({
      reconId,
      status: 'processing',
      lockedUntil,
      replay: true,
      results: [],
    });
    expect(await getPayout(claim.claimId)).toMatchObject({ status: 'batched', batchId: batch.batchId });

    // That import stopped (its lock ran out): the file is imported again, once, however many ask.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.reconciliation(reconId),
        UpdateExpression: 'SET lockedUntil = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const both = await Promise.all([
      oanh.post('/finance/reconciliations', { fileName: 'running.csv', content }),
      minh.post('/finance/reconciliations', { fileName: 'running.csv', content }),
    ]);
    expect(
      both.filter((r) => r.status === 201),
      JSON.stringify(both.map((r) => r.body)),
    ).toHaveLength(1);
    expect(both.find((r) => r.status === 201)?.body).toMatchObject({ status: 'done', paid: 1 });
    expect((await getPayout(claim.claimId))?.status).toBe('paid');
    await until(hai, claim.claimId, (c) => c.status === 'PAID', 15_000);
    expect(
      ((await getClaim(hai, claim.claimId)).timeline as { type: string }[]).filter(
        (e) => e.type === 'PaymentConfirmed',
      ),
    ).toHaveLength(1);
    expect((await minh.get(`/finance/batches/${batch.batchId}`)).body).toMatchObject({ paidCount: 1 });
  });

  it('keeps each bank file’s SHA-256 and audits it; a confirmation line naming another account pays nothing', async () => {
    const right = await paymentQueuedClaim(1, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const edited = await paymentQueuedClaim(2, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const batch = (await createBatch(minh, randomUUID())).body;
    expect(batch.fileSha256).toEqual({
      csv: expect.stringMatching(/^[0-9a-f]{64}$/),
      xlsx: expect.any(String),
    });
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    // The digest is of the file exactly as stored and handed out.
    for (const format of ['csv', 'xlsx'] as const) {
      const link = await oanh.get(`/finance/batches/${batch.batchId}/download?format=${format}`);
      const bytes = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(batch.fileSha256[format]);
    }
    const admin = await as('admin');
    const audit = (await admin.get('/admin/audit')).body.items as {
      type: string;
      data: { batchId?: string; format?: string; sha256?: string };
    }[];
    const downloads = audit.filter(
      (e) => e.type === 'PaymentBatchDownloaded' && e.data.batchId === batch.batchId,
    );
    expect(downloads.map((e) => [e.data.format, e.data.sha256]).sort()).toEqual([
      ['csv', batch.fileSha256.csv],
      ['xlsx', batch.fileSha256.xlsx],
    ]);

    // The bank's confirmation names the account it credited: the file was edited for the second.
    const content = [
      'Ma tham chieu,So tien,Trang thai,So tai khoan',
      `${right.claimNumber},${right.amount},THANH CONG,0011004455667`,
      `${edited.claimNumber},${edited.amount},THANH CONG,0011004459999`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: 'with-accounts.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ paid: 1, failed: 0, unmatched: 1 });
    expect(r.body.results[1]).toMatchObject({ outcome: 'unmatched', reason: 'ACCOUNT_MISMATCH' });
    expect(JSON.stringify(r.body)).not.toContain('0011004459999');
    expect(await getPayout(edited.claimId)).toMatchObject({ status: 'batched', batchId: batch.batchId });
    expect((await getPayout(right.claimId))?.status).toBe('paid');
  });

  it('a payment queued on time and paid after its deadline carries late interest to the day its bank file is written', async () => {
    const claim = await paymentQueuedClaim(1, undefined, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
    });
    const queued = (await getPayout(claim.claimId))!;
    expect(queued).toMatchObject({ interest: 0, owed: claim.amount });
    expect(queued.dueAt).toBeDefined();
    // The deadline passes while the payout waits for a batch: ten days ago, as far as the payout knows.
    const dueAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.payout(claim.claimId),
        UpdateExpression: 'SET dueAt = :d',
        ExpressionAttributeValues: { ':d': dueAt },
      }),
    );
    const batch = await prepared(minh, (await createBatch(minh, randomUUID())).body.batchId);
    const line = (await getPayout(claim.claimId))!;
    expect(line.batchId).toBe(batch.batchId);
    // 10% a year on what is owed, for the ten Vietnamese days from the due date to today.
    const interest = Math.round((claim.amount * 0.1 * 10) / 365);
    expect(line.interest).toBe(interest);
    expect(line.amount).toBe(claim.amount + interest);

    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    const content = [
      'reference,amount,status,reason,bank_ref',
      `${claim.claimNumber},${line.amount},SUCCESS,,FT26LI`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', {
      fileName: `late-${claim.claimNumber}.csv`,
      content,
    });
    expect(r.body).toMatchObject({ paid: 1, unmatched: 0 });
    // The customer sees what the bank paid and how: what was owed, and the interest.
    const paid = await until(an, claim.claimId, (x) => x.status === 'PAID', 20_000);
    expect(paid.payment.amount.amount).toBe(line.amount);
    expect(paid.payment.parts).toMatchObject({
      owed: claim.amount,
      lateInterest: interest,
      amount: line.amount,
    });
  });

  it('puts every import that applies a file on the admin audit chain with the file’s SHA-256', async () => {
    const importsOf = async (reconId: string) =>
      (await adminEvents()).filter(
        (e) => e.type === 'BankConfirmationImported' && e.data?.reconId === reconId,
      );
    // A file of its own (a unique bank reference): nothing in it matches, it is imported all the same.
    const content = `reference,amount,status,bank_ref\nBT-2026-999998,1000000,SUCCESS,${randomUUID()}\n`;
    const sha256 = createHash('sha256').update(content).digest('hex');
    const r = await oanh.post('/finance/reconciliations', { fileName: 'audited.csv', content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // The reconciliation id is the first 24 hex digits of that SHA-256; the record keeps all of it.
    expect(r.body).toMatchObject({ reconId: `RC-${sha256.slice(0, 24)}`, fileSha256: sha256 });
    const first = await importsOf(r.body.reconId);
    expect(first.map((e) => [e.actor.id, e.data])).toEqual([
      [userIdOf('oanh.vu'), { reconId: r.body.reconId, fileName: 'audited.csv', sha256, lines: 1 }],
    ]);
    // The same file again changes nothing, and records nothing.
    const again = await minh.post('/finance/reconciliations', { fileName: 'audited (1).csv', content });
    expect(again.body.replay).toBe(true);
    expect(await importsOf(r.body.reconId)).toHaveLength(1);

    // An import that stopped is resumed by another finance user: that import is recorded too.
    const stopped = `reference,amount,status,bank_ref\nBT-2026-999997,1000000,SUCCESS,${randomUUID()}\n`;
    const reconId = await openImport(stopped, 'stopped-audited.csv', 'oanh.vu', new Date().toISOString());
    const resumed = await minh.post('/finance/reconciliations', {
      fileName: 'stopped-audited.csv',
      content: stopped,
    });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    const resumes = await importsOf(reconId);
    expect(resumes.map((e) => [e.actor.id, e.data])).toEqual([
      [
        userIdOf('minh.dang'),
        {
          reconId,
          fileName: 'stopped-audited.csv',
          sha256: createHash('sha256').update(stopped).digest('hex'),
          lines: 1,
          resumed: true,
          importedBy: userIdOf('oanh.vu'),
        },
      ],
    ]);
  });

  it('refuses a file without the columns it needs', async () => {
    const r = await minh.post('/finance/reconciliations', { fileName: 'x.csv', content: 'a,b\n1,2\n' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CONFIRMATION_FILE_INVALID');
  });
});
