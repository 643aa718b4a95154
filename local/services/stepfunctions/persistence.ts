// The state file: executions and task tokens kept across a restart of the local stack.
import { readFile } from 'node:fs/promises';
import type { PersistedState } from './types.ts';

export async function loadState(file: string): Promise<PersistedState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PersistedState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
