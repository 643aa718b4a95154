import * as z from 'zod/mini';

/**
 * Paging over one or more sorted partitions (the work queue reads one partition per status and
 * shows them as one list, nearest deadline first). Pure: the caller supplies the reads.
 *
 * Each partition is read in sort-key order, `limit + 1` evaluated items at a time; a read returns the
 * items that passed the caller's filter and, unless the partition is exhausted, the sort key where
 * it stopped (DynamoDB's LastEvaluatedKey). An item is only emitted once no unread item of any
 * other partition can sort before it, so pages of the merged list neither skip nor repeat items
 * however the filters thin the reads. Filters therefore apply before the limit, never after it.
 */

/** Per partition: `''` not started, a sort key = resume after it, `null` = exhausted. */
export type MergePosition = (string | null)[];

export const MergePositionSchema = (partitions: number) =>
  z.array(z.union([z.string().check(z.maxLength(200)), z.null()])).check(z.length(partitions));

export interface PartitionRead<T> {
  items: { sortKey: string; item: T }[];
  /** Sort key of the last item evaluated (filtered out or not); absent once the partition is done. */
  next?: string;
}

export type ReadPartition<T> = (
  partition: number,
  after: string | undefined,
  limit: number,
) => Promise<PartitionRead<T>>;

export interface MergedPage<T> {
  items: T[];
  /** Where the next page starts; undefined when every partition is exhausted. */
  position?: MergePosition;
}

interface PartitionState<T> {
  /** Everything up to here (inclusive) has been emitted or filtered out. */
  resume: string;
  /** Read but not yet emitted, in order. */
  buffer: { sortKey: string; item: T }[];
  /** Where the next read continues. */
  readTo: string;
  exhausted: boolean;
}

/**
 * One page of up to `limit` items merged across `partitions` sorted partitions. At most
 * `maxRounds` reads per partition: with very selective filters a page may come back short (even
 * empty) with a position to continue from, which callers present as "more".
 */
export async function mergePartitions<T>(
  partitions: number,
  read: ReadPartition<T>,
  start: MergePosition | undefined,
  limit: number,
  opts: { descending?: boolean; maxRounds?: number } = {},
): Promise<MergedPage<T>> {
  const before = (a: string, b: string) => (opts.descending ? a > b : a < b);
  const states: PartitionState<T>[] = Array.from({ length: partitions }, (_, i) => {
    const p = start?.[i];
    return { resume: p ?? '', buffer: [], readTo: p ?? '', exhausted: p === null };
  });
  const out: T[] = [];
  const needsRead = (s: PartitionState<T>) => s.buffer.length === 0 && !s.exhausted;
  for (let round = 0; round < (opts.maxRounds ?? 4); round++) {
    await Promise.all(
      states.map(async (s, i) => {
        if (!needsRead(s)) return;
        // One more than the page needs: a partition that ends with the page reports no `next`.
        const r = await read(i, s.readTo || undefined, limit + 1);
        s.buffer = [...r.items];
        if (r.next) s.readTo = r.next;
        else s.exhausted = true;
      }),
    );
    while (out.length < limit) {
      let best: PartitionState<T> | undefined;
      for (const s of states) {
        const head = s.buffer[0];
        const bestHead = best?.buffer[0];
        if (head && (!bestHead || before(head.sortKey, bestHead.sortKey))) best = s;
      }
      const head = best?.buffer[0];
      if (!best || !head) break;
      // A partition with nothing buffered may still hold unread items that sort first.
      if (states.some((s) => needsRead(s) && !before(head.sortKey, s.readTo))) break;
      out.push(head.item);
      best.buffer.shift();
      best.resume = head.sortKey;
    }
    if (out.length >= limit || !states.some(needsRead)) break;
  }
  // Whatever was read past the last emitted item is read again next time.
  for (const s of states) if (s.buffer.length === 0 && !s.exhausted) s.resume = s.readTo;
  const position = states.map((s) => (s.buffer.length === 0 && s.exhausted ? null : s.resume));
  return { items: out, position: position.every((p) => p === null) ? undefined : position };
}
