/**
 * `npm run replay-dead-letters -- [--dry-run] [--limit N]`: replays what the stateless stack's
 * dead-letter queue holds (lambdas/app/replay-dead-letters.ts says what and how), with the ambient
 * AWS credentials and region, against the queue DEAD_LETTERS_QUEUE_URL names (the stack output
 * `DeadLettersQueueUrl`: docs/operations-runbook.md). AWS only: the local stack has no queue.
 * Prints each message's outcome and a summary; with --dry-run it reads and classifies only.
 */
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const limitAt = args.indexOf('--limit');
const limitText = limitAt >= 0 ? args[limitAt + 1] : undefined;
const limit = limitText === undefined ? undefined : Number(limitText);
const unknown = args.filter(
  (a, i) => a !== '--dry-run' && i !== limitAt && !(limitAt >= 0 && i === limitAt + 1),
);
const queueUrl = process.env.DEAD_LETTERS_QUEUE_URL;

if (limitAt >= 0 && !(limit !== undefined && Number.isInteger(limit) && limit >= 1 && limit <= 100_000)) {
  console.error('--limit takes a whole number of messages from 1 to 100000.');
  process.exit(2);
}
if (unknown.length > 0) {
  console.error(
    `Unknown argument(s): ${unknown.join(' ')}. Usage: replay-dead-letters [--dry-run] [--limit N]`,
  );
  process.exit(2);
}
if (!queueUrl) {
  console.error(
    'Set DEAD_LETTERS_QUEUE_URL to the stateless stack output DeadLettersQueueUrl (see docs/operations-runbook.md).',
  );
  process.exit(2);
}

const { replayDeadLetters } = await import('../lambdas/app/replay-dead-letters.ts');
const outcomes = await replayDeadLetters({ queueUrl, dryRun, limit });
for (const o of outcomes) {
  const what =
    o.letter.kind === 'lambda-on-failure'
      ? `${o.letter.functionName} (${o.letter.condition}${o.letter.error ? `: ${o.letter.error}` : ''})`
      : o.letter.kind === 'event-target'
        ? `${o.letter.functionName ?? o.letter.targetArn} via ${o.letter.ruleArn}${o.letter.error ? ` (${o.letter.error})` : ''}`
        : o.letter.kind === 'stream-batch'
          ? `stream batch of ${o.letter.functionName}`
          : 'unrecognised';
  console.log(`${o.result.padEnd(12)} ${o.messageId}  ${what}${o.note ? `\n             ${o.note}` : ''}`);
}
const count = (r: string) => outcomes.filter((o) => o.result === r).length;
console.log(
  dryRun
    ? `Read ${outcomes.length}: would replay ${count('would-replay')}, would leave ${count('left')} (nothing changed).`
    : `Read ${outcomes.length}: replayed and deleted ${count('replayed')}, left ${count('left')}, failed ${count('failed')}.`,
);
if (count('failed') > 0) process.exitCode = 1;
