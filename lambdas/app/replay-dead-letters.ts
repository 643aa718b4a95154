import {
  type ReceivedDeadLetter,
  deleteDeadLetter,
  invokeAsync,
  receiveDeadLetters,
  releaseDeadLetter,
} from '../adapters/dead-letter-queue.ts';
import {
  classifyDeadLetter,
  type DeadLetter,
  STREAM_RETENTION_MS,
  streamRecordsKept,
} from '../core/dead-letters.ts';

/**
 * The operator's replay of the dead-letter queue (`npm run replay-dead-letters`,
 * docs/operations-runbook.md): each message is classified (core/dead-letters.ts); a Lambda
 * on-failure record or an EventBridge dead letter for a function is invoked again, asynchronously,
 * with the event it failed on, and deleted only once Lambda accepted it. Everything else is left
 * in the queue (made visible again at the end) with what to do about it. The functions replayed
 * are idempotent (a replay of what partly succeeded has one effect), as their retries already
 * require. A dry run reads and classifies only.
 */
export interface ReplayOutcome {
  messageId: string;
  letter: DeadLetter;
  result: 'replayed' | 'would-replay' | 'left' | 'failed';
  /** For a message left or failed: why, and what a person does about it. */
  note?: string;
}

/** How long a message read stays hidden from other readers, so one run meets it once. */
const HIDE_SECONDS = 300;

export async function replayDeadLetters(options: {
  queueUrl: string;
  dryRun?: boolean;
  /** At most this many messages read (all when undefined). */
  limit?: number;
  now?: Date;
}): Promise<ReplayOutcome[]> {
  const { queueUrl, dryRun = false, limit = Number.POSITIVE_INFINITY, now = new Date() } = options;
  const outcomes: ReplayOutcome[] = [];
  const left: ReceivedDeadLetter[] = [];
  const seen = new Set<string>();
  try {
    while (outcomes.length < limit) {
      const batch = await receiveDeadLetters(queueUrl, Math.min(10, limit - outcomes.length), HIDE_SECONDS);
      const fresh = batch.filter((m) => !seen.has(m.messageId));
      // Empty, or only messages met already (a run longer than HIDE_SECONDS): everything was read.
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.messageId);
        const outcome = await replayOne(queueUrl, message, dryRun, now);
        if (outcome.result !== 'replayed') left.push(message);
        outcomes.push(outcome);
      }
    }
  } finally {
    for (const message of left) await releaseDeadLetter(queueUrl, message.receiptHandle);
  }
  return outcomes;
}

async function replayOne(
  queueUrl: string,
  message: ReceivedDeadLetter,
  dryRun: boolean,
  now: Date,
): Promise<ReplayOutcome> {
  const letter = classifyDeadLetter(message);
  const base = { messageId: message.messageId, letter };
  const replay = replayOf(letter);
  if (!replay) return { ...base, result: 'left', note: whyLeft(letter, now) };
  if (dryRun) return { ...base, result: 'would-replay' };
  try {
    if (!(await invokeAsync(replay.functionArn, replay.payload)))
      return { ...base, result: 'failed', note: 'Lambda did not accept the event; left in the queue' };
  } catch (e) {
    return { ...base, result: 'failed', note: `invoke refused: ${errorText(e)}; left in the queue` };
  }
  try {
    await deleteDeadLetter(queueUrl, message.receiptHandle);
  } catch (e) {
    // Replayed, still in the queue: a next run replays it again, which the function takes once.
    return { ...base, result: 'failed', note: `replayed, but not deleted: ${errorText(e)}` };
  }
  return { ...base, result: 'replayed' };
}

/** The function and event to invoke again, or undefined when the message is not replayed. */
function replayOf(letter: DeadLetter): { functionArn: string; payload: unknown } | undefined {
  if (letter.kind === 'lambda-on-failure')
    return { functionArn: letter.functionArn, payload: letter.payload };
  if (letter.kind === 'event-target' && letter.functionName)
    return { functionArn: letter.targetArn, payload: letter.event };
  return undefined;
}

function whyLeft(letter: DeadLetter, now: Date): string {
  switch (letter.kind) {
    case 'stream-batch': {
      const until = new Date(Date.parse(letter.firstArrival) + STREAM_RETENTION_MS).toISOString();
      return (
        `${letter.functionName} gave up on ${letter.batchSize} stream record(s), sequence ` +
        `${letter.startSequenceNumber}..${letter.endSequenceNumber} of ${letter.shardId} ` +
        `(${letter.streamArn}); ` +
        (streamRecordsKept(letter, now)
          ? `they stay in the stream until ${until}. `
          : 'they are no longer in the stream (kept 24 hours). ') +
        'A failed workflow signal is in Workflow alerts: Redeliver it there; see the runbook for the rest'
      );
    }
    case 'event-target':
      return `rule ${letter.ruleArn} could not start ${letter.targetArn}, which is not a function: see the runbook`;
    case 'unrecognised':
      return letter.reason;
    default:
      return 'not replayed';
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
