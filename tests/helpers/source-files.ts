import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The Lambda sources, for the tests that read the code itself (layers, schema constants). */
export const LAMBDAS = path.join(import.meta.dirname, '../../lambdas');

/** Every `.ts` file under `dir`, at any depth. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}
