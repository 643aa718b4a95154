import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { chainHead } from '../../lambdas/adapters/dynamo/admin-audit-repo.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { anchorExistingChains } from '../../lambdas/app/anchor-existing-chains.ts';
import { claimAuditTrail } from '../../lambdas/app/audit-trail.ts';
import { AUDIT_ANCHOR_GRACE_MS } from '../../lambdas/core/audit-anchor.ts';
import { type ClaimEvent, hashEvent, verifyChain } from '../../lambdas/core/events.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { fileClaim, parked, until } from '../helpers/claims.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * The KMS anchors of the audit chains, against the running local stack (the anchoring function on
 * the table stream, the KMS stand-in's GenerateMac and VerifyMac): someone with write access to
 * the table rewrites a claim's events and its head consistently, SHA-256 hashes recomputed, which
 * the hash chain alone cannot see; the anchor does. Deleting the anchor is seen once the grace
 * period is over.
 */
const stack = useStack();
let an: Api;
let hai: Api;
let admin: Api;
beforeAll(async () => {
  [an, hai, admin] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'admin'),
  ]);
});
const policies = suitePolicies('MOT-ANC');
afterAll(() => policies.removeAll());

interface AuditBody {
  verdict: { ok: boolean; length?: number; brokenAt?: number; reason?: string };
  anchoredSeq: number;
  events: ClaimEvent[];
}
const audit = async (claimId: string) => (await hai.get(`/claims/${claimId}/audit`)).body as AuditBody;

/** Files a claim, lets the workflow and the stream settle, and waits until its newest event is anchored. */
async function anchoredClaim(): Promise<{ claimId: string; trail: AuditBody }> {
  const { claimId } = await fileClaim(an, { policyNumber: await policies.running(200, 200) });
  await until(hai, claimId, parked());
  let seen = -1;
  const trail = await eventually(
    async () => {
      const t = await audit(claimId);
      // Quiet (nothing new since the last look) and anchored up to its last event.
      const settled = t.events.length === seen && t.anchoredSeq === t.events.length;
      seen = t.events.length;
      return settled ? t : undefined;
    },
    20_000,
    700,
    'the claim’s chain anchored at its newest event',
  );
  expect(trail.verdict).toEqual({ ok: true, length: trail.events.length });
  return { claimId, trail };
}

/** What a table-level rewrite does: event `fromSeq` edited, every later hash and the claim head recomputed. */
async function rewriteConsistently(claimId: string, events: ClaimEvent[], fromSeq: number) {
  const out: ClaimEvent[] = [];
  let prevHash = events[fromSeq - 2]!.hash;
  for (const e of events.slice(fromSeq - 1)) {
    const { hash: _old, ...body } = e;
    const edited = { ...body, prevHash, ...(e.seq === fromSeq ? { data: { ...e.data, forged: true } } : {}) };
    const sealed = { ...edited, hash: hashEvent(edited) };
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.event(claimId, e.seq), entity: 'ClaimEvent', ...sealed },
      }),
    );
    out.push(sealed);
    prevHash = sealed.hash;
  }
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.claim(claimId),
      UpdateExpression: 'SET lastEventHash = :h',
      ExpressionAttributeValues: { ':h': prevHash },
    }),
  );
  return [...events.slice(0, fromSeq - 1), ...out];
}

