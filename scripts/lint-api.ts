/**
 * `npm run lint:api`: generates the OpenAPI document from the route table and the zod schemas (as
 * GET /openapi.json serves it) into a temporary file under .local/ and lints it with Spectral (`spectral:oas` and
 * the OWASP API Security ruleset, configured in .spectral.yaml). Fails on any error; warnings are
 * printed. Every rule switched off or narrowed is listed, with why, in .spectral.yaml.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOpenApi } from '../lambdas/http/openapi.ts';

const root = resolve(import.meta.dirname, '..');
// Inside the repository (in the ignored .local/): .spectral.yaml's overrides match files below it.
mkdirSync(join(root, '.local'), { recursive: true });
const dir = mkdtempSync(join(root, '.local', 'openapi-'));
const file = join(dir, 'openapi.json');
try {
  writeFileSync(file, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
  const spectral = join(root, 'node_modules', '.bin', 'spectral');
  const r = spawnSync(
    spectral,
    ['lint', file, '--ruleset', join(root, '.spectral.yaml'), '--fail-severity', 'error', '--format', 'text'],
    { stdio: 'inherit' },
  );
  if (r.error) throw r.error;
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
