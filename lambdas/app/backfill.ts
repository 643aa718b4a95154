import { openClaimCount } from '../adapters/dynamo/claims-repo.ts';
import {
  addClaimLinksOneByOne,
  type ClaimLinkEntry,
  claimLinksRead,
  oldClaimLinkPages,
} from '../adapters/dynamo/fraud-repo.ts';
import { BATCH_GET_LIMIT, readItems } from '../adapters/dynamo/item-reads.ts';
import { listStaff, setWorkloadCounter, workloadCounter } from '../adapters/dynamo/users-repo.ts';
import { recordsClaim } from '../core/fraud/links.ts';

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
 */
export interface BackfillReport {
  workload: { staffId: string; was: number | undefined; now: number }[];
  links: { read: number; added: number };
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
  return { workload, links: await copyOldLinks(dryRun) };
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
