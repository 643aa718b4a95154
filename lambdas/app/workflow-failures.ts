import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import { holdPayoutForWorkflowFailure } from '../adapters/dynamo/finance-repo.ts';
import {
  acknowledgeFailure,
  openWorkflowFailures,
  type StoredWorkflowFailure,
  putWorkflowFailure,
  workflowFailuresOfClaim,
} from '../adapters/dynamo/workflow-failures-repo.ts';
import type * as z from 'zod/mini';
import type { Claim } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import { SYSTEM } from '../core/events.ts';
import type { Clock } from '../core/time.ts';
import { describeFailure, type FailureInput, holdsPayout } from '../core/workflow-failures.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';

/**
 * The workflow's compensating step (RecordWorkflowFailure in the ASL), run when a step failed for
 * good: the failure becomes an alert supervisors see on GET /workflow/alerts (written first, so it
 * exists even when the claim itself cannot be read), a payout the payment steps left in finance's
 * queue is held, and the claim records a staff-visible timeline event. Running it twice for one
 * execution has one effect.
 *
 * `continued`: the step's failure does not stop the claim (RecordAcknowledgementFailure: the
 * acknowledgement could not be sent) and the workflow goes on. It is recorded the same way, as a
 * `WorkflowStepSkipped` event and an alert marked `continued`, under its own record for the
 * execution and the state, so a later step that stops the same execution is still recorded.
 */
export async function recordWorkflowFailure(
  input: {
    claimId: string;
    executionName: string;
    failure: z.output<typeof FailureInput>;
    continued?: boolean;
  },
  clock: Clock,
) {
  const { claimId, continued = false } = input;
  const { state, error, cause } = describeFailure(input.failure);
  // One record per execution; a step the execution went past has one of its own.
  const executionName = continued ? `${input.executionName}/${state}` : input.executionName;
  const failedAt = clock.now().toISOString();
  const paymentHeld =
    !continued && holdsPayout(state) ? await holdPayoutForWorkflowFailure(claimId, failedAt) : false;
  const failure = {
    executionName,
    state,
    error,
    cause,
    failedAt,
    paymentHeld,
    ...(continued ? { continued } : {}),
  };
  await putWorkflowFailure({ claimId, ...failure });
  if (!(await getClaim(claimId))) return { claimId, state, error, recorded: 'alert' as const };
  await mutateClaim(claimId, clock, (c) =>
    c.workflowFailure?.executionName === executionName
      ? null
      : {
          // A failure the workflow went past does not replace one that stopped it.
          claim:
            continued && c.workflowFailure && !c.workflowFailure.continued
              ? c
              : { ...c, workflowFailure: failure },
          events: [
            continued
              ? { type: 'WorkflowStepSkipped', actor: SYSTEM, data: { state, error, cause } }
              : { type: 'WorkflowStepFailed', actor: SYSTEM, data: { state, error, cause, paymentHeld } },
          ],
        },
  );
  return { claimId, state, error, recorded: 'claim' as const };
}

export interface WorkflowFailureAlert {
  claimId: string;
  claimNumber?: string;
  status?: Claim['status'];
  state: string;
  error: string;
  cause: string;
  failedAt: string;
  paymentHeld: boolean;
  /** The workflow went on without the step (the claim was not stopped). */
  continued?: boolean;
}

/** Failures nobody has acknowledged yet, with the claim's number and status (supervisors, admins). */
export async function workflowFailureAlerts(principal: Principal): Promise<WorkflowFailureAlert[]> {
  await staffActor(principal, ['supervisor', 'admin']);
  const open = await openWorkflowFailures();
  const claims = new Map<string, Claim | undefined>();
  for (const f of open) if (!claims.has(f.claimId)) claims.set(f.claimId, await getClaim(f.claimId));
  return open.map((f) => ({
    claimId: f.claimId,
    claimNumber: claims.get(f.claimId)?.claimNumber,
    status: claims.get(f.claimId)?.status,
    state: f.state,
    error: f.error,
    cause: f.cause,
    failedAt: f.failedAt,
    paymentHeld: f.paymentHeld,
    ...(f.continued ? { continued: true } : {}),
  }));
}

/**
 * A supervisor has looked into a claim's workflow failure and says what was done (the note goes on
 * the timeline). The alert leaves the list and the claim's failure flag is cleared; a payout held
 * by the failure stays held (the stopped workflow would not record its payment).
 */
export async function acknowledgeWorkflowFailure(
  principal: Principal,
  claimId: string,
  note: string,
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor', 'admin']);
  const open = (await workflowFailuresOfClaim(claimId)).filter((f) => !f.acknowledged);
  if (open.length === 0)
    throw new DomainError('NOTHING_TO_ACKNOWLEDGE', 'No workflow failure is open on this claim');
  const at = clock.now().toISOString();
  const acknowledged: StoredWorkflowFailure[] = [];
  for (const f of open) {
    if (await acknowledgeFailure(claimId, f.executionName, { by: principal.userId, at, note }))
      acknowledged.push(f);
  }
  if (acknowledged.length === 0) throw new DomainError('NOTHING_TO_ACKNOWLEDGE', 'Already acknowledged');
  if (await getClaim(claimId)) {
    await mutateClaim(claimId, clock, (c) => ({
      claim: { ...c, workflowFailure: undefined },
      events: [
        {
          type: 'WorkflowFailureAcknowledged',
          actor: s.actor,
          data: { note, states: acknowledged.map((f) => f.state) },
        },
      ],
    }));
  }
  return { claimId, acknowledged: acknowledged.length };
}
