// EventBridge Scheduler stand-in: the REST-JSON API @aws-sdk/client-scheduler speaks, plus a virtual
// clock so deadline timers (SLA reminders, auto-escalations) can be tested without sleeping.
//
// Wire details taken from @aws-sdk/client-scheduler 3.1169 (dist-cjs/index.js):
//   CreateSchedule POST /schedules/{Name}   (GroupName etc. in the JSON body)
//   GetSchedule    GET  /schedules/{Name}?groupName=
//   UpdateSchedule PUT  /schedules/{Name}   (full replacement, like AWS)
//   DeleteSchedule DELETE /schedules/{Name}?groupName=&clientToken=
//   ListSchedules  GET  /schedules?ScheduleGroup=&NamePrefix=&State=&MaxResults=&NextToken=
//   CreateScheduleGroup/GetScheduleGroup/DeleteScheduleGroup  /schedule-groups/{Name}
//   ListScheduleGroups GET /schedule-groups?NamePrefix=&MaxResults=&NextToken=
// Timestamps are epoch seconds; errors carry `x-amzn-ErrorType` and `{"Message": …}`.
//
// A failed target invocation is retried as the schedule's Target.RetryPolicy says (defaults as AWS:
// MaximumRetryAttempts 185, MaximumEventAgeInSeconds 86400), with exponential backoff on the virtual
// clock (1 s doubling, at most 5 min; `retryIntervalOverrideMs` for tests), the attempt number in
// `<aws.scheduler.attempt-number>`. When retries or the event's age run out, the event goes to
// Target.DeadLetterConfig's queue (`sendToDeadLetter`, and recorded: `deadLetters()`,
// `GET /local/dead-letters`), or is dropped as on AWS when there is none.
//
// Local simplifications: only the one-time schedules this system creates are run — `at(...)`, in any
// time zone (lambdas/adapters/schedules.ts writes UTC); `rate()` and `cron()` answer
// ValidationException saying so, rather than carrying a cron engine nothing uses. Targets are
// invoked exactly at the due time (FlexibleTimeWindow and 60 s precision ignored); a schedule whose
// time is already past fires on the next tick. With `dataDir`, groups, schedules, pending retries and dead letters are kept in
// `<dataDir>/scheduler.json` across restarts.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import {
  closeServer,
  createJsonServer,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readJsonBody,
  sendJson,
} from './http.ts';

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  [other: string]: unknown;
}

export interface InvokeContext {
  /** ISO-8601 UTC without milliseconds, e.g. `2026-12-01T03:00:00Z`. */
  scheduledTime: string;
  scheduleArn: string;
  scheduleName: string;
  groupName: string;
  executionId: string;
}

/** Invokes a schedule's target (the local stack maps Lambda ARNs to handler modules). */
export type InvokeTarget = (arn: string, input: unknown, context: InvokeContext) => Promise<unknown>;

export interface SchedulerLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  invokeTarget: InvokeTarget;
  region?: string;
  accountId?: string;
  /** Schedule groups besides `default` that exist from the start. */
  groups?: string[];
  /** How often real time is checked for due schedules (default 1000 ms; 0 disables the timer). */
  pollIntervalMs?: number;
  /** Every retry pause in ms instead of the exponential backoff (tests use 0), as the Step Functions stand-in. */
  retryIntervalOverrideMs?: number;
  /** Delivers a dead letter to its SQS queue (there is no local SQS: recorded only when absent). */
  sendToDeadLetter?: (queueArn: string, letter: DeadLetter) => Promise<void>;
  /** Keep state in `<dataDir>/scheduler.json` across restarts (default: memory only). */
  dataDir?: string;
}

/** What Scheduler sends to a target's dead-letter queue once it gives up on an event. */
export interface DeadLetter {
  queueArn: string;
  scheduleArn: string;
  scheduleName: string;
  groupName: string;
  targetArn: string;
  scheduledTime: string;
  executionId: string;
  attempts: number;
  /** Why it gave up: retries exhausted or the event too old. */
  reason: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';
  error: string;
  input: unknown;
  at: string;
}

/** AWS's RetryPolicy defaults and bounds (CreateSchedule Target.RetryPolicy). */
export const SCHEDULER_RETRY_DEFAULTS = {
  MaximumRetryAttempts: 185,
  MaximumEventAgeInSeconds: 86_400,
} as const;
const RETRY_BACKOFF_FIRST_MS = 1000;
const RETRY_BACKOFF_MAX_MS = 5 * 60_000;

