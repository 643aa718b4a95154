import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDAS, sourceFiles } from '../helpers/source-files.ts';

/**
 * Layers one way (docs: HOUSE_STYLE "three layers"): the core knows no AWS SDK, adapter, use case,
 * transport or runtime; use cases (app) know no transport (http) and no handler; adapters know no
 * use case. Read from the import statements of every file, so a new import that breaks the
 * direction fails here before it ships.
 */

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specifiers.push(m[1] as string);
  return specifiers;
}

/** The lambdas/ top-level folder a relative import from `file` lands in, or the package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const resolved = path.relative(LAMBDAS, path.resolve(path.dirname(file), specifier));
  return resolved.startsWith('..') ? resolved : (resolved.split(path.sep)[0] ?? resolved);
}

function violations(layer: string, forbidden: (t: string) => boolean): string[] {
  return sourceFiles(path.join(LAMBDAS, layer)).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((s) => forbidden(target(file, s)))
      .map((s) => `${path.relative(LAMBDAS, file)} imports ${s}`),
  );
}

const folder =
  (...names: string[]) =>
  (t: string) =>
    names.includes(t) || names.some((n) => t === `${n}.ts`);

describe('layers one way', () => {
  it('finds imports of every form (so the checks below can fail)', () => {
    expect(
      importsOf(
        `import type { A } from '../http/a.ts';\nexport { b } from "./b.ts";\nconst c = await import('../app/c.ts');\nimport './d.ts';`,
      ),
    ).toEqual(['../http/a.ts', './b.ts', '../app/c.ts', './d.ts']);
    expect(target(path.join(LAMBDAS, 'app/x.ts'), '../http/principal.ts')).toBe('http');
  });

  it('the core imports no adapter, use case, transport, handler, runtime or AWS SDK', () => {
    const bad = folder('adapters', 'app', 'http', 'handlers', 'runtime', 'routes', 'task-functions');
    expect(
      violations(
        'core',
        (t) => bad(t) || t.startsWith('@aws-sdk/') || t === 'aws-lambda' || t.startsWith('@middy/'),
      ),
    ).toEqual([]);
  });

  it('use cases (app) import no transport (http) and no handler', () => {
    expect(violations('app', folder('http', 'handlers', 'routes'))).toEqual([]);
  });

  it('adapters import no use case, transport or handler', () => {
    expect(violations('adapters', folder('app', 'http', 'handlers'))).toEqual([]);
  });
});
