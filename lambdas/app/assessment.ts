import { randomUUID } from 'node:crypto';
import { policyOfClaim } from '../adapters/dynamo/policies-repo.ts';
import { getUser } from '../adapters/dynamo/users-repo.ts';
import type { Claim } from '../core/claim.ts';
import { handlingConflict, SegregationOfDutiesError, singleAssessorMax } from '../core/controls.ts';
import { dueAt } from '../core/deadlines.ts';
import { missingDocuments } from '../core/dossier.ts';
import { DomainError, ForbiddenError } from '../core/errors.ts';
import { assertTransition } from '../core/lifecycle.ts';
import { calculatePayout, coversForCause } from '../core/payout.ts';
import type { DocumentType } from '../core/products.ts';
import type { RecordAssessmentBody } from '../core/staff-schemas.ts';
import type { Clock } from '../core/time.ts';
import { resumeSignal } from '../core/workflow-signals.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { loadClaimFor, mutateClaim } from './claim-store.ts';
import { sumInsuredUsedBy } from './cover-usage.ts';
import { loadCalendar, loadProduct } from './products.ts';
import { type StaffActor, staffActor } from './staff-context.ts';
import { requireWaiting } from './workflow-wait.ts';

const HANDLERS = ['supervisor', 'adjuster'] as const;
const OPEN_FOR_ASSESSMENT = ['REFERRED', 'AWAITING_DOCUMENTS', 'UNDER_ASSESSMENT', 'ASSESSED'];
/** Inspections help an assessment; once decided there is nothing left to inspect. */
const OPEN_FOR_INSPECTION = [...OPEN_FOR_ASSESSMENT, 'INFO_REQUESTED'];

/**
 * Adjusters act on the claims assigned to them; supervisors on any. Asked of the caller's roles,
 * not of the role they act in: a supervisor who is also an adjuster may be acting as adjuster
 * (the first acceptable role) and must not be refused a claim assigned to someone else.
 */
export function assertHandles(s: StaffActor, c: Claim): void {
  if (s.principal.roles.includes('supervisor')) return;
  if (c.assignee?.staffId !== s.principal.userId)
    throw new ForbiddenError('This claim is assigned to someone else');
}

const by = (s: StaffActor) => ({ id: s.principal.userId, role: s.role });

/**
 * The adjuster records the assessed loss items; the payout engine computes what the contract
 * pays, every step kept. Recording again replaces the previous assessment (both stay as events).
 */
