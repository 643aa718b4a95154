import type { TaskFunctionDef } from './shared/functions.ts';

/**
 * Lambdas that are not behind the API: Step Functions tasks (named in the ASL by substitution),
 * the S3 upload verifier and the deadline target of EventBridge Scheduler.
 */
export const TASK_FUNCTIONS = [
  {
    id: 'ValidateClaim',
    entry: 'lambdas/handlers/workflow/validate-claim.ts',
    aslSubstitution: 'ValidateClaimFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'ClassifyClaim',
    entry: 'lambdas/handlers/workflow/classify-claim.ts',
    aslSubstitution: 'ClassifyClaimFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'SendAcknowledgement',
    entry: 'lambdas/handlers/workflow/send-acknowledgement.ts',
    aslSubstitution: 'SendAcknowledgementFunctionArn',
    access: { table: 'readwrite', email: true },
  },
  {
    id: 'AwaitAssessment',
    entry: 'lambdas/handlers/workflow/await-assessment.ts',
    aslSubstitution: 'AwaitAssessmentFunctionArn',
    access: { table: 'readwrite' },
  },
  {
    id: 'VerifyUpload',
    entry: 'lambdas/handlers/events/verify-upload.ts',
    access: { table: 'readwrite', documents: 'readwrite', workflow: 'callback' },
    timeoutSeconds: 60,
  },
] as const satisfies readonly TaskFunctionDef[];

export const CLAIM_STATE_MACHINE = {
  name: 'claim-lifecycle',
  file: 'statemachines/claim-lifecycle.asl.json',
} as const;
