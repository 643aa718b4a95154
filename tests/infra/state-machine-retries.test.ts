import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLAIM_STATE_MACHINE,
  DEADLINE_REPLAN_STATE_MACHINE,
  POLICY_IMPORT_STATE_MACHINE,
} from '../../lambdas/task-functions.ts';
import { REPO_ROOT } from '../../lib/config.ts';

/**
 * The Lambda service faults a Task state retries: Step Functions reports a failed Invoke call under
 * these names, and the AWS SDK integration's `Lambda.AWSLambdaException` is one of them (a 5xx the
 * other names do not cover). A Retry that lists Lambda's service errors lists them all, in every
 * state machine, so one machine does not fail a claim on a blip another one rides out.
 */
const LAMBDA_SERVICE_FAULTS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.TooManyRequestsException',
  'Lambda.SdkClientException',
];

interface Retrier {
  ErrorEquals: string[];
}

/** Every Retry of every state, nested ones (Parallel branches, Map processors) included. */
function retriers(states: Record<string, unknown>, path = ''): { at: string; retry: Retrier }[] {
  return Object.entries(states).flatMap(([name, raw]) => {
    const state = raw as {
      Retry?: Retrier[];
      Branches?: { States: Record<string, unknown> }[];
      ItemProcessor?: { States: Record<string, unknown> };
      Iterator?: { States: Record<string, unknown> };
    };
    const at = `${path}${name}`;
    return [
      ...(state.Retry ?? []).map((retry) => ({ at, retry })),
      ...(state.Branches ?? []).flatMap((b, i) => retriers(b.States, `${at}[${i}].`)),
      ...[state.ItemProcessor, state.Iterator].flatMap((p) => (p ? retriers(p.States, `${at}.`) : [])),
    ];
  });
}

describe('state machine retries (every ASL file)', () => {
  const files = readdirSync(join(REPO_ROOT, 'statemachines')).filter((f) => f.endsWith('.asl.json'));

  it('covers every state machine the app deploys', () => {
    const deployed = [CLAIM_STATE_MACHINE, POLICY_IMPORT_STATE_MACHINE, DEADLINE_REPLAN_STATE_MACHINE].map(
      (m) => m.file.replace('statemachines/', ''),
    );
    expect(files.sort()).toEqual(deployed.sort());
  });

  it.each(files)('%s: a Retry on Lambda service faults lists all of them', (file) => {
    const asl = JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', file), 'utf8')) as {
      States: Record<string, unknown>;
    };
    const onServiceFaults = retriers(asl.States).filter(({ retry }) =>
      retry.ErrorEquals.includes('Lambda.ServiceException'),
    );
    expect(onServiceFaults.length, file).toBeGreaterThan(0);
    for (const { at, retry } of onServiceFaults) {
      expect(retry.ErrorEquals, `${file} ${at}`).toEqual(expect.arrayContaining(LAMBDA_SERVICE_FAULTS));
    }
  });
});