interface PendingRetry {
  target: ScheduleTarget;
  scheduleArn: string;
  scheduleName: string;
  groupName: string;
  scheduledTime: string;
  executionId: string;
  /** Virtual time of the first attempt: the event's age is measured from it. */
  firstAttemptMs: number;
  /** The attempt this retry will be (2 = first retry). */
  attempt: number;
  dueMs: number;
}

export interface FiredSchedule {
  name: string;
  groupName: string;
  targetArn: string;
  scheduledTime: string;
  input: unknown;
  ok: boolean;
  error?: string;
  /** 1 for the scheduled invocation, 2… for retries. */
  attempt: number;
  /** Set when this failure was the last attempt and the event went to the dead-letter queue (or was dropped). */
  gaveUp?: DeadLetter['reason'];
}

export interface LocalScheduleView {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  timezone: string;
  state: string;
  targetArn: string;
  actionAfterCompletion: string;
  /** ISO time of the next invocation on the virtual clock, or null when it will not fire again. */
  nextFireTime: string | null;
  lastFiredTime: string | null;
}

export interface SchedulerLocal {
  /** e.g. `http://127.0.0.1:4580`; set it as `AWS_ENDPOINT_URL_SCHEDULER`. */
  endpoint: string;
  port: number;
  /** Virtual now: real time + the offset accumulated by `advance`. */
  now(): Date;
  /** Moves the virtual clock forward and fires (awaiting) everything that became due. */
  advance(ms: number): Promise<FiredSchedule[]>;
  advanceTo(time: Date): Promise<FiredSchedule[]>;
  /** Fires everything due at the current virtual time. */
  fireDue(): Promise<FiredSchedule[]>;
  schedules(): LocalScheduleView[];
  /** Events given up on, oldest first (also those without a dead-letter queue, with queueArn ''). */
  deadLetters(): DeadLetter[];
  /** Retries waiting for their time. */
  pendingRetries(): number;
  stop(): Promise<void>;
}

interface StoredSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: number;
  EndDate?: number;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  KmsKeyArn?: string;
  Target: ScheduleTarget;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion: 'NONE' | 'DELETE';
  CreationDate: number; // ms
  LastModificationDate: number; // ms
  plan: SchedulePlan;
  nextFireMs: number | null;
  lastFiredMs: number | null;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

const conflict = (msg: string) => new HttpError(409, 'ConflictException', msg);
const notFound = (msg: string) => new HttpError(404, 'ResourceNotFoundException', msg);
const validation = (msg: string) => new HttpError(400, 'ValidationException', msg);

