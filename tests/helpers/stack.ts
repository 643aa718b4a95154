import type { Context } from 'aws-lambda';
import { inject } from 'vitest';
import { type Api, apiAs } from './api.ts';

/** The running local stack (started by global-setup.ts), and its environment applied to this worker. */
export function useStack() {
  const stack = inject('stack');
  Object.assign(process.env, stack.env);
  return stack;
}

export { type Api, apiAs, eventually, tokenFor } from './api.ts';

/**
 * Signs demo users in, one client each in the order asked:
 * `[an, hai] = await signIn('an.nguyen', 'hai.do')`.
 */
export async function signIn<const U extends readonly string[]>(
  ...usernames: U
): Promise<{ [K in keyof U]: Api }> {
  const { apiUrl } = useStack();
  return (await Promise.all(usernames.map((u) => apiAs(apiUrl, u)))) as { [K in keyof U]: Api };
}

/** An email as the SES stand-in keeps it. */
export interface Email {
  subject: string;
  destination: { to: string[] };
  body?: { text?: string; html?: string };
}

/** Every email the SES stand-in has taken (all suites' — filter by your own claim or address). */
export async function sentEmails(): Promise<Email[]> {
  const r = await fetch(`${inject('stack').mailUrl}/store`);
  return ((await r.json()) as { emails: Email[] }).emails;
}

/** A text message or topic publication as the SNS stand-in keeps it. */
export interface InboxMessage {
  kind: 'sms' | 'topic';
  to: string;
  topicName?: string;
  subject?: string;
  message: string;
}

/** Everything the SNS stand-in has taken. */
export async function snsInbox(): Promise<InboxMessage[]> {
  return (await (await fetch(`${inject('stack').inboxUrl}/inbox`)).json()) as InboxMessage[];
}

/** A schedule as the Scheduler stand-in lists it. */
export interface ScheduleView {
  name: string;
  groupName: string;
  scheduleExpression: string;
  targetArn: string;
  nextFireTime: string | null;
}

/** The claim's deadline schedules still waiting in the Scheduler stand-in (`c-<claimId>-…`). */
export async function schedulesOf(claimId: string): Promise<ScheduleView[]> {
  const r = await fetch(`${inject('stack').schedulerUrl}/local/schedules`);
  const { schedules } = (await r.json()) as { schedules: ScheduleView[] };
  return schedules.filter((s) => s.name.startsWith(`c-${claimId}-`));
}

/** The input Scheduler delivers for a schedule: its Target.Input with the context attribute filled in. */
export async function scheduledInput(name: string): Promise<Record<string, unknown>> {
  const stack = inject('stack');
  const group = stack.env.SCHEDULER_GROUP ?? '';
  const s = (await (await fetch(`${stack.schedulerUrl}/schedules/${name}?groupName=${group}`)).json()) as {
    ScheduleExpression: string;
    Target: { Input: string };
  };
  const at = /^at\((.+)\)$/.exec(s.ScheduleExpression)?.[1];
  return JSON.parse(s.Target.Input.replaceAll('<aws.scheduler.scheduled-time>', `${at}Z`));
}

/**
 * Invokes the DeadlineFired handler module as Scheduler would (in this worker, against the stack):
 * suites fire a phase this way rather than move the Scheduler's clock, which every suite shares.
 */
export async function fireDeadline(input: Record<string, unknown>) {
  const [{ handler }, { lambdaContext }] = await Promise.all([
    import('../../lambdas/handlers/events/deadline-fired.ts'),
    import('../../local/lambda-runtime.ts'),
  ]);
  return (await handler(input, lambdaContext('claims-deadline-fired') as Context)) as { outcome: string };
}
