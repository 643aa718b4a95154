import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/access-patterns.md is the table a newcomer reads to learn how the single table is used: each
 * row names the adapter function that serves the pattern. A row naming a function that does not
 * exist, or one nothing calls (a pattern with no reader), is a lie this test catches.
 */
const ROOT = path.join(import.meta.dirname, '../..');
const ADAPTERS = path.join(ROOT, 'lambdas/adapters/dynamo');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The rows of the table: number and the functions named in its last column. */
function rows(): { id: string; functions: string[] }[] {
  const doc = readFileSync(path.join(ROOT, 'docs/access-patterns.md'), 'utf8');
  return doc
    .split('\n')
    .filter((l) => /^\| \d+[a-z]? \|/.test(l))
    .map((l) => {
      // Cells are split on unescaped pipes (`a\|b` inside a key condition is one cell).
      const cells = l.split(/(?<!\\)\|/).map((c) => c.trim());
      const last = cells[cells.length - 2] ?? '';
      return {
        id: cells[1] ?? '',
        functions: [...last.matchAll(/`([A-Za-z]\w*)`/g)].map((m) => m[1] as string),
      };
    });
}

const THIRD_PARTY = new Set(['DynamoDBPersistenceLayer']);

describe('the access-pattern table', () => {
  const table = rows();
  const sources = sourceFiles(path.join(ROOT, 'lambdas')).map((f) => ({ f, text: readFileSync(f, 'utf8') }));
  const adapters = sources
    .filter((s) => s.f.startsWith(ADAPTERS))
    .map((s) => s.text)
    .join('\n');

  it('has rows, each naming the function that serves it', () => {
    expect(table.length).toBeGreaterThan(40);
    expect(table.filter((r) => r.functions.length === 0).map((r) => r.id)).toEqual([]);
  });

  it('names only functions the adapters export and something calls', () => {
    const wrong: string[] = [];
    for (const { id, functions } of table) {
      for (const fn of functions.filter((f) => !THIRD_PARTY.has(f))) {
        if (!new RegExp(`export (async )?(function\\*?|const) ${fn}\\b`).test(adapters)) {
          wrong.push(`#${id} ${fn}: not exported by lambdas/adapters/dynamo`);
          continue;
        }
        const callers = sources.filter((s) =>
          new RegExp(`\\b${fn}\\(`).test(s.text.replace(new RegExp(`function ${fn}\\(`, 'g'), '')),
        );
        if (callers.length === 0) wrong.push(`#${id} ${fn}: nothing calls it`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
