import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDAS, sourceFiles } from '../helpers/source-files.ts';

/**
 * Schema constants in the modules many functions share (core, app, adapters) are built through
 * `/* @__PURE__ *\/ defineSchema(() => …)` (lambdas/core/define-schema.ts), so a bundle that does
 * not read one leaves it out. A bare `const X = z.…(…)` at a module's top level is built in every
 * function importing that module for anything; this finds one before `check:bundles` does.
 */

describe('schema constants', () => {
  it('are built through a pure-marked defineSchema in core, app and adapters', () => {
    const bare = ['core', 'app', 'adapters'].flatMap((layer) =>
      sourceFiles(path.join(LAMBDAS, layer)).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/^(?:export )?const (\w+)(?:: [^=]+)? = z\s*\./gm)].map(
          (m) => `${path.relative(LAMBDAS, file)}: ${m[1]}`,
        ),
      ),
    );
    expect(bare).toEqual([]);
  });
});