describe('audit chain anchors', () => {
  it('detect a consistent rewrite of a claim’s events and head, which the hash chain alone passes', async () => {
    const { claimId, trail } = await anchoredClaim();
    const last = trail.events.length;
    const forged = await rewriteConsistently(claimId, trail.events, 2);
    // The SHA-256 chain and the head agree with the rewrite: without the anchor it would say OK.
    expect(verifyChain(forged, { lastSeq: last, lastHash: forged.at(-1)!.hash })).toEqual({
      ok: true,
      length: last,
    });
    const after = await audit(claimId);
    expect(after.events.find((e) => e.seq === 2)?.data).toMatchObject({ forged: true });
    expect(after.verdict).toEqual({ ok: false, brokenAt: last, reason: 'ANCHOR_MISMATCH' });

    // The application keeps appending onto the forged head; the anchorer does not vouch for it.
    expect((await hai.post(`/claims/${claimId}/notes`, { text: 'Ghi chú sau khi sửa' })).status).toBe(201);
    await eventually(async () => ((await audit(claimId)).events.length > last ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));
    const appended = await audit(claimId);
    expect(appended.verdict).toEqual({ ok: false, brokenAt: last, reason: 'ANCHOR_MISMATCH' });

    // Pointing the anchor at the forged head instead: its MAC is no longer KMS's.
    const anchor = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: keys.claimAnchor(claimId) }),
    );
    expect(anchor.Item?.seq).toBe(last);
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...anchor.Item, hash: forged.at(-1)!.hash },
      }),
    );
    expect((await audit(claimId)).verdict).toEqual({ ok: false, brokenAt: last, reason: 'ANCHOR_INVALID' });
  });

  it('report a deleted anchor once the grace period is over, and do not re-anchor the chain', async () => {
    const { claimId } = await anchoredClaim();
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.claimAnchor(claimId) }));
    // Within the grace period the route still passes (anchoring may be running late)…
    const now = await audit(claimId);
    expect(now).toMatchObject({ verdict: { ok: true }, anchoredSeq: 0 });
    // …and a new event does not bring the anchor back over events nobody can vouch for any more.
    expect((await hai.post(`/claims/${claimId}/notes`, { text: 'Ghi chú' })).status).toBe(201);
    await eventually(async () =>
      (await audit(claimId)).events.length > now.events.length ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const anchor = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: keys.claimAnchor(claimId) }),
    );
    expect(anchor.Item).toBeUndefined();
    // The same verification, its clock past the grace period: the events are unanchored.
    const supervisor = {
      userId: userIdFor('hai.do'),
      username: 'hai.do',
      roles: ['supervisor' as const],
      locale: 'vi' as const,
    };
    const later = { now: () => new Date(Date.now() + AUDIT_ANCHOR_GRACE_MS + 60_000) };
    const trail = await claimAuditTrail(supervisor, claimId, later);
    expect(trail).toMatchObject({
      verdict: { ok: false, brokenAt: 1, reason: 'UNANCHORED' },
      anchoredSeq: 0,
    });
  });

  it('anchor the administration chain too', async () => {
    const head = await chainHead();
    const r = await eventually(
      async () => {
        const body = (await admin.get('/admin/audit')).body as {
          verdict: { ok: boolean };
          anchoredSeq: number;
        };
        return body.anchoredSeq >= head.lastSeq ? body : undefined;
      },
      10_000,
      200,
      'the admin chain anchored at its head',
    );
    expect(r.verdict.ok).toBe(true);
    expect(r.anchoredSeq).toBeGreaterThan(0);
  });

  it('can be given, once, to chains older than anchoring that verify, and never to one that does not', async () => {
    const [{ claimId: old }, { claimId: edited }] = await Promise.all([anchoredClaim(), anchoredClaim()]);
    // As before anchoring existed: no anchor. One of them was also edited (not even consistently).
    for (const id of [old, edited])
      await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.claimAnchor(id) }));
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.event(edited, 2),
        UpdateExpression: 'SET #d = :d',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':d': { forged: true } },
      }),
    );
    const report = await anchorExistingChains(systemClock, { claimIds: [old, edited] });
    expect(report).toEqual({
      anchored: 1,
      alreadyAnchored: 0,
      broken: [{ chain: `claim/${edited}`, brokenAt: 2, reason: 'CONTENT_ALTERED' }],
    });
    const trail = await audit(old);
    expect(trail.verdict.ok).toBe(true);
    expect(trail.anchoredSeq).toBe(trail.events.length);
    const none = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: keys.claimAnchor(edited) }),
    );
    expect(none.Item).toBeUndefined();
    // Again: nothing left to do.
    expect(await anchorExistingChains(systemClock, { claimIds: [old] })).toMatchObject({
      anchored: 0,
      alreadyAnchored: 1,
    });
  });
});
