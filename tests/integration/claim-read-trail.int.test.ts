import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../lambdas/runtime/logger.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { captureOutput } from '../helpers/captured-output.ts';
import { fileClaim } from '../helpers/claims.ts';
import { startInProcessApi } from '../helpers/in-process-api.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * After a leak, who read which claim file: each request's log line names the caller and the claim.
 * The requests go through an API front door in this worker (tests/helpers/in-process-api.ts): one
 * logger for every handler, as a warm function keeps it between invocations, and what it writes is
 * captured.
 */
useStack();
const output = captureOutput();
let stop: () => Promise<void>;
let api: Record<'an' | 'binh' | 'em' | 'finance' | 'anonymous', Api>;
let claimId: string;

beforeAll(async () => {
  // The stack runs its functions quiet; on AWS they log at INFO (lib/claims-function.ts).
  logger.setLogLevel('INFO');
  const gateway = await startInProcessApi();
  stop = gateway.stop;
  const [an, binh, em, finance, anonymous] = await Promise.all([
    apiAs(gateway.url, 'an.nguyen'),
    apiAs(gateway.url, 'binh.tran'),
    apiAs(gateway.url, 'em.vo'),
    apiAs(gateway.url, 'minh.dang'),
    apiAs(gateway.url),
  ]);
  api = { an, binh, em, finance, anonymous };
  ({ claimId } = await fileClaim(an));
});

afterAll(async () => {
  output.restore();
  await stop?.();
});

/** A GET tagged with its own correlation id, and the log lines of that request. */
async function read(who: Api, path: string) {
  const correlationId = randomUUID();
  const r = await who.raw(path, { method: 'GET', headers: { 'x-correlation-id': correlationId } });
  return { ...r, logged: output.lines().filter((l) => l.correlationId === correlationId) };
}

describe('the trail of who read which claim', () => {
  it("names the reader and the claim on the request's log line, and not on the next caller's", async () => {
    const adjuster = await read(api.em, `/claims/${claimId}`);
    expect(adjuster.status).toBe(200);
    expect(adjuster.logged).toContainEqual(
      expect.objectContaining({
        message: 'request served',
        route: 'GetClaim',
        userId: userIdFor('em.vo'),
        callerKind: 'staff',
        claimId,
      }),
    );
    const customer = await read(api.an, `/claims/${claimId}`);
    expect(customer.logged).toContainEqual(
      expect.objectContaining({ userId: userIdFor('an.nguyen'), callerKind: 'customer', claimId }),
    );

    // The same warm logger, another caller, a route without a claim: nothing of the last one's.
    const me = await read(api.finance, '/me');
    expect(me.status).toBe(200);
    expect(me.logged).toContainEqual(
      expect.objectContaining({ message: 'request served', route: 'GetMe', userId: userIdFor('minh.dang') }),
    );
    for (const line of me.logged) expect(line).not.toHaveProperty('claimId');

    const health = await read(api.anonymous, '/health');
    expect(health.logged).toContainEqual(
      expect.objectContaining({ message: 'request served', route: 'Health' }),
    );
    for (const line of health.logged) {
      expect(line).not.toHaveProperty('userId');
      expect(line).not.toHaveProperty('claimId');
    }
  });

  it('names a refused reader and the claim they tried', async () => {
    const refused = await read(api.binh, `/claims/${claimId}`);
    expect(refused.status).toBe(404);
    expect(refused.logged).toContainEqual(
      expect.objectContaining({
        message: 'request rejected',
        userId: userIdFor('binh.tran'),
        callerKind: 'customer',
        claimId,
      }),
    );
  });
});
