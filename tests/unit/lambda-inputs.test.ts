import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format, LOCALES, type Locale, messageKeys } from '../../lambdas/core/i18n.ts';
import { REPO_ROOT } from '../../lib/config.ts';
import { writeLambdaInputs } from '../../lib/lambda-inputs.ts';
import { buildOpenApi } from '../../lambdas/http/openapi.ts';
import { bundleOne } from '../bench/bundles.ts';

/**
 * What the Lambda bundles import in build-time form (lib/lambda-inputs.ts, LAMBDA_BUNDLE
 * conditions/alias): the message catalogue parsed, with no ICU parser, and each route's access
 * without the route table. Modules are built exactly as a function is built; the bundles must
 * behave as the sources do under tsx.
 */
const run = promisify(execFile);

/** A value for every argument of a message, of the kind its ICU element expects. */
function sampleValues(elements: MessageFormatElement[], out: Record<string, unknown> = {}) {
  for (const e of elements) {
    if (!('value' in e) || e.type === 0) continue; // pound sign, literal
    if (e.type === 2) out[e.value] = 1234567;
    else if (e.type === 3 || e.type === 4) out[e.value] = new Date('2026-03-04T05:06:07Z');
    else if (e.type === 5 || e.type === 6) {
      out[e.value] ??= e.type === 6 ? 2 : (Object.keys(e.options).find((k) => k !== 'other') ?? 'x');
      for (const option of Object.values(e.options)) sampleValues(option.value, out);
    } else if (e.type === 8) sampleValues(e.children, out);
    else out[e.value] ??= `«${e.value}»`;
  }
  return out;
}

/** The source catalogue, every file, as tsx and vitest read it. */
const SOURCE = Object.fromEntries(
  LOCALES.map((locale) => {
    const folder = path.join(REPO_ROOT, 'messages', locale);
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    const entries = files.flatMap((f) =>
      Object.entries(JSON.parse(readFileSync(path.join(folder, f), 'utf8'))),
    );
    return [locale, Object.fromEntries(entries) as Record<string, string>];
  }),
) as Record<Locale, Record<string, string>>;

const ast = (locale: Locale, key: string): MessageFormatElement[] =>
  new IntlMessageFormat(SOURCE[locale][key] ?? key, locale, undefined, { ignoreTag: true }).getAst();

let dir: string;
let bundle: string;
let inputs: string[];

beforeAll(async () => {
  writeLambdaInputs();
  dir = await mkdtemp(path.join(tmpdir(), 'claims-lambda-inputs-'));
  ({ outfile: bundle, inputs } = await bundleOne(dir, 'i18n', 'lambdas/core/i18n.ts'));
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the message catalogue in a Lambda bundle', () => {
  it('arrives parsed, with FormatJS’s no-parser entry instead of its parser', () => {
    expect(inputs.some((p) => p.includes('.build/lambda-inputs/messages/vi/api.json'))).toBe(true);
    expect(inputs.some((p) => /[\\/]messages[\\/](vi|en)[\\/]/.test(p) && !p.includes('.build'))).toBe(false);
    expect(inputs.some((p) => p.endsWith('icu-messageformat-parser/no-parser.js'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('icu-messageformat-parser/index.js'))).toBe(false);
  });

  it('formats every message as the source catalogue does, in both locales', async () => {
    const cases = LOCALES.flatMap((locale) =>
      messageKeys(locale).map((key) => ({ locale, key, values: sampleValues(ast(locale, key)) })),
    );
    expect(cases.length).toBeGreaterThan(100);
    // Dates cross the process boundary as ISO strings and are revived on the other side.
    const script = [
      `const { format } = await import(${JSON.stringify(`file://${bundle}`)});`,
      `const cases = JSON.parse(process.argv[1], (k, v) => typeof v === 'string' && /^\\d{4}-\\d\\d-\\d\\dT/.test(v) ? new Date(v) : v);`,
      'console.log(JSON.stringify(cases.map((c) => format(c.locale, c.key, c.values))));',
    ].join('\n');
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(cases)],
      {
        env: { PATH: process.env.PATH ?? '', TZ: process.env.TZ ?? '' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const bundled = JSON.parse(stdout) as string[];
    const expected = cases.map((c) => format(c.locale, c.key, c.values));
    // A message the bundle could not format comes back as its key: none may.
    expect(bundled.filter((text, i) => text === cases[i]?.key && text !== expected[i])).toEqual([]);
    expect(bundled).toEqual(expected);
  }, 60_000);
});

describe('route access in a Lambda bundle', () => {
  it('carries the auth and roles of the route table without the table, and enforces them', async () => {
    const results: Record<string, { statusCode: number; code?: string }> = {};
    for (const [id, entry] of [
      ['Health', 'lambdas/handlers/http/health.ts'],
      ['ListMyPolicies', 'lambdas/handlers/http/list-my-policies.ts'],
    ] as const) {
      const { outfile, inputs: used } = await bundleOne(dir, id, entry);
      expect(used.some((p) => p.endsWith('.build/lambda-inputs/route-access.json'))).toBe(true);
      expect(used.filter((p) => p.endsWith('lambdas/routes.ts'))).toEqual([]);
      const script = [
        `const { handler } = await import(${JSON.stringify(`file://${outfile}`)});`,
        'const call = async (claims) => { const r = await handler({ headers: {}, requestContext: { requestId: "req-0001", authorizer: claims ? { jwt: { claims } } : undefined } }, {});',
        '  return { statusCode: r.statusCode, code: r.body ? JSON.parse(r.body).error?.code : undefined }; };',
        // Anonymous, then signed in with no group: a public route answers both, a customer route neither.
        'console.log(JSON.stringify([await call(undefined), await call({ sub: "user-1" })]));',
      ].join('\n');
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH ?? '', TABLE_NAME: 'claims', AWS_REGION: 'ap-southeast-1' },
      });
      const [anonymous, noGroup] = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]');
      results[`${id} anonymous`] = anonymous;
      results[`${id} no group`] = noGroup;
    }
    expect(results).toEqual({
      'Health anonymous': { statusCode: 200 },
      'Health no group': { statusCode: 200 },
      'ListMyPolicies anonymous': { statusCode: 401, code: 'UNAUTHENTICATED' },
      'ListMyPolicies no group': { statusCode: 403, code: 'FORBIDDEN' },
    });
  }, 60_000);
});

describe('the OpenAPI document in a Lambda bundle', () => {
  it('is the document the source builds, written at build time, without the route table or the schemas', async () => {
    const { outfile, inputs: used } = await bundleOne(dir, 'OpenApi', 'lambdas/handlers/http/openapi.ts');
    expect(used.some((p) => p.endsWith('.build/lambda-inputs/openapi.json'))).toBe(true);
    expect(
      used.filter((p) => p.endsWith('lambdas/routes.ts') || p.endsWith('lambdas/http/openapi.ts')),
    ).toEqual([]);
    const script = [
      `const { handler } = await import(${JSON.stringify(`file://${outfile}`)});`,
      'const r = await handler({ headers: {}, requestContext: { requestId: "req-0001" } }, {});',
      'console.log(JSON.stringify({ statusCode: r.statusCode, cache: r.headers["cache-control"], body: JSON.parse(r.body) }));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', TABLE_NAME: 'claims', AWS_REGION: 'ap-southeast-1' },
      maxBuffer: 10 * 1024 * 1024,
    });
    const served = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(served.statusCode).toBe(200);
    expect(served.cache).toBe('public, max-age=300');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
    expect(Object.keys(served.body.paths).length).toBeGreaterThan(50);
  }, 60_000);
});