export async function recordAssessment(
  principal: Principal,
  claimId: string,
  body: RecordAssessmentBody,
  clock: Clock,
) {
  const s = await staffActor(principal, HANDLERS);
  return mutateClaim(
    claimId,
    clock,
    async (c) => {
      assertHandles(s, c);
      if (!OPEN_FOR_ASSESSMENT.includes(c.status))
        throw new DomainError('INVALID_TRANSITION', `Cannot assess a claim in ${c.status}`);
      const [policy, product] = await Promise.all([policyOfClaim(c), loadProduct(c.productCode)]);
      if (!policy) throw new DomainError('POLICY_NOT_FOUND', 'The policy is missing');
      // A sum insured bounds the whole policy period: what other claims took is not paid twice.
      const used = await sumInsuredUsedBy(c, policy);
      // A loss is assessed on the covers that answer its cause, not on whichever pays more.
      const answering = new Set(coversForCause(policy.covers, c.report.cause).map((x) => x.code));
      const offCause = body.items.flatMap((item, i) =>
        answering.has(item.coverCode)
          ? []
          : [
              {
                path: `items.${i}.coverCode`,
                code: 'cover_not_for_cause',
                message: `${item.coverCode} does not answer ${c.report.cause}`,
              },
            ],
      );
      if (offCause.length > 0)
        throw new DomainError('VALIDATION_FAILED', 'An item is on a cover that does not answer the cause', {
          fields: offCause,
        });
      // Four eyes whatever the order: whoever approved advances above the single-assessor amount on
      // this claim does not also assess it (the other order is refused when the advance is approved).
      const ownAdvances = (c.advances ?? [])
        .filter((a) => a.approvedBy.id === s.principal.userId)
        .reduce((sum, a) => sum + a.amount.amount, 0);
      if (ownAdvances > singleAssessorMax(product))
        throw new SegregationOfDutiesError(
          'SOD_SINGLE_ASSESSOR',
          'You approved advances above the four-eyes amount on this claim; another adjuster must assess it',
          { advanced: ownAdvances, singleAssessorMax: singleAssessorMax(product) },
        );
      const input = {
        items: body.items,
        covers: policy.covers,
        marketValue: body.marketValue,
        // The engine compares each cover with its own value; this one only stands for a lone cover's.
        insuredValue: policy.insuredValue,
        depreciation: { ...body.depreciation, waived: policy.addOns.includes('new_for_old') },
        salvage: body.salvage,
        mitigationCosts: body.mitigationCosts,
        reductions: body.reductions,
        ...(used.length > 0 ? { sumInsuredUsed: used } : {}),
      };
      const payout = calculatePayout(input);
      assertTransition(c.status, 'ASSESSED');
      const now = clock.now().toISOString();
      const assessors = c.assessors ?? [];
      return {
        claim: {
          ...c,
          status: 'ASSESSED',
          assessors: assessors.includes(s.principal.userId) ? assessors : [...assessors, s.principal.userId],
          assessment: {
            input,
            payable: payout.payable,
            totalLoss: payout.totalLoss,
            steps: payout.steps,
            recordedAt: now,
            recordedBy: by(s),
            method: 'adjuster',
          },
        },
        events: [
          {
            type: 'AssessmentRecorded',
            actor: s.actor,
            data: { method: 'adjuster', items: body.items, note: body.note },
            before: { status: c.status, payable: c.assessment?.payable },
            after: { status: 'ASSESSED', payable: payout.payable },
          },
          {
            type: 'PayoutCalculated',
            actor: s.actor,
            data: { payable: payout.payable, totalLoss: payout.totalLoss, steps: payout.steps },
          },
        ],
      };
    },
    body.expectedVersion,
  );
}

/** Asks the customer for information or documents; the workflow waits for the answer. */
export async function requestInformation(
  principal: Principal,
  claimId: string,
  body: { expectedVersion: number; message: string; documents: DocumentType[] },
  clock: Clock,
) {
  const s = await staffActor(principal, HANDLERS);
  const requestId = randomUUID();
  return mutateClaim(
    claimId,
    clock,
    async (c) => {
      assertHandles(s, c);
      const token = requireWaiting(c, 'assessment');
      assertTransition(c.status, 'INFO_REQUESTED');
      const [product, calendar] = await Promise.all([loadProduct(c.productCode), loadCalendar()]);
      const rule = product?.deadlines.find(
        (d) => d.kind === 'no_response_close' && d.from === 'info_requested',
      );
      const now = clock.now();
      const due = rule ? dueAt(rule, now, calendar) : new Date(now.getTime() + 30 * 86_400_000);
      const request = {
        requestId,
        message: body.message,
        documents: body.documents,
        requestedAt: now.toISOString(),
        requestedBy: by(s),
        dueAt: due.toISOString(),
        status: 'open' as const,
      };
      return {
        signals: [resumeSignal(token, { action: 'info_requested', requestId })],
        claim: {
          ...c,
          status: 'INFO_REQUESTED',
          waitToken: undefined,
          waitingFor: undefined,
          infoRequests: [...(c.infoRequests ?? []), request],
          requiredDocuments: [...new Set([...c.requiredDocuments, ...body.documents])],
        },
        events: [
          {
            type: 'InfoRequested',
            actor: s.actor,
            data: { requestId, message: body.message, documents: body.documents, dueAt: request.dueAt },
          },
        ],
      };
    },
    body.expectedVersion,
  );
}

