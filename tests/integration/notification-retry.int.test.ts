import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, ThrottledException } from '@aws-sdk/client-sns';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, ses, sns } from '../../lambdas/adapters/aws-clients.ts';
import { getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { getPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { notifyForEvent } from '../../lambdas/app/notifications.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import { NOTIFICATION_FAILED_METRIC } from '../../lambdas/core/claim-metrics.ts';
import { customerRecipients, notificationContact } from '../../lambdas/core/controls.ts';
import type { ClaimEvent } from '../../lambdas/core/events.ts';
import { fileClaim } from '../helpers/claims.ts';
import { payoutAccountChangedEvent } from '../helpers/notice-events.ts';
import { type Api, apiAs, eventually, sentEmails, snsInbox, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * A notice goes to several recipients; each hears once however often it is delivered, and none is
 * dropped because another one went out. The sends run in this process against the local SES and
 * SNS stand-ins and the local table; an SNS throttle is injected with aws-sdk-client-mock (the
 * stand-in cannot throttle, and a real throttle cannot be caused on demand), while a permanent
 * refusal is the stand-in's own (a stored number SNS does not take). Metrics are captured.
 */
const stack = useStack();
const counted = vi.hoisted(() => [] as string[]);
vi.mock('../../lambdas/adapters/metrics.ts', () => ({
  countMetrics: (names: readonly string[]) => void counted.push(...names),
}));

/** Motor policies of an.nguyen's of this suite's own, removed after it. */
const policies = suitePolicies('MOT-NTF');
afterAll(() => policies.removeAll());

let an: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

let snsMock: ReturnType<typeof mockClient> | undefined;
let sesMock: ReturnType<typeof mockClient> | undefined;
afterEach(() => {
  snsMock?.restore();
  snsMock = undefined;
  sesMock?.restore();
  sesMock = undefined;
});

/** One of this suite's policies, its registered contacts set in the table as given. */
async function policyWithContacts(contacts: { name?: string; email?: string; phone?: string }[]) {
  const policyNumber = await policies.running(200, 200);
  await dynamo().send(
    new UpdateCommand({
      TableName: stack.env.TABLE_NAME,
      Key: keys.policy(policyNumber),
      UpdateExpression: 'SET contacts = :c',
      ExpressionAttributeValues: { ':c': contacts },
    }),
  );
  return policyNumber;
}

/** A claim as stored, and the notice-worthy event told about it (not written: only notified here). */
async function payoutAccountChanged(policyNumber?: string): Promise<{ claim: Claim; event: ClaimEvent }> {
  const { claimId } = await fileClaim(an, policyNumber ? { policyNumber } : {});
  const claim = await getClaim(claimId);
  if (!claim) throw new Error('claim not stored');
  const event = payoutAccountChangedEvent(claim);
  return { claim, event };
}

const emailsAbout = async (claimNumber: string) =>
  (await sentEmails()).filter((m) => m.subject.includes(claimNumber) && /account|tài khoản/i.test(m.subject));
const smsAbout = async (claimNumber: string) =>
  (await snsInbox()).filter((m) => m.kind === 'sms' && m.message.includes(claimNumber));

describe('a notice to several recipients', () => {
  it('is retried when the SMS is throttled though the e-mail went out, and the retry sends only the SMS', async () => {
    const { claim, event } = await payoutAccountChanged();
    snsMock = mockClient(sns());
    snsMock
      .on(PublishCommand)
      .rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    // First delivery: the e-mail goes out, the SMS to the account's owner is throttled. The stream
    // record must fail (and be retried), not count as done.
    await expect(notifyForEvent(claim, event)).rejects.toMatchObject({ name: 'TransientDependencyError' });
    const throttled = snsMock.commandCalls(PublishCommand).length;
    expect(throttled, 'an SMS was attempted').toBeGreaterThan(0);
    const emailsFirst = await emailsAbout(claim.claimNumber);
    expect(emailsFirst.length, 'the e-mail went out on the first attempt').toBeGreaterThan(0);
    expect(await smsAbout(claim.claimNumber)).toEqual([]);

    // The redelivered record, SNS answering again: the SMS goes out, the e-mail is not sent twice.
    snsMock.restore();
    snsMock = undefined;
    const retry = await notifyForEvent(claim, event);
    expect(retry).toMatchObject({ failed: 0 });
    expect(await smsAbout(claim.claimNumber)).toHaveLength(throttled);
    expect(await emailsAbout(claim.claimNumber)).toHaveLength(emailsFirst.length);
    // A transient failure is not a failure for good: nothing to alarm on.
    expect(counted).not.toContain(NOTIFICATION_FAILED_METRIC);
  });

  it('is retried, not counted as sent, while an attempt that took a notice has not said how it went', async () => {
    // Two e-mail recipients: the claim's contact and one the policy file registers.
    const { claim, event } = await payoutAccountChanged(
      await policyWithContacts([{ name: 'Kế toán', email: `ke.toan.${Date.now()}@example.vn` }]),
    );
    // An attempt takes the e-mail notices and dies before SES answers (its call never returns:
    // the function timed out or crashed): the notices stay `sending`.
    sesMock = mockClient(ses());
    sesMock.on(SendEmailCommand).callsFake(() => new Promise(() => undefined));
    void notifyForEvent(claim, event).catch(() => undefined);
    // Every e-mail recipient's send has started (and hangs).
    const policy = await getPolicy(claim.policyNumber);
    const taken = customerRecipients(notificationContact(claim), policy?.contacts ?? []).emails.length;
    expect(taken).toBe(2);
    await eventually(async () =>
      sesMock!.commandCalls(SendEmailCommand).length === taken ? true : undefined,
    );
    sesMock.restore();
    sesMock = undefined;

    // The redelivered record must not report the notice sent: nobody sent it.
    await expect(notifyForEvent(claim, event)).rejects.toMatchObject({ name: 'TransientDependencyError' });
    expect(await emailsAbout(claim.claimNumber)).toEqual([]);

    // Once the taken notices are stale (NOTICE_STALE_MS; moved back here rather than waited for),
    // a retry sends them.
    const stale = new Date(Date.now() - 60 * 60_000).toISOString();
    const items = await dynamo().send(
      new QueryCommand({
        TableName: stack.env.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.notice(claim.claimId, '').pk },
      }),
    );
    const sending = (items.Items ?? []).filter((i) => i.status === 'sending');
    expect(sending).toHaveLength(taken);
    for (const i of sending)
      await dynamo().send(
        new UpdateCommand({
          TableName: stack.env.TABLE_NAME,
          Key: { pk: i.pk, sk: i.sk },
          UpdateExpression: 'SET #at = :stale',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':stale': stale },
        }),
      );
    await expect(notifyForEvent(claim, event)).resolves.toMatchObject({ failed: 0 });
    expect(await emailsAbout(claim.claimNumber)).toHaveLength(taken);
  });

  it('counts a recipient refused for good (NotificationFailed) and is not retried', async () => {
    // A policy contact whose stored number SNS refuses ("+84903 111 222" is not E.164), written
    // straight to the table: the notifier sends what is stored, and the local SNS refuses it as
    // SNS does (InvalidParameter), for good. Resolving (not throwing) is "not retried".
    const { claim, event } = await payoutAccountChanged(
      await policyWithContacts([{ name: 'Người liên hệ', phone: '0903 111 222' }]),
    );
    counted.length = 0;
    const outcome = await notifyForEvent(claim, event);
    // The claim's own number hears; the stored one is refused by SNS, once, and counted.
    expect(outcome).toMatchObject({ failed: 1, channels: expect.arrayContaining(['email', 'sms']) });
    expect(counted.filter((m) => m === NOTIFICATION_FAILED_METRIC)).toHaveLength(1);
    const sms = await smsAbout(claim.claimNumber);
    expect(sms.map((m) => m.to)).toEqual([`+84${claim.report.contact.phone.slice(1)}`]);
  });
});
