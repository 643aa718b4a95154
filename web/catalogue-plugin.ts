import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@formatjs/icu-messageformat-parser';
import type { Plugin } from 'esbuild';
import { isPlainMessage } from '../lambdas/core/i18n.ts';

/**
 * The namespaces of `messages/<locale>/<namespace>.json` each web app ships. The customer app gets what a
 * customer reads and nothing else: no console screens, no staff-only codes (fraud indicators,
 * straight-through reasons), no e-mail texts. An app missing here fails the build.
 */
export const APP_NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  customer: ['api', 'customer', 'field', 'label'],
  console: ['api', 'console', 'customer', 'field', 'intake', 'label', 'staff'],
};

/**
 * Groups of a shipped namespace an app still leaves out, because only staff read them: the customer
 * app never names a notification template (the admin's template page and audit log do), nor shows
 * the errors of the finance routes (payment batches and the bank's confirmation: finance role only),
 * nor the short names of the intake checks (the console's lists and straight-through reasons; the
 * customer's claim page shows each check's full text). tests/unit/customer-catalogue.test.ts finds what
 * the customer API can answer with (the modules its routes load) and fails if a text of that is left out.
 */
export const APP_LEFT_OUT: Readonly<Record<string, readonly string[]>> = {
  customer: [
    'label.template.',
    'label.checkShort.',
    // What the console says of report details withheld from a role (app/claim-view.ts forRoles):
    // a customer always sees her own report whole.
    'customer.withheld',
    'api.error.BATCH_',
    'api.error.SAME_MAKER_AND_CHECKER',
    'api.error.RECONCILIATION_NOT_FOUND',
    'api.error.RETURNS_NOT_CONFIRMABLE',
    'api.error.CONFIRMATION_FILE_INVALID',
    // Segregation of duties (approvals, SIU, post-audit, payout-account verification, four eyes on
    // administration): staff routes only; no customer request gets one of these.
    'api.error.SOD_',
    'api.error.CHANGE_',
    'field.last_other_admin',
    'field.change_pending',
    // The console's work, not a customer's request: assessment and decision limits, joint votes,
    // advances, the e-mail intake, SIU holds and cases, post-audit, policy imports, templates.
    'api.error.ADVANCE_',
    'api.error.AUTHORITY_LIMIT_EXCEEDED',
    'api.error.DECISION_BELOW_ADVANCES',
    'api.error.DUPLICATE_VOTE',
    'api.error.INTAKE_',
    'api.error.NOTHING_',
    'api.error.POLICY_IMPORT_NOT_FOUND',
    'api.error.POST_AUDIT_NOT_PENDING',
    'api.error.SIU_',
    'api.error.TEMPLATE_NOT_FOUND',
    // Field rules of the administration screens (products, deadlines, the calendar, templates, staff
    // accounts): a customer's request bodies have none of these fields.
    'field.below_minimum',
    'field.cause_not_covered',
    'field.claim_letter_required',
    'field.code_mismatch',
    'field.compulsory_fixed',
    'field.customer_role',
    'field.duplicate',
    'field.email_taken',
    'field.exceeds_',
    'field.external_link',
    'field.immutable',
    'field.legal_deadline_required',
    'field.line_changed',
    'field.not_increasing',
    'field.own_account',
    'field.payment_deadline_required',
    'field.quorum_exceeds_departments',
    'field.remote_image',
    'field.sms_too_long',
    'field.template_syntax',
    'field.too_many_',
    'field.unescaped_html',
    'field.unit_',
    'field.unknown_variable',
    'field.username_taken',
  ],
};

/**
 * Locales an app's bundle leaves out: each becomes a chunk of its own (web/shared/catalogues/<locale>.ts)
 * that `loadLocale` (web/shared/i18n.ts) fetches before the first screen in that language. The
 * customer app defers both, so a phone downloads only the language it shows (README "Web apps": the
 * 60 KB budget); the other comes on a switch. The console keeps both in its bundle: staff switch
 * languages and edit texts in both.
 */
export const DEFERRED_LOCALES: Readonly<Record<string, readonly string[]>> = {
  customer: ['vi', 'en'],
};

const MESSAGES_DIR = path.resolve(import.meta.dirname, '..', 'messages');
const CATALOGUES_DIR = path.resolve(import.meta.dirname, 'shared', 'catalogues');

/** The catalogue as an app's bundle holds it: its namespaces only, ICU messages parsed. */
export function compileCatalogue(
  catalogue: Record<string, string>,
  namespaces: readonly string[],
  leftOut: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, message] of Object.entries(catalogue)) {
    if (!namespaces.includes(key.slice(0, key.indexOf('.')))) continue;
    if (leftOut.some((prefix) => key.startsWith(prefix))) continue;
    out[key] = isPlainMessage(message) ? message : parse(message, { ignoreTag: true });
  }
  return out;
}

/**
 * esbuild plugin: serves each `messages/<locale>/<namespace>.json` to `app` compiled, or empty when the app may not show it, and swaps FormatJS's
 * parser for its no-parser entry (the messages arrive parsed; the parser is most of FormatJS's size).
 */
export function cataloguePlugin(app: string): Plugin {
  const namespaces = APP_NAMESPACES[app];
  if (!namespaces) throw new Error(`web/catalogue-plugin.ts: no message namespaces listed for app "${app}"`);
  const leftOut = APP_LEFT_OUT[app] ?? [];
  const deferred = DEFERRED_LOCALES[app] ?? [];
  return {
    name: 'message-catalogue',
    setup(b) {
      b.onResolve({ filter: /^@formatjs\/icu-messageformat-parser$/ }, (args) =>
        b.resolve('@formatjs/icu-messageformat-parser/no-parser.js', {
          kind: args.kind,
          resolveDir: args.resolveDir,
        }),
      );
      b.onLoad({ filter: /[\\/]messages[\\/][a-z]{2}[\\/][a-z]+\.json$/ }, async (args) => {
        // A deferred locale's file is empty in the bundle: its texts are in the deferred chunk.
        if (deferred.includes(path.basename(path.dirname(args.path))))
          return { contents: 'export default {};', loader: 'js' };
        // A namespace the app may not show becomes an empty object: the import stays, the texts go.
        const catalogue = JSON.parse(await readFile(args.path, 'utf8')) as Record<string, string>;
        return {
          contents: `export default ${JSON.stringify(compileCatalogue(catalogue, namespaces, leftOut))};`,
          loader: 'js',
        };
      });
      b.onLoad({ filter: /[\\/]shared[\\/]catalogues[\\/][a-z]{2}\.ts$/ }, async (args) => {
        const locale = path.basename(args.path, '.ts');
        if (path.dirname(path.resolve(args.path)) !== CATALOGUES_DIR || !deferred.includes(locale))
          return undefined;
        const messages: Record<string, unknown> = {};
        for (const ns of namespaces) {
          const file = path.join(MESSAGES_DIR, locale, `${ns}.json`);
          const catalogue = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
          Object.assign(messages, compileCatalogue(catalogue, namespaces, leftOut));
        }
        // JSON.parse of a string: engines read a large JSON text faster than the same object literal.
        return {
          contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(messages))});`,
          loader: 'js',
        };
      });
    },
  };
}
