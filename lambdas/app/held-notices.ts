import { createOneTimeSchedule } from '../adapters/schedules.ts';
import type { ClaimEvent } from '../core/events.ts';
import { HELD_NOTICE_KIND, heldNoticeName, NOTICE_WINDOW_MS } from '../core/notice-digest.ts';
import type { Clock } from '../core/time.ts';
import { logger } from '../runtime/logger.ts';
import { sendHeldNotice } from './notifications.ts';

/**
 * Held notices (core/notice-digest.ts): a notice that a decision following at once may carry is
 * put off by a one-time schedule to the end of its window, then sent unless a later notice covered
 * it. Nothing waits in the stream processor, so the workflow signals behind the event (the
 * straight-through decision) go on.
 */

export interface HeldNoticeFired {
  claimId: string;
  seq: number;
  /** When the schedule was due, in the scheduler's time (`<aws.scheduler.scheduled-time>`). */
  scheduledTime: string;
  /** How many times it came back early (0 for the first schedule). */
  rearm?: number;
}

/**
 * Holds `event`'s notice. A redelivered event finds its schedule there (idempotent); one
 * redelivered after the window is decided at once.
 */
export async function holdNotice(event: ClaimEvent, clock: Clock): Promise<void> {
  const at = new Date(Date.parse(event.at) + (NOTICE_WINDOW_MS[event.type] ?? 0));
  if (at.getTime() <= clock.now().getTime()) {
    await sendHeldNotice(event.claimId, event.seq);
    return;
  }
  await schedule(event.claimId, event.seq, at, 0);
}

/**
 * The held notice's schedule fired. The window is about steps following each other in real time;
 * Scheduler never fires before it, but a scheduler clock moved forward does (the local stack's, when
 * someone moves it to fire deadlines). Then the notice is put off once more by what is really left
 * of its window; if that comes back early too, it is decided then.
 */
export async function onHeldNoticeFired(input: HeldNoticeFired, now = Date.now()) {
  const rearm = input.rearm ?? 0;
  // Early again after being put off: this scheduler's clock runs ahead of the real one by more than
  // the window (moved by days), so waiting for it says nothing. Decided now, on what has happened.
  const left = await sendHeldNotice(input.claimId, input.seq, rearm > 0 ? Number.POSITIVE_INFINITY : now);
  if (left.outcome !== 'early') return left;
  // From now, or from the time it was due where the scheduler's clock is ahead of ours.
  const at = new Date(Math.max(Date.parse(input.scheduledTime), now) + left.leftMs);
  logger.info('held notice fired before its window ended; put off again', {
    claimId: input.claimId,
    leftMs: left.leftMs,
  });
  await schedule(input.claimId, input.seq, at, rearm + 1);
  return left;
}

const schedule = (claimId: string, seq: number, at: Date, rearm: number) =>
  createOneTimeSchedule({
    name: heldNoticeName(claimId, seq, rearm),
    at,
    input: { claimId, kind: HELD_NOTICE_KIND, seq, rearm, phase: 'due', dueAt: at.toISOString() },
  });
