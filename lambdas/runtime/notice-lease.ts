import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who holds a notice while it is being sent (adapters/dynamo/notices-repo.ts): the invocation that
 * took it, and the lane it runs in.
 *
 * A notice taken by a sender that died before saying how its send went is `sending` until it goes
 * stale (a minute). The table stream retries a failed record back to back, five times, usually
 * within that minute, so a notice whose sender crashed could hold every retry back and send the
 * record to the dead-letter queue. In the `stream` lane the holder is known to be dead by then: the
 * stream delivers one shard's records one invocation at a time (parallelization factor 1; the local
 * poller does the same), a notice's occasion comes from one record, which is always on the same
 * shard, and a record is delivered again only after the invocation that had it ended — returned,
 * with its sends settled, or crashed or timed out, which resets the execution environment. So a
 * stream invocation takes over a notice another stream invocation took; it never takes one taken by
 * any other sender (a schedule firing twice at once, a workflow task, a person's request), whose
 * attempts can overlap, and those wait for the notice to go stale as before.
 */
export interface NoticeLease {
  /** The invocation (Lambda request id) that took the notice. */
  holder: string;
  lane: 'stream';
}

const lease = new AsyncLocalStorage<NoticeLease>();

/** Runs `fn` as the table-stream invocation `requestId`: the notices it takes carry its lease. */
export const inStreamInvocation = <T>(requestId: string, fn: () => Promise<T>): Promise<T> =>
  lease.run({ holder: requestId, lane: 'stream' }, fn);

/** The lease of the invocation running now, if it runs in a lane. */
export const currentNoticeLease = (): NoticeLease | undefined => lease.getStore();