export async function startSchedulerLocal(options: SchedulerLocalOptions): Promise<SchedulerLocal> {
  const region = options.region ?? 'ap-southeast-1';
  const accountId = options.accountId ?? '000000000000';
  const groups = new Map<string, { arn: string; created: number }>();
  const addGroup = (name: string) =>
    groups.set(name, {
      arn: `arn:aws:scheduler:${region}:${accountId}:schedule-group/${name}`,
      created: Date.now(),
    });
  addGroup('default');
  for (const g of options.groups ?? []) addGroup(g);
  const schedules = new Map<string, StoredSchedule>(); // key: `${group}/${name}`
  let retries: PendingRetry[] = [];
  const deadLetters: DeadLetter[] = [];
  let offsetMs = 0;
  const nowMs = () => Date.now() + offsetMs;

  // ---- persistence (optional) -----------------------------------------------------------------------
  const stateFile = options.dataDir ? path.join(options.dataDir, 'scheduler.json') : undefined;
  const save = () => {
    if (!stateFile) return;
    const state = {
      groups: [...groups.entries()],
      schedules: [...schedules.values()].map(({ plan: _plan, ...rest }) => rest),
      retries,
      deadLetters,
    };
    mkdirSync(path.dirname(stateFile), { recursive: true });
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  if (stateFile) {
    let raw: string | undefined;
    try {
      raw = readFileSync(stateFile, 'utf8');
    } catch {
      raw = undefined; // first start
    }
    if (raw) {
      const state = JSON.parse(raw) as {
        groups: [string, { arn: string; created: number }][];
        schedules: Omit<StoredSchedule, 'plan'>[];
        retries: PendingRetry[];
        deadLetters: DeadLetter[];
      };
      for (const [name, g] of state.groups) groups.set(name, g);
      for (const stored of state.schedules) {
        const plan = parseExpression(stored.ScheduleExpression, stored.ScheduleExpressionTimezone);
        schedules.set(`${stored.GroupName}/${stored.Name}`, { ...stored, plan });
      }
      retries = state.retries;
      deadLetters.push(...state.deadLetters);
    }
  }

  // ---- API -----------------------------------------------------------------------------------------
  const upsert = (name: string, body: Record<string, unknown>, mode: 'create' | 'update'): string => {
    if (!NAME.test(name)) throw validation(`Invalid schedule name: ${name}`);
    const groupName = optionalString(body, 'GroupName') ?? 'default';
    if (!groups.has(groupName)) throw notFound(`Schedule group ${groupName} does not exist.`);
    const key = `${groupName}/${name}`;
    const existing = schedules.get(key);
    if (mode === 'create' && existing) throw conflict(`Schedule ${name} already exists.`);
    if (mode === 'update' && !existing) throw notFound(`Schedule ${name} does not exist.`);

    const expression = requiredString(body, 'ScheduleExpression');
    const timezone = optionalString(body, 'ScheduleExpressionTimezone');
    if (timezone !== undefined && !isValidTimeZone(timezone))
      throw validation(`Invalid timezone: ${timezone}`);
    const plan = parseExpression(expression, timezone);
    const target = body['Target'];
    if (!isRecord(target) || typeof target['Arn'] !== 'string' || typeof target['RoleArn'] !== 'string') {
      throw validation('Target with Arn and RoleArn is required.');
    }
    if (target['Input'] !== undefined && typeof target['Input'] !== 'string') {
      throw validation('Target.Input must be a string.');
    }
    const storedTarget: ScheduleTarget = {
      ...(target as ScheduleTarget),
      RetryPolicy: retryPolicyOf(target['RetryPolicy']),
    };
    const dlq = target['DeadLetterConfig'];
    if (dlq !== undefined) {
      if (!isRecord(dlq) || typeof dlq['Arn'] !== 'string' || !SQS_ARN.test(dlq['Arn'])) {
        throw validation('Target.DeadLetterConfig.Arn must be an SQS queue ARN.');
      }
    }
    const ftw = body['FlexibleTimeWindow'];
    if (!isRecord(ftw) || (ftw['Mode'] !== 'OFF' && ftw['Mode'] !== 'FLEXIBLE')) {
      throw validation('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE.');
    }
    if (ftw['Mode'] === 'FLEXIBLE' && typeof ftw['MaximumWindowInMinutes'] !== 'number') {
      throw validation('FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
    }
    const state = optionalString(body, 'State') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw validation(`Invalid State: ${state}`);
    const after = optionalString(body, 'ActionAfterCompletion') ?? 'NONE';
    if (after !== 'NONE' && after !== 'DELETE') throw validation(`Invalid ActionAfterCompletion: ${after}`);

    const now = nowMs();
    const schedule: StoredSchedule = {
      Name: name,
      GroupName: groupName,
      Arn: `arn:aws:scheduler:${region}:${accountId}:schedule/${groupName}/${name}`,
      ScheduleExpression: expression,
      State: state,
      Target: storedTarget,
      FlexibleTimeWindow: ftw as StoredSchedule['FlexibleTimeWindow'],
      ActionAfterCompletion: after,
      CreationDate: existing?.CreationDate ?? now,
      LastModificationDate: now,
      plan,
      nextFireMs: null,
      lastFiredMs: null,
    };
    if (timezone !== undefined) schedule.ScheduleExpressionTimezone = timezone;
    const startDate = optionalEpochSeconds(body, 'StartDate');
    const endDate = optionalEpochSeconds(body, 'EndDate');
    if (startDate !== undefined) schedule.StartDate = startDate;
    if (endDate !== undefined) schedule.EndDate = endDate;
    const description = optionalString(body, 'Description');
    if (description !== undefined) schedule.Description = description;
    const kms = optionalString(body, 'KmsKeyArn');
    if (kms !== undefined) schedule.KmsKeyArn = kms;
    // EventBridge Scheduler ignores StartDate/EndDate for one-time schedules.
    schedule.nextFireMs = plan.atMs;
    schedules.set(key, schedule);
    save();
    return schedule.Arn;
  };

  const find = (name: string, groupName: string | null): StoredSchedule => {
    const schedule = schedules.get(`${groupName || 'default'}/${name}`);
    if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
    return schedule;
  };

  const describe = (s: StoredSchedule) => {
    const out: Record<string, unknown> = {
      Arn: s.Arn,
      GroupName: s.GroupName,
      Name: s.Name,
      ScheduleExpression: s.ScheduleExpression,
      State: s.State,
      CreationDate: s.CreationDate / 1000,
      LastModificationDate: s.LastModificationDate / 1000,
      Target: s.Target,
      FlexibleTimeWindow: s.FlexibleTimeWindow,
      ActionAfterCompletion: s.ActionAfterCompletion,
    };
    if (s.ScheduleExpressionTimezone) out['ScheduleExpressionTimezone'] = s.ScheduleExpressionTimezone;
    if (s.StartDate !== undefined) out['StartDate'] = s.StartDate / 1000;
    if (s.EndDate !== undefined) out['EndDate'] = s.EndDate / 1000;
    if (s.Description !== undefined) out['Description'] = s.Description;
    if (s.KmsKeyArn !== undefined) out['KmsKeyArn'] = s.KmsKeyArn;
    return out;
  };

  const view = (s: StoredSchedule): LocalScheduleView => ({
    name: s.Name,
    groupName: s.GroupName,
    arn: s.Arn,
    scheduleExpression: s.ScheduleExpression,
    timezone: s.ScheduleExpressionTimezone ?? 'UTC',
    state: s.State,
    targetArn: s.Target.Arn,
    actionAfterCompletion: s.ActionAfterCompletion,
    nextFireTime: s.nextFireMs === null ? null : new Date(s.nextFireMs).toISOString(),
    lastFiredTime: s.lastFiredMs === null ? null : new Date(s.lastFiredMs).toISOString(),
  });

  // ---- firing --------------------------------------------------------------------------------------
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };

  const backoffMs = (attempt: number) =>
    options.retryIntervalOverrideMs ??
    Math.min(RETRY_BACKOFF_FIRST_MS * 2 ** Math.max(0, attempt - 1), RETRY_BACKOFF_MAX_MS);

  /** One invocation (first or retry); on failure, queues the next attempt or gives the event up. */
  const attempt = async (a: Omit<PendingRetry, 'dueMs'>, attemptMs: number): Promise<FiredSchedule> => {
    const input = renderInput(a.target.Input, {
      'aws.scheduler.scheduled-time': a.scheduledTime,
      'aws.scheduler.schedule-arn': a.scheduleArn,
      'aws.scheduler.execution-id': a.executionId,
      'aws.scheduler.attempt-number': String(a.attempt),
    });
    const fired: FiredSchedule = {
      name: a.scheduleName,
      groupName: a.groupName,
      targetArn: a.target.Arn,
      scheduledTime: a.scheduledTime,
      input,
      ok: true,
      attempt: a.attempt,
    };
    try {
      await options.invokeTarget(a.target.Arn, input, {
        scheduledTime: a.scheduledTime,
        scheduleArn: a.scheduleArn,
        scheduleName: a.scheduleName,
        groupName: a.groupName,
        executionId: a.executionId,
      });
      return fired;
    } catch (err) {
      fired.ok = false;
      fired.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      console.error(
        `[scheduler-local] target ${a.target.Arn} of schedule ${a.scheduleName} failed (attempt ${a.attempt}): ${fired.error}`,
      );
    }
    const policy = retryPolicyOf(a.target.RetryPolicy);
    const dueMs = attemptMs + backoffMs(a.attempt);
    const retriesMade = a.attempt - 1;
    const reason: DeadLetter['reason'] | undefined =
      retriesMade >= policy.MaximumRetryAttempts
        ? 'MaximumRetryAttempts'
        : dueMs - a.firstAttemptMs > policy.MaximumEventAgeInSeconds * 1000
          ? 'MaximumEventAgeInSeconds'
          : undefined;
    if (!reason) {
      retries.push({ ...a, attempt: a.attempt + 1, dueMs });
      return fired;
    }
    fired.gaveUp = reason;
    const queueArn = isRecord(a.target['DeadLetterConfig'])
      ? String(a.target['DeadLetterConfig']['Arn'])
      : '';
    const letter: DeadLetter = {
      queueArn,
      scheduleArn: a.scheduleArn,
      scheduleName: a.scheduleName,
      groupName: a.groupName,
      targetArn: a.target.Arn,
      scheduledTime: a.scheduledTime,
      executionId: a.executionId,
      attempts: a.attempt,
      reason,
      error: fired.error ?? '',
      input,
      at: new Date(attemptMs).toISOString(),
    };
    deadLetters.push(letter);
    if (queueArn && options.sendToDeadLetter) {
      await options.sendToDeadLetter(queueArn, letter).catch((e: unknown) => {
        console.error(`[scheduler-local] dead-letter queue ${queueArn} refused the event:`, e);
      });
    }
    return fired;
  };

  const fireOne = async (s: StoredSchedule): Promise<FiredSchedule> => {
    const dueMs = s.nextFireMs!;
    s.lastFiredMs = dueMs;
    s.nextFireMs = null; // one-time: it does not fire again
    const scheduledTime = new Date(Math.floor(dueMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const fired = await attempt(
      {
        target: s.Target,
        scheduleArn: s.Arn,
        scheduleName: s.Name,
        groupName: s.GroupName,
        scheduledTime,
        executionId: randomUUID(),
        firstAttemptMs: nowMs(),
        attempt: 1,
      },
      nowMs(),
    );
    // ActionAfterCompletion=DELETE removes the schedule once it has no future invocations — unless the
    // target replaced it meanwhile (same name, new object). Pending retries keep their own copy.
    const key = `${s.GroupName}/${s.Name}`;
    if (s.nextFireMs === null && s.ActionAfterCompletion === 'DELETE' && schedules.get(key) === s) {
      schedules.delete(key);
    }
    return fired;
  };

  const fireDue = (): Promise<FiredSchedule[]> =>
    exclusive(async () => {
      const fired: FiredSchedule[] = [];
      // Fire in due-time order; targets may create or change schedules, so re-scan after each one.
      for (let guard = 0; guard < 10_000; guard++) {
        const now = nowMs();
        let next: StoredSchedule | undefined;
        for (const s of schedules.values()) {
          if (s.State !== 'ENABLED' || s.nextFireMs === null || s.nextFireMs > now) continue;
          if (!next || s.nextFireMs < next.nextFireMs!) next = s;
        }
        let retry: PendingRetry | undefined;
        for (const r of retries) if (r.dueMs <= now && (!retry || r.dueMs < retry.dueMs)) retry = r;
        if (!next && !retry) break;
        if (retry && (!next || retry.dueMs <= next.nextFireMs!)) {
          const due = retry;
          retries = retries.filter((r) => r !== due);
          fired.push(await attempt(due, due.dueMs));
        } else if (next) fired.push(await fireOne(next));
        save();
      }
      return fired;
    });

  const advance = async (ms: number): Promise<FiredSchedule[]> => {
    if (!Number.isFinite(ms) || ms < 0) throw validation('The clock can only move forward.');
    offsetMs += ms;
    return fireDue();
  };
  const advanceTo = (time: Date) => advance(time.getTime() - nowMs());

  // ---- HTTP ----------------------------------------------------------------------------------------
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const scheduleMatch = /^\/schedules\/([^/]+)$/.exec(path);
    const groupMatch = /^\/schedule-groups\/([^/]+)$/.exec(path);

    if (path === '/local/advance-time' && method === 'POST') {
      const body = await readJsonBody(req);
      if (!isRecord(body)) throw validation('Body must be {"seconds": N} or {"to": "<iso>"}');
      let fired: FiredSchedule[];
      if (typeof body['seconds'] === 'number') fired = await advance(body['seconds'] * 1000);
      else if (typeof body['to'] === 'string' && !Number.isNaN(Date.parse(body['to']))) {
        fired = await advanceTo(new Date(body['to']));
      } else throw validation('Body must be {"seconds": N} or {"to": "<iso>"}');
      return sendJson(res, 200, { now: new Date(nowMs()).toISOString(), fired });
    }
    if (path === '/local/schedules' && method === 'GET') {
      return sendJson(res, 200, {
        now: new Date(nowMs()).toISOString(),
        schedules: [...schedules.values()].map(view),
      });
    }
    if (path === '/local/dead-letters' && method === 'GET') {
      return sendJson(res, 200, { deadLetters });
    }
    if (path === '/schedule-groups' && method === 'GET') {
      const prefix = q.get('NamePrefix') ?? '';
      const max = Number(q.get('MaxResults') ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw validation('MaxResults must be 1–100.');
      const start = Number(q.get('NextToken') ?? 0) || 0;
      const all = [...groups.entries()]
        .filter(([name]) => name.startsWith(prefix))
        .sort(([a], [b]) => a.localeCompare(b));
      const out: Record<string, unknown> = {
        ScheduleGroups: all.slice(start, start + max).map(([name, g]) => ({
          Arn: g.arn,
          Name: name,
          State: 'ACTIVE',
          CreationDate: g.created / 1000,
          LastModificationDate: g.created / 1000,
        })),
      };
      if (start + max < all.length) out['NextToken'] = String(start + max);
      return sendJson(res, 200, out);
    }
    if (path === '/local/now' && method === 'GET') {
      return sendJson(res, 200, { now: new Date(nowMs()).toISOString(), offsetMs });
    }

    if (scheduleMatch) {
      const name = decodeURIComponent(scheduleMatch[1]!);
      switch (method) {
        case 'POST':
        case 'PUT': {
          const body = await readJsonBody(req);
          if (!isRecord(body)) throw validation('Body must be a JSON object.');
          const arn = upsert(name, body, method === 'POST' ? 'create' : 'update');
          return sendJson(res, 200, { ScheduleArn: arn });
        }
        case 'GET':
          return sendJson(res, 200, describe(find(name, q.get('groupName'))));
        case 'DELETE': {
          const s = find(name, q.get('groupName'));
          schedules.delete(`${s.GroupName}/${s.Name}`);
          save();
          return sendJson(res, 200, {});
        }
      }
    }
    if (path === '/schedules' && method === 'GET') {
      const group = q.get('ScheduleGroup');
      const prefix = q.get('NamePrefix') ?? '';
      const state = q.get('State');
      const max = Number(q.get('MaxResults') ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw validation('MaxResults must be 1–100.');
      // The token is where the last page ended (a name), not an offset: a schedule that fires and
      // deletes itself while a caller pages through must not make it skip one still there.
      const token = q.get('NextToken');
      const after = token === null ? undefined : Buffer.from(token, 'base64url').toString();
      if (token !== null && (!after || !NAME.test(after))) throw validation('Invalid NextToken.');
      const all = [...schedules.values()]
        .filter(
          (s) =>
            (!group || s.GroupName === group) &&
            s.Name.startsWith(prefix) &&
            (!state || s.State === state) &&
            (after === undefined || byName(s.Name, after) > 0),
        )
        .sort((a, b) => byName(a.Name, b.Name));
      const page = all.slice(0, max).map((s) => ({
        Arn: s.Arn,
        Name: s.Name,
        GroupName: s.GroupName,
        State: s.State,
        CreationDate: s.CreationDate / 1000,
        LastModificationDate: s.LastModificationDate / 1000,
        Target: { Arn: s.Target.Arn },
      }));
      const out: Record<string, unknown> = { Schedules: page };
      const last = page.at(-1);
      if (last && all.length > max) out['NextToken'] = Buffer.from(last.Name).toString('base64url');
      return sendJson(res, 200, out);
    }
    if (groupMatch) {
      const name = decodeURIComponent(groupMatch[1]!);
      const group = groups.get(name);
      switch (method) {
        case 'POST':
          await readJsonBody(req);
          if (group) throw conflict(`Schedule group ${name} already exists.`);
          if (!NAME.test(name)) throw validation(`Invalid schedule group name: ${name}`);
          addGroup(name);
          save();
          return sendJson(res, 200, { ScheduleGroupArn: groups.get(name)!.arn });
        case 'GET':
          if (!group) throw notFound(`Schedule group ${name} does not exist.`);
          return sendJson(res, 200, {
            Arn: group.arn,
            Name: name,
            State: 'ACTIVE',
            CreationDate: group.created / 1000,
            LastModificationDate: group.created / 1000,
          });
        case 'DELETE':
          if (!group) throw notFound(`Schedule group ${name} does not exist.`);
          if (name === 'default') throw validation('The default schedule group cannot be deleted.');
          groups.delete(name);
          for (const [key, s] of schedules) if (s.GroupName === name) schedules.delete(key);
          save();
          return sendJson(res, 200, {});
      }
    }
    throw new HttpError(404, 'UnknownOperationException', `No route for ${method} ${path}`);
  };

  const server = createJsonServer(async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(
        res,
        err.status,
        { Message: err.message },
        { 'x-amzn-errortype': err.code, 'x-amzn-requestid': randomUUID() },
      );
    }
  }, 'scheduler-local');
  const port = await listen(server, options.port ?? 0);

  const pollMs = options.pollIntervalMs ?? 1000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          fireDue().catch((err: unknown) => console.error('[scheduler-local] poll failed:', err));
        }, pollMs)
      : undefined;
  timer?.unref();

  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    now: () => new Date(nowMs()),
    advance,
    advanceTo,
    fireDue,
    schedules: () => [...schedules.values()].map(view),
    deadLetters: () => structuredClone(deadLetters),
    pendingRetries: () => retries.length,
    async stop() {
      if (timer) clearInterval(timer);
      await chain;
      await closeServer(server);
    },
  };
}

