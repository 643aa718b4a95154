// DynamoDB Local (the real Java emulator from AWS) for the local stack and integration tests.
//
// Why the jar comes from an npm tarball: only the npm registry is reachable from the dev machines,
// and `amplify-dynamodb-simulator` ships DynamoDB Local 1.25.1 in `package/emulator/`. Installing that
// package as a dependency would pull ~348 MB of Amplify CLI, so we `npm pack` it (57 MB) and extract
// only the emulator folder into `.local/dynamodb/` (gitignored).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_HOST } from './http.ts';

const execFileAsync = promisify(execFile);

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the emulator is unpacked: `.local/dynamodb/{DynamoDBLocal.jar,DynamoDBLocal_lib/}`. */
export const DYNAMODB_LOCAL_DIR = join(REPO_ROOT, '.local', 'dynamodb');
const SIMULATOR_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const JAR_NAME = 'DynamoDBLocal.jar';

/**
 * Makes sure DynamoDB Local is unpacked in `dir` (default `.local/dynamodb/`) and returns that folder.
 * Safe to call from several processes at once: each one unpacks into its own temp folder next to the
 * target and `rename`s it into place; the loser of the race just discards its copy.
 */
export async function ensureDynamoDbJar(dir: string = DYNAMODB_LOCAL_DIR): Promise<string> {
  if (existsSync(join(dir, JAR_NAME))) return dir;
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  // Same parent folder => same filesystem => rename(2) is atomic.
  const tmp = await mkdtemp(join(parent, '.dynamodb-download-'));
  try {
    await execFileAsync('npm', ['pack', SIMULATOR_PACKAGE, '--pack-destination', tmp, '--silent'], {
      cwd: tmp,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    const tarball = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${SIMULATOR_PACKAGE} produced no tarball`);
    await execFileAsync('tar', ['-xzf', join(tmp, tarball), '-C', tmp, 'package/emulator'], {
      timeout: 5 * 60_000,
    });
    const unpacked = join(tmp, 'package', 'emulator');
    if (!existsSync(join(unpacked, JAR_NAME))) {
      throw new Error(`${SIMULATOR_PACKAGE} does not contain package/emulator/${JAR_NAME}`);
    }
    try {
      // Replaces `dir` only if it is missing or empty; a populated `dir` means another process won.
      await rename(unpacked, dir);
    } catch (err) {
      if (!existsSync(join(dir, JAR_NAME))) throw err;
    }
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface DynamoDbLocalOptions {
  /** Port to bind on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Keep data in memory only (default true). Ignored when `dbPath` is given. */
  inMemory?: boolean;
  /** Persist to this folder (created if missing) instead of memory. */
  dbPath?: string;
  /** Milliseconds to wait for the first successful ListTables (default 30 s). */
  startTimeoutMs?: number;
  /** Echo the emulator's stdout/stderr (default false; the last lines are kept for error messages). */
  verbose?: boolean;
}

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:8000`; set it as `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  port: number;
  /** The Java process id (for diagnostics). */
  pid: number;
  /** Stops the emulator (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export const LOCAL_REGION = 'ap-southeast-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'localsecret' } as const;

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const emulatorDir = await ensureDynamoDbJar();
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  // DynamoDB Local cannot report the port it bound, so for port 0 we pick a free one first and retry
  // in the rare case another process grabs it in between.
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port || (await findFreePort());
    try {
      return await launch(emulatorDir, port, options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(
  emulatorDir: string,
  port: number,
  options: DynamoDbLocalOptions,
): Promise<DynamoDbLocal> {
  const storage = options.dbPath
    ? ['-dbPath', options.dbPath]
    : options.inMemory === false
      ? ['-dbPath', join(REPO_ROOT, '.local', 'dynamodb-data')]
      : ['-inMemory'];
  if (options.inMemory === false && !options.dbPath) {
    await mkdir(join(REPO_ROOT, '.local', 'dynamodb-data'), { recursive: true });
  }
  const args = [
    // Fast start-up matters more than peak throughput for a local emulator (~1 s to ready).
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xmx512m',
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(emulatorDir, JAR_NAME),
    '-port',
    String(port),
    ...storage,
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child = spawn('java', args, { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (options.verbose) process.stderr.write(`[dynamodb-local] ${text}`);
    output.push(...text.split('\n').filter(Boolean));
    if (output.length > 50) output.splice(0, output.length - 50);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((res) => {
    child.once('exit', (code) => res(code));
    child.once('error', () => res(-1));
  });
  if (child.pid === undefined) {
    await exited;
    throw new Error('Could not spawn java (is a JDK/JRE on PATH?)');
  }
  const pid = child.pid;
  trackChild(child);

  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    untrackChild(child);
  };

  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited early (code ${child.exitCode}):\n${output.join('\n')}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid, stop };
}

/**
 * Creates the table unless it already exists. Returns true when it was created now.
 * DynamoDB Local creates tables ACTIVE immediately, so no waiter is needed.
 */
export async function createTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await client.send(new CreateTableCommand(definition));
    return true;
  } catch (err) {
    if (err instanceof ResourceInUseException) return false; // created concurrently
    throw err;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, LOCAL_HOST, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// No orphaned Java: a JVM outlives its parent unless it is killed explicitly. We kill every child on
// process exit, on SIGINT/SIGTERM/SIGHUP and on uncaught errors (via `uncaughtExceptionMonitor`, which
// observes without swallowing the crash). A parent killed with SIGKILL runs no handlers at all, so each
// JVM also gets a tiny `sh` watchdog that kills it once the parent pid disappears.
// ---------------------------------------------------------------------------------------------------
const children = new Map<ChildProcess, ChildProcess | undefined>();
let handlersInstalled = false;

function trackChild(child: ChildProcess): void {
  installExitHandlers();
  const watchdog = spawnWatchdog(child.pid!);
  children.set(child, watchdog);
  child.once('exit', () => untrackChild(child));
}

function untrackChild(child: ChildProcess): void {
  const watchdog = children.get(child);
  if (watchdog && watchdog.exitCode === null) watchdog.kill('SIGKILL');
  children.delete(child);
}

function spawnWatchdog(childPid: number): ChildProcess | undefined {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; do sleep 1; done; kill -9 ${childPid} 2>/dev/null`;
  try {
    const watchdog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
    watchdog.on('error', () => {});
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

function killAllChildren(): void {
  for (const [child, watchdog] of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (watchdog && watchdog.exitCode === null) watchdog.kill('SIGKILL');
  }
  children.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllChildren);
  process.on('uncaughtExceptionMonitor', killAllChildren);
  const signals: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  for (const [signal, exitCode] of signals) {
    const onSignal = () => {
      killAllChildren();
      // Adding a listener disables Node's default "exit on signal"; restore it unless someone else
      // (e.g. the local stack's graceful shutdown) also listens and will exit on its own.
      if (process.listenerCount(signal) === 1) process.exit(exitCode);
    };
    process.on(signal, onSignal);
  }
}
