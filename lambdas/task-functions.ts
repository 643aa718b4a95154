import type { TaskFunctionDef } from './shared/functions.ts';

/**
 * Lambdas that are not behind the API: Step Functions tasks (named in the ASL by substitution),
 * the S3 upload verifier, the claim-event stream processor and the deadline target of
 * EventBridge Scheduler.
 */
export const TASK_FUNCTIONS = [
  {
    // The checks, the fraud score, the classification and the assignment on receipt, in one read and one write.
    id: 'CheckClaim',
    entry: 'lambdas/handlers/workflow/check-claim.ts',
    aslSubstitution: 'CheckClaimFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'SendAcknowledgement',
    entry: 'lambdas/handlers/workflow/send-acknowledgement.ts',
    aslSubstitution: 'SendAcknowledgementFunctionArn',
    access: { table: 'readwrite', email: true },
  },
  {
    id: 'ParkClaim',
    entry: 'lambdas/handlers/workflow/park-claim.ts',
    aslSubstitution: 'ParkClaimFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'AssessByRule',
    entry: 'lambdas/handlers/workflow/assess-by-rule.ts',
    aslSubstitution: 'AssessByRuleFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'QueuePayment',
    entry: 'lambdas/handlers/workflow/queue-payment.ts',
    aslSubstitution: 'QueuePaymentFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'RecordPayment',
    entry: 'lambdas/handlers/workflow/record-payment.ts',
    aslSubstitution: 'RecordPaymentFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'CloseNoResponse',
    entry: 'lambdas/handlers/workflow/close-no-response.ts',
    aslSubstitution: 'CloseNoResponseFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    // The compensating step: a step failed for good; record it, alert, hold a half-queued payout.
    id: 'RecordWorkflowFailure',
    entry: 'lambdas/handlers/workflow/record-workflow-failure.ts',
    aslSubstitution: 'RecordWorkflowFailureFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'VerifyUpload',
    entry: 'lambdas/handlers/events/verify-upload.ts',
    trigger: 'documents-uploaded',
    // Copies the landed upload to stored/ and judges that copy; what is refused goes to quarantine/
    // (copy, then a delete marker on the source). `list`: the replay copy is made once, on a 404.
    access: {
      table: 'readwrite',
      documents: {
        'claims/': ['get', 'delete'],
        'stored/': ['get', 'put', 'delete'],
        'quarantine/': ['get', 'put'],
        list: true,
      },
    },
    timeoutSeconds: 60,
  },
  {
    id: 'ProcessClaimEvents',
    entry: 'lambdas/handlers/events/process-claim-events.ts',
    trigger: 'claim-event-stream',
    access: {
      table: 'readwrite',
      email: true,
      sms: true,
      topics: true,
      schedules: true,
      workflow: 'start-and-callback',
      // A calendar change only starts the re-planning run (DEADLINE_REPLAN_STATE_MACHINE): thousands
      // of open claims would outlast this function's minute and stall the stream behind them.
      deadlineReplan: 'start',
    },
    timeoutSeconds: 60,
  },
  {
    // Anchors each audit chain's new head with a KMS MAC (lambdas/core/audit-anchor.ts); the only
    // function that may make anchors.
    id: 'AnchorAuditChains',
    entry: 'lambdas/handlers/events/anchor-audit-chains.ts',
    trigger: 'audit-anchor-stream',
    access: { table: 'readwrite', auditAnchor: 'write' },
    timeoutSeconds: 30,
  },
  {
    id: 'DeadlineFired',
    entry: 'lambdas/handlers/events/deadline-fired.ts',
    trigger: 'deadline-schedules',
    access: {
      table: 'readwrite',
      email: true,
      sms: true,
      topics: true,
      schedules: true,
    },
    timeoutSeconds: 30,
  },
  {
    // A step of the policy-import state machine, started by a file landing in the import bucket.
    id: 'ImportPolicies',
    entry: 'lambdas/handlers/workflow/import-policies.ts',
    aslSubstitution: 'ImportPoliciesFunctionArn',
    stateMachine: 'policy-import',
    access: { table: 'readwrite', policyImports: 'read' },
    timeoutSeconds: 900,
  },
  {
    // A step of the deadline-replan state machine: re-plans one bounded page of open claims under
    // the calendar in force and returns where the next page starts.
    id: 'ReplanDeadlines',
    entry: 'lambdas/handlers/workflow/replan-deadlines.ts',
    aslSubstitution: 'ReplanDeadlinesFunctionArn',
    stateMachine: 'deadline-replan',
    access: { table: 'readwrite', schedules: true },
    timeoutSeconds: 120,
  },
  {
    // Claims by email: SES stores each received message under `inbound/` of the documents bucket.
    id: 'ReceiveEmail',
    entry: 'lambdas/handlers/events/receive-email.ts',
    trigger: 'email-received',
    access: {
      table: 'readwrite',
      // Reads the raw message; attachments land where a browser's upload would.
      documents: { 'inbound/': ['get'], 'claims/': ['put'] },
      email: true,
      fieldKey: 'encrypt',
      fingerprint: true,
    },
    timeoutSeconds: 120,
  },
] as const satisfies readonly TaskFunctionDef[];

export const CLAIM_STATE_MACHINE = {
  name: 'claim-lifecycle',
  file: 'statemachines/claim-lifecycle.asl.json',
} as const;

/**
 * Policy files: one execution per file loops over ImportPolicies until the file is read. A loop of
 * checkpointed chunks, not a distributed Map: rows must be applied in file order (a policy's
 * versions follow each other) and each chunk resumes where the last stored checkpoint is.
 */
export const POLICY_IMPORT_STATE_MACHINE = {
  name: 'policy-import',
  file: 'statemachines/policy-import.asl.json',
} as const;

/**
 * A holiday calendar change: one execution per change (named after it, so a redelivered
 * `CalendarChanged` record starts no second one) loops over ReplanDeadlines, a bounded page of open
 * claims per call, until every open status has been read. Started by ProcessClaimEvents.
 */
export const DEADLINE_REPLAN_STATE_MACHINE = {
  name: 'deadline-replan',
  file: 'statemachines/deadline-replan.asl.json',
} as const;

/** Key prefix in the import bucket under which a new object starts an import. */
export const POLICY_IMPORT_PREFIX = 'incoming/';