/** Schedules listed in name order (code units, so that the paging token's comparison agrees). */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/** Target.RetryPolicy with AWS's defaults filled in; out-of-range values are a ValidationException. */
function retryPolicyOf(raw: unknown): { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number } {
  if (raw !== undefined && !isRecord(raw)) throw validation('Target.RetryPolicy must be an object.');
  const attempts = raw?.['MaximumRetryAttempts'] ?? SCHEDULER_RETRY_DEFAULTS.MaximumRetryAttempts;
  const age = raw?.['MaximumEventAgeInSeconds'] ?? SCHEDULER_RETRY_DEFAULTS.MaximumEventAgeInSeconds;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
    throw validation('RetryPolicy.MaximumRetryAttempts must be an integer from 0 to 185.');
  }
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 60 || age > 86_400) {
    throw validation('RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to 86400.');
  }
  return { MaximumRetryAttempts: attempts, MaximumEventAgeInSeconds: age };
}

/**
 * Target.Input with the scheduler's context attributes (`<aws.scheduler.scheduled-time>` …) filled
 * in, parsed as JSON as the Lambda target receives it. Non-JSON input is passed as the raw string.
 */
function renderInput(input: string | undefined, context: Record<string, string>): unknown {
  if (input === undefined) return {};
  let text = input;
  for (const [key, value] of Object.entries(context)) text = text.replaceAll(`<${key}>`, value);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---- schedule expressions ------------------------------------------------------------------------

/** A one-time schedule's instant (the only kind this system creates). */
interface SchedulePlan {
  atMs: number;
}

function parseExpression(expression: string, timezone = 'UTC'): SchedulePlan {
  if (/^(rate|cron)\(/.test(expression)) {
    throw validation(`The local Scheduler runs one-time at() schedules only (got ${expression}).`);
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!at) throw validation(`Invalid Schedule Expression ${expression}.`);
  const [y, mo, d, h, mi, se] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw validation(`Invalid Schedule Expression ${expression}.`);
  }
  return { atMs: wallTimeToUtc(wall, timezone) };
}

// ---- time zones without a library ----------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timezone` from UTC at the instant `utcMs` (e.g. +7 h for Asia/Ho_Chi_Minh). */
function utcOffsetMs(utcMs: number, timezone: string): number {
  if (timezone === 'UTC') return 0;
  let fmt = formatters.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Converts a wall-clock time (expressed as if it were UTC) in `timezone` to the real UTC instant. */
function wallTimeToUtc(wallMs: number, timezone: string): number {
  const guess = wallMs - utcOffsetMs(wallMs, timezone);
  const offset = utcOffsetMs(guess, timezone); // re-check: the offset may differ across a DST change
  return wallMs - offset;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw validation(`${key} is required.`);
  return v;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`${key} must be a string.`);
  return v;
}

/** Timestamps travel as epoch seconds (possibly fractional); stored as ms. */
function optionalEpochSeconds(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw validation(`${key} must be a timestamp.`);
  return Math.round(v * 1000);
}