/** The customer answers; the claim goes back to assessment and the workflow resumes. */
export async function answerInformationRequest(
  principal: Principal,
  claimId: string,
  requestId: string,
  message: string,
  clock: Clock,
) {
  await loadClaimFor(principal, claimId);
  const answered = await mutateClaim(claimId, clock, (c) => {
    const request = c.infoRequests?.find((r) => r.requestId === requestId);
    if (!request) throw new DomainError('CLAIM_NOT_FOUND', 'No such information request');
    if (request.status !== 'open')
      throw new DomainError('INVALID_TRANSITION', 'This request is already answered or closed');
    const token = requireWaiting(c, 'information');
    assertTransition(c.status, 'UNDER_ASSESSMENT');
    const now = clock.now().toISOString();
    return {
      signals: [resumeSignal(token, { action: 'answered', requestId })],
      claim: {
        ...c,
        status: 'UNDER_ASSESSMENT',
        waitToken: undefined,
        waitingFor: undefined,
        infoRequests: c.infoRequests?.map((r) =>
          r.requestId === requestId
            ? { ...r, status: 'answered' as const, respondedAt: now, response: message }
            : r,
        ),
      },
      events: [
        {
          type: 'InfoProvided',
          actor: { kind: 'customer', id: principal.userId },
          // What was still missing when they answered: an answer alone does not meet the documents reminder.
          data: {
            requestId,
            message,
            missingDocuments: missingDocuments(c.requiredDocuments, c.receivedDocuments),
          },
        },
      ],
    };
  });
  // The answer is a new fact about the claim: its InfoProvided event has the fraud indicators
  // scored again from the claim-event stream (claim-events.ts RESCORED_ON).
  return answered;
}

/** Proposes an on-site inspection or an appointment; the customer confirms or asks for another time. */
export async function scheduleInspection(
  principal: Principal,
  claimId: string,
  body: { expectedVersion: number; at: string; place: string; note?: string },
  clock: Clock,
) {
  const s = await staffActor(principal, HANDLERS);
  if (Date.parse(body.at) <= clock.now().getTime()) {
    throw new DomainError('VALIDATION_FAILED', 'The inspection must be in the future', {
      fields: [{ path: 'at', code: 'in_past', message: 'must be in the future' }],
    });
  }
  const inspectionId = randomUUID();
  return mutateClaim(
    claimId,
    clock,
    (c) => {
      assertHandles(s, c);
      if (!OPEN_FOR_INSPECTION.includes(c.status)) {
        throw new DomainError('INVALID_TRANSITION', `No inspection on a claim in ${c.status}`);
      }
      const inspection = {
        inspectionId,
        at: new Date(body.at).toISOString(),
        place: body.place,
        note: body.note,
        status: 'proposed' as const,
        proposedBy: by(s),
      };
      return {
        claim: {
          ...c,
          inspections: [
            ...(c.inspections ?? []).map((i) =>
              i.status === 'proposed' || i.status === 'reschedule_requested'
                ? { ...i, status: 'cancelled' as const }
                : i,
            ),
            inspection,
          ],
        },
        events: [
          {
            type: 'InspectionScheduled',
            actor: s.actor,
            data: { inspectionId, at: inspection.at, place: body.place, note: body.note },
          },
        ],
      };
    },
    body.expectedVersion,
  );
}

