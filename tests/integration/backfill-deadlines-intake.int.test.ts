import { randomUUID } from 'node:crypto';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { emailKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { deleteSchedule, getDeadlineSchedule, repointSchedule } from '../../lambdas/adapters/schedules.ts';
import { backfill } from '../../lambdas/app/backfill.ts';
import { IGNORED_KEPT_DAYS, ownText, parseClaimEmail } from '../../lambdas/core/inbound-email.ts';
import { TTL_ATTRIBUTE } from '../../lambdas/shared/table-definition.ts';
import { useStack } from '../helpers/stack.ts';

/**
 * The backfill after the 5 December 2026 release (`npm run backfill`), on the shared stack:
 * deadline schedules created before the Scheduler role and the deadline dead-letter queue moved to
 * the stateful stack (the stateless stack's role, no queue) are pointed at the current ones with the
 * rest of their definition unchanged, across ListSchedules pages; intake records written before
 * `keptOfMessage` keep only what it allows (the account number masked, nothing once handled) and
 * ignored mail gets its expiry. A second run changes nothing. Names and ids of this suite's own;
 * what it creates is removed at the end.
 */
const stack = useStack();
const e = stack.env;
const run = randomUUID().slice(0, 8);
const scheduler = new SchedulerClient({});
const OLD_ROLE = 'arn:aws:iam::000000000000:role/claims-local-stateless-SchedulerRole8A3C1F0B-1XYZ';
const created: string[] = [];
const intakeIds: string[] = [];

afterAll(async () => {
  for (const name of created) await deleteSchedule(name);
  for (const id of intakeIds)
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: emailKeys.message(id) }));
});

