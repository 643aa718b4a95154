import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../lambdas/core/errors.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { APP_LEFT_OUT, APP_NAMESPACES, compileCatalogue } from '../../web/catalogue-plugin.ts';

/**
 * The customer app leaves staff-only error and field texts out of its bundle (web/catalogue-plugin.ts,
 * README "Web apps": the 60 KB budget). What a customer can be answered is found here, not listed by
 * hand: every module a route open to customers loads (its handler and everything it imports), the
 * customer app's own code, and the local gateway and sign-in that answer before any handler. Each
 * error code written in one of them, or thrown by an error class one of them names, must keep its
 * customer text, and so must every field issue code in them and every code zod itself produces.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

function moduleGraph(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.tsx?)'/g)) {
      const next = path.resolve(path.dirname(file), m[1] ?? '');
      if (existsSync(next)) walk(next);
    }
  };
  for (const e of entries) walk(path.join(ROOT, e));
  return seen;
}

const customerRoutes = ROUTES.filter(
  (r) => r.auth === 'public' || (r.roles as readonly string[]).includes('customer'),
);
const ERRORS_FILE = path.join(ROOT, 'lambdas/core/errors.ts');
const graph = moduleGraph([...customerRoutes.map((r) => r.entry), 'web/customer/src/main.tsx']);
// Answered before a handler runs (an unknown route, a rejected or expired token, an unknown user at
// the local sign-in); only the files themselves: the gateway imports every handler.
const sources = [...graph, path.join(ROOT, 'local/gateway.ts'), path.join(ROOT, 'local/idp.ts')]
  .filter((f) => f !== ERRORS_FILE)
  .map((f) => readFileSync(f, 'utf8'));

/** The codes each error class of lambdas/core/errors.ts throws (`QuotaExceededError`: two). */
const classCodes = [
  ...readFileSync(ERRORS_FILE, 'utf8').matchAll(/export class (\w+) extends \w+ \{([\s\S]*?)\n\}/g),
].map((m) => ({ name: m[1] ?? '', codes: [...(m[2] ?? '').matchAll(/'([A-Z][A-Z_]+)'/g)].map((c) => c[1]) }));

const quoted = (pattern: RegExp) =>
  new Set(sources.flatMap((s) => [...s.matchAll(pattern)].map((m) => m[1])));

/**
 * Codes written in modules customer routes load for other reasons, thrown only on a staff member's
 * action: segregation of duties (core/controls.ts, app/approval-controls.ts: who may approve, assess
 * or verify) and the SIU's investigation (core/fraud/siu.ts: the SIU routes).
 */
const STAFF_ACTION_ONLY = ['SOD_', 'SIU_CASE_'];

const errorCodes = (() => {
  const all = Object.keys(ERROR_STATUS);
  const found = new Set([...quoted(/'([A-Z][A-Z_]+)'/g)].filter((c): c is string => all.includes(c ?? '')));
  for (const c of classCodes)
    if (sources.some((s) => new RegExp(`\\b${c.name}\\b`).test(s)))
      for (const code of c.codes) found.add(code ?? '');
  return [...found].filter((c) => !STAFF_ACTION_ONLY.some((p) => c.startsWith(p))).sort();
})();

/** zod's own issue codes (lambdas/core/field-issues.ts passes them through) and the two it adds. */
const ZOD_CODES = [
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'required',
  'not_integer',
];

function catalogue(locale: string): Record<string, string> {
  const dir = path.join(ROOT, 'messages', locale);
  return Object.assign(
    {},
    ...readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, string>,
    ),
  );
}

describe.each(['vi', 'en'])('the customer app in %s', (locale) => {
  const full = catalogue(locale);
  const shipped = compileCatalogue(full, APP_NAMESPACES.customer ?? [], APP_LEFT_OUT.customer);

  it('has the text of every error code the customer API can answer with', () => {
    // The search finds what it should: the quota classes, the gateway's codes, a customer's own rule.
    expect(errorCodes).toEqual(
      expect.arrayContaining(['QUOTA_EXCEEDED', 'ROUTE_NOT_FOUND', 'TOKEN_EXPIRED', 'APPEAL_WINDOW_CLOSED']),
    );
    expect(errorCodes.filter((c) => !(`api.error.${c}` in shipped))).toEqual([]);
  });

  it('has the text of every field issue a customer request can get, and every rule sentence', () => {
    const fieldCodes = Object.keys(full)
      .filter((k) => k.startsWith('field.') && !k.slice(6).includes('.'))
      .map((k) => k.slice(6));
    const reachable = new Set([
      ...ZOD_CODES,
      ...[...quoted(/'([a-z_]+)'/g)].filter((c) => fieldCodes.includes(c ?? '')),
    ]);
    expect(reachable).toContain('account_number');
    const missing = [...reachable].filter((c) => `field.${c}` in full && !(`field.${c}` in shipped));
    expect(missing).toEqual([]);
    const sentences = Object.keys(full).filter(
      (k) => k.startsWith('field.rule.') || k.startsWith('field.at.'),
    );
    expect(sentences.filter((k) => !(k in shipped))).toEqual([]);
  });

  it('leaves staff-only texts out (the room the 60 KB budget needs)', () => {
    for (const key of ['api.error.INTAKE_INCOMPLETE', 'api.error.SOD_OWN_FILING', 'field.template_syntax'])
      expect(shipped).not.toHaveProperty([key]);
  });
});
