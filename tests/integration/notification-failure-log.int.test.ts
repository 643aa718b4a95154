import { MessageRejected, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ses } from '../../lambdas/adapters/aws-clients.ts';
import { getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { notifyForEvent } from '../../lambdas/app/notifications.ts';
import { logger } from '../../lambdas/runtime/logger.ts';
import { captureOutput } from '../helpers/captured-output.ts';
import { fileClaim } from '../helpers/claims.ts';
import { payoutAccountChangedEvent } from '../helpers/notice-events.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * A notice SES refuses is logged by why, not in SES's words: in the sandbox those name the
 * recipient ("Email address is not verified. The following identities failed the check in region
 * AP-SOUTHEAST-1: an@example.vn"). The send runs in this process against the local stand-ins with
 * SES's answer injected (aws-sdk-client-mock), and what is logged is captured.
 */
const stack = useStack();
const output = captureOutput();
let an: Api;
const sesMock = mockClient(ses());

beforeAll(async () => {
  logger.setLogLevel('INFO');
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

afterAll(() => {
  sesMock.restore();
  output.restore();
});

describe('a notice SES refuses', () => {
  it('is logged with the error name, HTTP status and code, never the address SES names', async () => {
    const { claimId } = await fileClaim(an);
    const claim = await getClaim(claimId);
    if (!claim) throw new Error('claim not stored');
    const refusedTo: string[] = [];
    sesMock.on(SendEmailCommand).callsFake((input: { Destination?: { ToAddresses?: string[] } }) => {
      const to = input.Destination?.ToAddresses?.join(', ') ?? '';
      refusedTo.push(to);
      throw new MessageRejected({
        message: `Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: ${to}`,
        $metadata: { httpStatusCode: 400 },
      });
    });
    const event = payoutAccountChangedEvent(claim);

    const outcome = await notifyForEvent(claim, event);
    expect(outcome?.failed).toBeGreaterThan(0);
    expect(refusedTo.join('')).toContain('@');

    const text = output.text();
    for (const to of refusedTo) expect(text).not.toContain(to);
    const notSent = output
      .lines()
      .filter((l) => l.message === 'notification not sent' && l.claimId === claimId);
    expect(notSent.length).toBe(refusedTo.length);
    for (const line of notSent) expect(line.error).toEqual({ name: 'MessageRejected', httpStatusCode: 400 });
  });
});
