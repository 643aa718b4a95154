import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileDemoClaims } from './demo-claims.ts';
import { DEMO_USERS } from './demo-data.ts';
import { startLocalStack } from './stack.ts';

/**
 * `npm start`: builds the web apps, starts every local stand-in and the API, seeds demo data on the
 * first start and prints where everything is. Ctrl-C stops it all (DynamoDB Local's Java process
 * included). State is kept in `.local/data` (or `LOCAL_DATA_DIR`) across restarts: the table, the
 * uploaded files, the workflows waiting for a person and the stream position.
 * `npm start -- --reset` deletes it first and starts from the demo data again.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DATA_DIR = path.resolve(ROOT, process.env.LOCAL_DATA_DIR ?? path.join('.local', 'data'));
if (process.argv.includes('--reset')) {
  await rm(DATA_DIR, { recursive: true, force: true });
  console.log(`Deleted ${DATA_DIR}: starting from the demo data.`);
}
const port = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 ? v : fallback;
};

const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'web', 'build.ts')], {
  stdio: 'inherit',
  cwd: ROOT,
});
if (build.status !== 0) {
  console.error('Web build failed; fix it or run npm run build:web to see why.');
  process.exit(1);
}

const stack = await startLocalStack({
  apiPort: port('API_PORT', 3000),
  webPort: port('WEB_PORT', 5173),
  ports: {
    dynamodb: port('DYNAMODB_PORT', 8000),
    s3: port('S3_PORT', 4569),
    ses: port('SES_PORT', 8005),
    sns: port('SNS_PORT', 9911),
    sfn: port('SFN_PORT', 8083),
    scheduler: port('SCHEDULER_PORT', 9912),
    smtp: port('SMTP_PORT', 2525),
  },
  dataDir: DATA_DIR,
  quiet: process.env.LOG_LEVEL !== 'debug',
});

// On the first start, a few claims filed by the demo customers, so the console opens on work.
const demoClaims = stack.seeded ? await fileDemoClaims(stack.apiUrl) : [];

const customers = DEMO_USERS.filter((u) => u.roles.includes('customer')).map((u) => u.username);
const staff = DEMO_USERS.filter((u) => !u.roles.includes('customer')).map(
  (u) => `${u.username} (${u.roles.join('+')})`,
);
console.log(`
Claims system running locally
  Customer web      ${stack.webUrl}
  Staff console     ${stack.consoleUrl}
  API               ${stack.apiUrl}          (OpenAPI: ${stack.apiUrl}/openapi.json)
  Local mailbox     ${stack.mailUrl}          (emails sent through SES)
  Claims by email   ${stack.smtpUrl}         (to ${'boithuong@baohiem.local'}; npm run mail -- file.eml)
  SMS/topic inbox   ${stack.inboxUrl}          (messages sent through SNS)
  Scheduler         ${stack.schedulerUrl}/local/schedules

  Demo customers:   ${customers.join(', ')}
  Demo staff:       ${staff.join(', ')}
  A token for curl: curl -s -XPOST ${stack.apiUrl}/local/token -d '{"username":"an.nguyen"}'
${demoClaims.length > 0 ? `  Demo claims:      ${demoClaims.join('\n                    ')}\n` : ''}
  Data kept in      ${DATA_DIR}  (${stack.seeded ? 'demo data seeded now' : 'kept from the last run'}; npm start -- --reset to start over)

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
