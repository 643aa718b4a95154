import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs an ES module script in a fresh Node process (in `dir`, with nothing of this process's
 * environment but PATH) and returns what it printed, parsed as JSON: how the bundle tests use a
 * Lambda bundle as the runtime would, apart from vitest's module graph.
 */
export async function runInFreshNode(dir: string, script: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1' },
    timeout: 30_000,
    maxBuffer: 20 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}