/** A deadline schedule as the code before the release created it: the old role, no dead-letter queue. */
async function oldSchedule(name: string, extra: Partial<CreateScheduleCommandInput> = {}) {
  // A year after the stand-in's clock (other suites move it forward): nothing fires meanwhile.
  const { now } = (await (await fetch(`${stack.schedulerUrl}/local/now`)).json()) as { now: string };
  const at = new Date(Date.parse(now) + 365 * 86_400_000).toISOString().slice(0, 19);
  await scheduler.send(
    new CreateScheduleCommand({
      Name: name,
      GroupName: e.SCHEDULER_GROUP,
      ScheduleExpression: `at(${at})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: e.DEADLINE_TARGET_ARN,
        RoleArn: OLD_ROLE,
        Input: JSON.stringify({
          claimId: `bf-${run}`,
          deadlineId: 'd1',
          kind: 'insurer_decision',
          phase: 'due',
          scheduledTime: '<aws.scheduler.scheduled-time>',
        }),
      },
      ...extra,
    }),
  );
  created.push(name);
}

const definition = (Name: string) =>
  scheduler.send(new GetScheduleCommand({ Name, GroupName: e.SCHEDULER_GROUP }));

/** The message an old record kept in full: the account number with spaces, in the text and as parsed. */
const BODY = `Tôi là Nguyễn Văn An, số hợp đồng: MOT-2026-0001.
Xe tôi bị va chạm ở 123 Láng Hạ, Đống Đa, Hà Nội.
Số tài khoản: 0123 456 789
Ngân hàng: Vietcombank`;

/** An intake record as the code before the release wrote it (text and fields read kept whatever the outcome). */
async function oldRecord(outcome: 'INTAKE' | 'CLAIM_CREATED' | 'IGNORED', receivedAt: string) {
  const intakeId = randomUUID().replaceAll('-', '').slice(0, 26);
  intakeIds.push(intakeId);
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...emailKeys.message(intakeId),
        entity: 'InboundEmail',
        intakeId,
        messageId: `<bf-${intakeId}@example.vn>`,
        rawKey: `inbound/bf-${intakeId}`,
        receivedAt,
        from: 'an.nguyen@example.vn',
        subject: 'Yeu cau boi thuong',
        outcome,
        reasons: outcome === 'INTAKE' ? ['loss_date'] : [],
        parsed: parseClaimEmail('Yeu cau boi thuong', BODY),
        text: ownText(BODY),
        attachments: [],
        ...(outcome === 'CLAIM_CREATED' ? { claimId: `bf-claim-${run}`, claimNumber: 'BT-2026-000001' } : {}),
        version: 3,
      },
    }),
  );
  return intakeId;
}

const stored = async (intakeId: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: emailKeys.message(intakeId) }))).Item;

describe('the 5 December 2026 backfill', () => {
  it('points schedules created before the release at the current role and dead-letter queue, the rest unchanged, once', async () => {
    const full = `bf-${run}-full`;
    await oldSchedule(full, {
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
      Description: 'Deadline before the release',
      State: 'DISABLED',
      StartDate: new Date('2026-01-01T00:00:00Z'),
      EndDate: new Date('2036-01-01T00:00:00Z'),
      KmsKeyArn: 'arn:aws:kms:ap-southeast-1:000000000000:key/11111111-2222-3333-4444-555555555555',
    });
    // More than a ListSchedules page (100) of this suite's own: every page is read.
    const many = Array.from({ length: 104 }, (_, i) => `bf-${run}-${String(i).padStart(3, '0')}`);
    for (const name of many) await oldSchedule(name);
    const before = await definition(full);

    const dry = await backfill({ staffIds: [], dryRun: true });
    expect(dry.schedules.repointed).toBeGreaterThanOrEqual(105);
    expect((await definition(full)).Target?.RoleArn).toBe(OLD_ROLE);

    const first = await backfill({ staffIds: [] });
    expect(first.schedules.repointed).toBeGreaterThanOrEqual(105);
    expect(first.schedules.read).toBe(
      first.schedules.repointed + first.schedules.current + first.schedules.gone,
    );

    const after = await definition(full);
    const { LastModificationDate: _b, $metadata: _bm, ...was } = before;
    const { LastModificationDate: _a, $metadata: _am, ...now } = after;
    expect(now).toEqual({
      ...was,
      Target: {
        ...was.Target,
        RoleArn: e.SCHEDULER_ROLE_ARN,
        DeadLetterConfig: { Arn: e.SCHEDULER_DEAD_LETTER_ARN },
      },
    });
    expect(was.ActionAfterCompletion).toBe('DELETE');
    expect(was.Target?.Input).toContain(`bf-${run}`);
    for (const name of many)
      expect((await definition(name)).Target, name).toMatchObject({
        RoleArn: e.SCHEDULER_ROLE_ARN,
        DeadLetterConfig: { Arn: e.SCHEDULER_DEAD_LETTER_ARN },
      });

    const again = await backfill({ staffIds: [] });
    expect(again.schedules).toMatchObject({ repointed: 0 });
    expect(again.schedules.current).toBeGreaterThanOrEqual(105);
    expect((await definition(full)).LastModificationDate).toEqual(after.LastModificationDate);
  });

  it('counts a schedule that fired and deleted itself between being read and being updated as gone', async () => {
    const name = `bf-${run}-fired`;
    await oldSchedule(name);
    const read = await getDeadlineSchedule(name);
    expect(read?.Target?.RoleArn).toBe(OLD_ROLE);
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: e.SCHEDULER_GROUP }));
    expect(await repointSchedule(read!)).toBe('gone');
    expect(await getDeadlineSchedule(name)).toBeUndefined();
  });

  it('the Scheduler stand-in pages and updates as AWS does: no schedule skipped when one is deleted between pages; an update of a deleted one is ResourceNotFound', async () => {
    const names = [0, 1, 2, 3, 4].map((i) => `bf-${run}-page${i}`);
    for (const name of names) await oldSchedule(name);
    const list = (NextToken?: string) =>
      scheduler.send(
        new ListSchedulesCommand({
          GroupName: e.SCHEDULER_GROUP,
          NamePrefix: `bf-${run}-page`,
          MaxResults: 2,
          NextToken,
        }),
      );
    const first = await list();
    expect(first.Schedules?.map((x) => x.Name)).toEqual(names.slice(0, 2));
    // The first schedule fires and deletes itself while the caller pages.
    await deleteSchedule(names[0]!);
    const second = await list(first.NextToken);
    expect(second.Schedules?.map((x) => x.Name)).toEqual(names.slice(2, 4));
    const third = await list(second.NextToken);
    expect(third.Schedules?.map((x) => x.Name)).toEqual(names.slice(4));
    expect(third.NextToken).toBeUndefined();
    await expect(
      scheduler.send(new ListSchedulesCommand({ GroupName: e.SCHEDULER_GROUP, MaxResults: 0 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });

    const gone = await definition(names[1]!);
    await deleteSchedule(names[1]!);
    await expect(
      scheduler.send(
        new UpdateScheduleCommand({
          Name: names[1]!,
          GroupName: e.SCHEDULER_GROUP,
          ScheduleExpression: gone.ScheduleExpression!,
          FlexibleTimeWindow: gone.FlexibleTimeWindow!,
          Target: { ...gone.Target!, Arn: gone.Target!.Arn!, RoleArn: e.SCHEDULER_ROLE_ARN! },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('trims intake records written before the release to what they keep, masks the account number, dates ignored mail, once', async () => {
    // Received ten days ago (a whole second): the ignored record's expiry, 90 days on, is still ahead,
    // so the local table's TTL sweep does not take it while the test reads it again.
    const receivedAt = new Date(Math.floor(Date.now() / 1000 - 10 * 86_400) * 1000).toISOString();
    const held = await oldRecord('INTAKE', receivedAt);
    const filed = await oldRecord('CLAIM_CREATED', receivedAt);
    const ignored = await oldRecord('IGNORED', receivedAt);
    expect(JSON.stringify(await stored(held))).toContain('0123456789');

    const dry = await backfill({ staffIds: [], dryRun: true });
    expect(dry.intake.trimmed).toBeGreaterThanOrEqual(3);
    expect((await stored(filed))?.text).toBeDefined();

    const first = await backfill({ staffIds: [] });
    expect(first.intake.trimmed).toBeGreaterThanOrEqual(3);

    const h = await stored(held);
    expect(JSON.stringify(h)).not.toMatch(/0123\s?456\s?789|123456789/);
    expect(h?.text).toContain('Số tài khoản: •••• 6789');
    expect(h?.parsed.bankAccount).toEqual({ bankName: 'Vietcombank', accountMask: '•••• 6789' });
    expect(h).toMatchObject({
      version: 4,
      outcome: 'INTAKE',
      rawKey: `inbound/bf-${held}`,
      subject: 'Yeu cau boi thuong',
    });
    expect(h).toMatchObject(emailKeys.openIntake(receivedAt, held));
    expect(h).not.toHaveProperty(TTL_ATTRIBUTE);

    const f = await stored(filed);
    expect(f).not.toHaveProperty('text');
    expect(f).not.toHaveProperty('parsed');
    expect(f).toMatchObject({ version: 4, outcome: 'CLAIM_CREATED', claimId: `bf-claim-${run}` });

    const i = await stored(ignored);
    expect(i).not.toHaveProperty('text');
    expect(i).not.toHaveProperty('parsed');
    expect(i?.[TTL_ATTRIBUTE]).toBe(Date.parse(receivedAt) / 1000 + IGNORED_KEPT_DAYS * 86_400);
    expect(i).toMatchObject(emailKeys.ignored(receivedAt, ignored));

    const again = await backfill({ staffIds: [] });
    expect(again.intake.trimmed).toBe(0);
    for (const id of [held, filed, ignored]) expect((await stored(id))?.version).toBe(4);
  });
});
