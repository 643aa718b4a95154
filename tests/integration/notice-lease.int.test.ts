import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ses } from '../../lambdas/adapters/aws-clients.ts';
import { getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { takeNotice } from '../../lambdas/adapters/dynamo/notices-repo.ts';
import { notifyForEvent } from '../../lambdas/app/notifications.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import type { ClaimEvent } from '../../lambdas/core/events.ts';
import { handler } from '../../lambdas/handlers/events/process-claim-events.ts';
import { inStreamInvocation } from '../../lambdas/runtime/notice-lease.ts';
import { fileClaim } from '../helpers/claims.ts';
import { payoutAccountChangedEvent } from '../helpers/notice-events.ts';
import { type Api, apiAs, eventually, sentEmails, useStack } from '../helpers/stack.ts';

/**
 * A notice taken by a stream invocation that died before SES answered (lambdas/runtime/notice-lease.ts)
 * is taken over by the record's next delivery at once, instead of holding all five of the stream's
 * back-to-back retries until it goes stale and sending the record to the dead-letter queue; a notice
 * any other sender holds still waits. The sends run in this process against the local SES stand-in
 * and the local table; the dying attempt is an SES call that never returns (aws-sdk-client-mock: a
 * crash cannot be caused on demand in this process).
 */
const stack = useStack();
let an: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

let sesMock: ReturnType<typeof mockClient> | undefined;
afterEach(() => {
  sesMock?.restore();
  sesMock = undefined;
});

const day = new Date();
const lease = (holder: string) => ({ holder, lane: 'stream' as const });

describe('the notice lease of a stream invocation', () => {
  it('is taken over by another invocation of the stream, never by itself or by a sender outside it', async () => {
    const claimId = `LEASETEST-${randomUUID()}`;
    expect(await takeNotice(claimId, 'k#email#a', day, 60_000, lease('inv-1'))).toBe('taken');
    // The same invocation (another of its records) does not take it from itself.
    expect(await takeNotice(claimId, 'k#email#a', day, 60_000, lease('inv-1'))).toBe('sending');
    // A sender outside the lane waits for it to go stale.
    expect(await takeNotice(claimId, 'k#email#a', day, 60_000)).toBe('sending');
    // The record's next delivery: the first invocation is over.
    expect(await takeNotice(claimId, 'k#email#a', day, 60_000, lease('inv-2'))).toBe('taken');
    expect(await takeNotice(claimId, 'k#email#a', day, 60_000, lease('inv-2'))).toBe('sending');

    // Taken by a sender outside the lane (a schedule, a task): the stream waits like anyone else.
    expect(await takeNotice(claimId, 'k#email#b', day, 60_000)).toBe('taken');
    expect(await takeNotice(claimId, 'k#email#b', day, 60_000, lease('inv-3'))).toBe('sending');
  });

  it('lets the stream handler send a notice an earlier invocation took and died holding', async () => {
    const { claim, event } = await payoutAccountChanged();
    // An earlier stream invocation takes the e-mail notices and dies before SES answers.
    sesMock = mockClient(ses());
    sesMock.on(SendEmailCommand).callsFake(() => new Promise(() => undefined));
    void inStreamInvocation('dead-invocation', () => notifyForEvent(claim, event)).catch(() => undefined);
    await eventually(async () => (sesMock!.commandCalls(SendEmailCommand).length > 0 ? true : undefined));
    sesMock.restore();
    sesMock = undefined;

    // Outside the stream (a schedule firing the same notice) it is still in flight: nothing sent.
    await expect(notifyForEvent(claim, event)).rejects.toMatchObject({ name: 'TransientDependencyError' });
    expect(await emailsAbout(claim.claimNumber)).toEqual([]);

    // The stream delivers the record again, in a new invocation: the notice goes out now, once.
    const context = { awsRequestId: 'retry-invocation', getRemainingTimeInMillis: () => 60_000 } as Context;
    const result = await handler({ Records: [streamRecord(event)] }, context);
    expect(result).toEqual({ batchItemFailures: [] });
    const sent = await emailsAbout(claim.claimNumber);
    expect(sent.length).toBeGreaterThan(0);
    // Delivered once more: sent before, nothing new.
    expect(await handler({ Records: [streamRecord(event)] }, { ...context, awsRequestId: 'third' })).toEqual({
      batchItemFailures: [],
    });
    expect(await emailsAbout(claim.claimNumber)).toHaveLength(sent.length);
  });
});

/** A claim as stored, and the notice-worthy event told about it (not written: only delivered here). */
async function payoutAccountChanged(): Promise<{ claim: Claim; event: ClaimEvent }> {
  const { claimId } = await fileClaim(an);
  const claim = await getClaim(claimId);
  if (!claim) throw new Error('claim not stored');
  const event = payoutAccountChangedEvent(claim);
  return { claim, event };
}

/** The table-stream record of `event` stored, as Lambda hands it to the processor. */
const streamRecord = (event: ClaimEvent) => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    NewImage: marshall({
      ...event,
      entity: 'ClaimEvent',
      pk: `CLAIM#${event.claimId}`,
      sk: `EVENT#${event.seq}`,
    }),
  },
});

const emailsAbout = async (claimNumber: string) =>
  (await sentEmails()).filter((m) => m.subject.includes(claimNumber) && /account|tài khoản/i.test(m.subject));