export async function replyToInspection(
  principal: Principal,
  claimId: string,
  inspectionId: string,
  reply: { reply: 'confirm' } | { reply: 'reschedule'; proposedAt: string; comment?: string },
  clock: Clock,
) {
  await loadClaimFor(principal, claimId);
  return mutateClaim(claimId, clock, (c) => {
    const inspection = c.inspections?.find((i) => i.inspectionId === inspectionId);
    if (!inspection || inspection.status === 'cancelled')
      throw new DomainError('CLAIM_NOT_FOUND', 'No such inspection');
    // A reply is to an appointment still ahead on a claim still being assessed: a decided, paid or
    // closed claim, an inspection held, or a new time already asked for take no more (each reply is
    // an event on the claim and a notice to its handler).
    if (!OPEN_FOR_INSPECTION.includes(c.status))
      throw new DomainError('INVALID_TRANSITION', `No inspection reply on a claim in ${c.status}`);
    if (inspection.status === 'done' || inspection.status === 'reschedule_requested')
      throw new DomainError('INVALID_TRANSITION', `The inspection is ${inspection.status}`);
    // Confirming what is already confirmed changes nothing (a double tap, a retried request).
    if (reply.reply === 'confirm' && inspection.status === 'confirmed') return null;
    const actor = { kind: 'customer' as const, id: principal.userId };
    const next =
      reply.reply === 'confirm'
        ? { ...inspection, status: 'confirmed' as const }
        : {
            ...inspection,
            status: 'reschedule_requested' as const,
            customerProposal: { at: new Date(reply.proposedAt).toISOString(), comment: reply.comment },
          };
    return {
      claim: { ...c, inspections: c.inspections?.map((i) => (i.inspectionId === inspectionId ? next : i)) },
      events: [
        reply.reply === 'confirm'
          ? { type: 'InspectionConfirmed' as const, actor, data: { inspectionId, at: inspection.at } }
          : {
              type: 'InspectionRescheduleRequested' as const,
              actor,
              data: {
                inspectionId,
                proposedAt: next.customerProposal?.at,
                comment: reply.reply === 'reschedule' ? reply.comment : undefined,
              },
            },
      ],
    };
  });
}

/** Who handled the claim before, with the assignee being moved off it (not the one it moves to). */
const formerAssignees = (c: Claim, to: string): string[] | undefined => {
  const from = c.assignee?.staffId;
  const before = c.formerAssignees ?? [];
  if (!from || from === to || before.includes(from)) return c.formerAssignees;
  return [...before, from];
};

/** A supervisor moves a claim to another adjuster; the reason is part of the record. */
export async function reassignClaim(
  principal: Principal,
  claimId: string,
  body: { expectedVersion: number; staffId: string; reason: string },
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor']);
  const target = await getUser(body.staffId);
  if (!target?.staff?.active || !target.roles.some((r) => r === 'adjuster' || r === 'supervisor')) {
    throw new DomainError('USER_NOT_FOUND', 'No active adjuster with that id');
  }
  const targetFacts = {
    userId: target.userId,
    email: target.email,
    phone: target.phone,
    bankAccountFingerprint: target.staff.bankAccount?.accountFingerprint,
  };
  return mutateClaim(
    claimId,
    clock,
    (c) => {
      const conflict = handlingConflict(c, c.report.payoutAccount.accountFingerprint, targetFacts);
      if (conflict)
        throw new SegregationOfDutiesError(conflict.code, conflict.message, {
          staffId: target.userId,
          reason: conflict.reason,
        });
      return {
        claim: {
          ...c,
          assignee: {
            staffId: target.userId,
            role: target.roles.includes('adjuster') ? 'adjuster' : 'supervisor',
            name: target.displayName,
          },
          assignedQueue: undefined,
          formerAssignees: formerAssignees(c, target.userId),
        },
        events: [
          {
            type: 'ClaimReassigned',
            actor: s.actor,
            data: { to: { staffId: target.userId }, reason: body.reason },
            before: { assignee: c.assignee?.staffId ?? c.assignedQueue ?? null },
            after: { assignee: target.userId },
          },
        ],
      };
    },
    body.expectedVersion,
  );
}

export async function addNote(principal: Principal, claimId: string, text: string, clock: Clock) {
  const s = await staffActor(principal, [
    'supervisor',
    'adjuster',
    'underwriting',
    'legal',
    'finance',
    'siu',
  ]);
  return mutateClaim(claimId, clock, (c) => ({
    claim: c,
    events: [{ type: 'NoteAdded', actor: s.actor, data: { text } }],
  }));
}
