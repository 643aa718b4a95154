/**
 * `npm run lint:api`: generates the OpenAPI document from the route table and the zod schemas (as
 * GET /openapi.json serves it) into a temporary file under .local/ and lints it with Spectral
 * (`spectral:oas` and the OWASP API Security ruleset, configured in .spectral.yaml). Fails on any
 * error (each printed); warnings are counted per rule. Every rule switched off or narrowed is
 * listed, with why, in .spectral.yaml.
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
    [
      'lint',
      file,
      '--ruleset',
      join(root, '.spectral.yaml'),
      '--fail-severity',
      'error',
      '--format',
      'json',
      '--quiet',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  let results: { code: string; severity: number; message: string; path: string[] }[];
  try {
    results = JSON.parse(r.stdout || '[]');
  } catch {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error('Spectral did not answer with JSON');
  }
  // Errors in full (they fail the build); warnings counted per rule (free-text strings are many).
  const errors = results.filter((x) => x.severity === 0);
  for (const e of errors) console.error(`error ${e.code} at ${e.path.join('/')}: ${e.message}`);
  const warnings = new Map<string, number>();
  for (const w of results.filter((x) => x.severity === 1))
    warnings.set(w.code, (warnings.get(w.code) ?? 0) + 1);
  for (const [code, n] of warnings) console.log(`warning ${code}: ${n}`);
  console.log(
    `lint:api: ${errors.length} errors, ${[...warnings.values()].reduce((a, b) => a + b, 0)} warnings`,
  );
  process.exitCode = errors.length > 0 || r.status !== 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
