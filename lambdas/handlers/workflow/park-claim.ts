import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { parkClaim } from '../../app/workflow-wait.ts';
import { DEPARTMENTS } from '../../core/claim.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

const Input = z.object({
  claimId: z.string().check(z.minLength(1)),
  taskToken: z.string().check(z.minLength(1)),
  waitingFor: z.enum(['assessment', 'information', 'supervisor', 'department', 'payment']),
  department: z.optional(z.enum(DEPARTMENTS)),
  round: z.optional(z.int()),
});

export const handler = taskHandler('ParkClaim', Input, (input) => parkClaim(input, systemClock));
