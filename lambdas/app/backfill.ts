import { isDeepStrictEqual } from 'node:util';
import { openClaimCount } from '../adapters/dynamo/claims-repo.ts';
import {
  addClaimLinksOneByOne,
  type ClaimLinkEntry,
  claimLinksRead,
  oldClaimLinkPages,
} from '../adapters/dynamo/fraud-repo.ts';
import {
  emailRecordPages,
  getEmailRecord,
  type StoredEmailRecord,
  saveEmailRecord,
} from '../adapters/dynamo/inbound-email-repo.ts';
import { BATCH_GET_LIMIT, readItems } from '../adapters/dynamo/item-reads.ts';
import { listStaff, setWorkloadCounter, workloadCounter } from '../adapters/dynamo/users-repo.ts';
import {
  deadlineScheduleNamePages,
  deliversAsNow,
  getDeadlineSchedule,
  repointSchedule,
} from '../adapters/schedules.ts';
import { VersionConflictError } from '../core/errors.ts';
import { recordsClaim } from '../core/fraud/links.ts';
import { keptOfMessage, recordExpiresAt } from '../core/inbound-email.ts';

/**
 * One-off fills for the items issue 12 introduced, on a table that already holds claims (operators
 * run `npm run backfill` once after deploying; running it again changes nothing):
 * - **Workload counters** (`USER#<id>`/`WORKLOAD`): each staff member's open claims counted from the
 *   assignee index and set where the counter differs, conditioned on the value it replaces, so an
 *   assignment landing meanwhile (its transaction moves the counter) makes it count again rather
 *   than overwrite. The index lags its table by about a second: run it while intake is quiet, and
 *   run it twice; the second run reports what still differs.
 * - **Fraud link items** (`LINKS#<kind>#<value>`): the claims of the old one-item-per-claim `LINK#`
 *   items added under their value by the rules new claims follow (core/fraud/links.ts). The old
 *   items are left in place; nothing reads them.
 *
 * And for the 5 December 2026 release:
 * - **Deadline schedules** (the SCHEDULER_GROUP group): each one whose target names another role
 *   than SCHEDULER_ROLE_ARN, or no dead-letter queue or another than SCHEDULER_DEAD_LETTER_ARN, is
 *   pointed at them, its definition otherwise unchanged. Schedules created before the role moved to
 *   the stateful stack name the stateless stack's role, which that deploy deletes: they would never
 *   fire, and without a queue nothing would say so. One that fires (and deletes itself) between
 *   being listed and being updated is counted as gone.
 * - **Intake records** (`EMAIL#<intakeId>`): what a record keeps of its message (`keptOfMessage`:
 *   text and fields read only while it waits for staff, the account number masked) and the expiry
 *   of ignored mail (`recordExpiresAt`), applied to records written before both. Each is saved as
 *   its next version, conditioned on the version read, so a record being processed meanwhile is
 *   read again rather than overwritten.
 */
export interface BackfillReport {
  workload: { staffId: string; was: number | undefined; now: number }[];
  links: { read: number; added: number };
  /** `gone`: fired or deleted between being listed and being updated. */
  schedules: { read: number; repointed: number; current: number; gone: number };
  intake: { read: number; trimmed: number };
}

export async function backfill(
  options: { staffIds?: readonly string[]; dryRun?: boolean } = {},
): Promise<BackfillReport> {
  const dryRun = options.dryRun ?? false;
  const staffIds = options.staffIds ?? (await listStaff()).map((s) => s.userId);
  const workload: BackfillReport['workload'] = [];
  for (const staffId of staffIds) {
    const fixed = await settleWorkload(staffId, dryRun);
    if (fixed) workload.push(fixed);
  }
  return {
    workload,
    links: await copyOldLinks(dryRun),
    schedules: await repointSchedules(dryRun),
    intake: await trimIntakeRecords(dryRun),
  };
}

async function settleWorkload(staffId: string, dryRun: boolean) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const was = await workloadCounter(staffId);
    const now = await openClaimCount(staffId);
    if (was === now || (was === undefined && now === 0)) return undefined;
    if (dryRun || (await setWorkloadCounter(staffId, was, now))) return { staffId, was, now };
  }
  throw new Error(`the workload of ${staffId} kept changing; run the backfill again while intake is quiet`);
}

async function copyOldLinks(dryRun: boolean) {
  let read = 0;
  let added = 0;
  for await (const old of oldClaimLinkPages()) {
    read += old.length;
    const values = [
      ...new Map(old.map((e) => [`${e.kind}#${e.value}`, { kind: e.kind, value: e.value }])).values(),
    ];
    const held = new Map<string, ClaimLinkEntry[]>();
    for (let i = 0; i < values.length; i += BATCH_GET_LIMIT)
      for (const [k, v] of await readItems(claimLinksRead(values.slice(i, i + BATCH_GET_LIMIT))))
        held.set(k, v);
    const toAdd = old.filter((e) => {
      const under = held.get(`${e.kind}#${e.value}`) ?? [];
      if (!recordsClaim(under, e)) return false;
      held.set(`${e.kind}#${e.value}`, [...under, e]);
      return true;
    });
    if (!dryRun) await addClaimLinksOneByOne(toAdd);
    added += toAdd.length;
  }
  return { read, added };
}

async function repointSchedules(dryRun: boolean) {
  // Listed in full before any is read or updated: the pages come in seconds, so schedules firing and
  // deleting themselves meanwhile cannot make the listing skip one still there, however Scheduler's
  // paging token works. The names of pending deadlines fit in memory.
  const names: string[] = [];
  for await (const page of deadlineScheduleNamePages()) names.push(...page);
  const counts = { read: names.length, repointed: 0, current: 0, gone: 0 };
  for (const name of names) {
    const s = await getDeadlineSchedule(name);
    if (!s) counts.gone++;
    else if (deliversAsNow(s)) counts.current++;
    else counts[dryRun ? 'repointed' : await repointSchedule(s)]++;
  }
  return counts;
}

/** Whether a record holds more of its message than `keptOfMessage` lets it, or lacks its expiry. */
const needsTrim = (r: StoredEmailRecord) =>
  !isDeepStrictEqual(keptOfMessage(r), r) || r.expiresAt !== recordExpiresAt(r);

async function trimIntakeRecords(dryRun: boolean) {
  let read = 0;
  let trimmed = 0;
  for await (const page of emailRecordPages()) {
    for (const r of page) {
      read++;
      if (await trimRecord(r, dryRun)) trimmed++;
    }
  }
  return { read, trimmed };
}

/** Saves what `r` may keep as its next version; read again when someone saved it since. */
async function trimRecord(first: StoredEmailRecord, dryRun: boolean): Promise<boolean> {
  let r: StoredEmailRecord | undefined = first;
  for (let attempt = 0; attempt < 5 && r; attempt++) {
    if (!needsTrim(r)) return false;
    if (dryRun) return true;
    // The expiry is not carried over: saveEmailRecord writes the one its outcome has (recordExpiresAt).
    const { expiresAt: _held, ...record } = r;
    try {
      await saveEmailRecord(keptOfMessage({ ...record, version: r.version + 1 }));
      return true;
    } catch (e) {
      if (!(e instanceof VersionConflictError)) throw e;
      r = await getEmailRecord(r.intakeId);
    }
  }
  if (!r) return false;
  throw new Error(`intake record ${r.intakeId} kept changing; run the backfill again`);
}
