import {
  getEmailRecord,
  ignoredEmailRecords,
  openIntakeRecords,
  saveEmailRecord,
} from '../adapters/dynamo/inbound-email-repo.ts';
import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import { customerProfile } from '../adapters/dynamo/users-repo.ts';
import { DomainError, VersionConflictError } from '../core/errors.ts';
import {
  INTAKE_ID,
  type InboundEmailRecord,
  intakeSummary,
  keptOfMessage,
  processingStuck,
  takenByStaff,
} from '../core/inbound-email.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { CLAIM_HANDLERS } from '../shared/roles.ts';
import { staffActor } from './staff-context.ts';

/** The staff queue is one bounded page, oldest first. */
export const INTAKE_PAGE = 100;

/**
 * The staff queue: messages kept for a person, and messages whose processing stopped part-way with
 * nothing running them now (`PROCESSING_STUCK`); one being processed right now is not listed. With
 * `IGNORED`, the messages ignored as a machine's instead, newest first (read only: a bounce from a
 * customer's mailbox tells staff their address no longer works).
 */
export async function listIntakeRecords(
  principal: Principal,
  clock: Clock,
  outcome: 'INTAKE' | 'IGNORED' = 'INTAKE',
) {
  await staffActor(principal, CLAIM_HANDLERS);
  if (outcome === 'IGNORED') return (await ignoredEmailRecords(INTAKE_PAGE)).map(intakeSummary);
  const now = clock.now();
  return (await openIntakeRecords(INTAKE_PAGE))
    .filter((r) => r.outcome === 'INTAKE' || processingStuck(r, now))
    .map(intakeSummary);
}

export async function loadIntakeRecord(intakeId: string, clock: Clock): Promise<InboundEmailRecord> {
  const r = INTAKE_ID.test(intakeId) ? await getEmailRecord(intakeId) : undefined;
  // Only records kept for staff are theirs to read (not mail that filed a claim on its own, nor one
  // being processed right now).
  if (!r || (r.outcome !== 'INTAKE' && !r.claimedBy && !processingStuck(r, clock.now())))
    throw new DomainError('INTAKE_RECORD_NOT_FOUND', 'Intake record not found');
  return r;
}

export const checkVersion = (r: InboundEmailRecord, expected: number) => {
  if (r.version !== expected) throw new VersionConflictError(r.version);
};

/** Staff recognised the sender: the customer and the policy (which must be that customer's). */
export async function linkIntakeRecord(
  principal: Principal,
  intakeId: string,
  body: { expectedVersion: number; customerId: string; policyNumber: string },
  clock: Clock,
) {
  const staff = await staffActor(principal, CLAIM_HANDLERS);
  const r = await loadIntakeRecord(intakeId, clock);
  if (r.claimId)
    throw new DomainError('INTAKE_ALREADY_CLAIMED', 'A claim was already made from this message');
  checkVersion(r, body.expectedVersion);
  const [policy, customer] = await Promise.all([
    getPolicy(body.policyNumber),
    customerProfile(body.customerId),
  ]);
  if (!customer) throw new DomainError('USER_NOT_FOUND', 'No such customer');
  if (!policy || policy.customerId !== body.customerId)
    throw new DomainError('POLICY_NOT_FOUND', 'No such policy for this customer');
  const next: InboundEmailRecord = keptOfMessage({
    ...r,
    ...takenByStaff(r),
    customerId: body.customerId,
    policyNumber: policy.policyNumber,
    linkedBy: { id: staff.principal.userId, at: clock.now().toISOString() },
    version: r.version + 1,
  });
  await saveEmailRecord(next);
  return intakeSummary(next);
}
