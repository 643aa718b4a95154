import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIMS_RUNTIME } from '../../lib/claims-function.ts';
import { REPO_ROOT } from '../../lib/config.ts';

/**
 * The runtime that ships is the runtime that is tested: CI runs the unit and workflow suites a
 * second time on the Node.js major the Lambda functions run on (`npm run test:node22`, Node from the
 * npm registry's `node` package), while the machines themselves stay on Node 20.
 */
describe('runtime parity', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    engines: { node: string };
  };
  const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(CLAIMS_RUNTIME.name)?.[1]);

  it('runs the unit and workflow suites on the Lambda runtime major', () => {
    expect(lambdaMajor).toBeGreaterThanOrEqual(20);
    const script = pkg.scripts[`test:node${lambdaMajor}`];
    expect(script, `package.json needs a test:node${lambdaMajor} script`).toBeDefined();
    expect(script).toContain(`node@${lambdaMajor}`);
    expect(script).toMatch(/--project unit/);
    expect(script).toMatch(/--project workflow/);
  });

  it('CI runs that script', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toContain(`npm run test:node${lambdaMajor}`);
  });
});
