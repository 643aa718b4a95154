import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { localFunctionArn } from '../lambdas/shared/functions.ts';
import { CLAIM_STATE_MACHINE, TASK_FUNCTIONS } from '../lambdas/task-functions.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The claim lifecycle ASL with its `${...}` placeholders replaced by local Lambda ARNs — the
 * local counterpart of CDK's `definitionSubstitutions`, driven by the same TASK_FUNCTIONS list.
 */
export async function loadStateMachineDefinition(
  file: string = CLAIM_STATE_MACHINE.file,
): Promise<Record<string, unknown>> {
  let text = await readFile(path.join(ROOT, file), 'utf8');
  for (const f of TASK_FUNCTIONS) {
    if ('aslSubstitution' in f && f.aslSubstitution)
      text = text.replaceAll(`\${${f.aslSubstitution}}`, localFunctionArn(f.id));
  }
  const left = /\$\{\w+\}/.exec(text);
  if (left) throw new Error(`Unresolved substitution ${left[0]} in ${file}`);
  return JSON.parse(text) as Record<string, unknown>;
}
