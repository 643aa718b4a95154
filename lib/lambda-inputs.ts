import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { isPlainMessage, LOCALES, type Locale } from '../lambdas/core/i18n.ts';
import { buildOpenApi } from '../lambdas/http/openapi.ts';
import { routeAccessTable } from '../lambdas/shared/route-access.ts';
import { REPO_ROOT } from './config.ts';

/**
 * What the Lambda bundles import in a build-time form. Under the bundle condition
 * (LAMBDA_BUNDLE.conditions, lib/bundling.ts) the package.json "imports" `#messages/…` and
 * `#route-access` and `#openapi` resolve to the files written here; everywhere else (tests, `npm start`, the web
 * build) to their sources. `writeLambdaInputs` runs before any bundle is built (CDK synth, the
 * bundle benchmark and check).
 * - The message catalogue (`lambdas/core/i18n.ts`), every ICU message already parsed: the bundles
 *   alias FormatJS's parser to its no-parser entry, so a message must arrive parsed.
 * - Each route's auth and roles (`lambdas/shared/route-access.ts`), which the HTTP wrapper checks,
 *   without the rest of the route table.
 * - The OpenAPI document the OpenApi function serves (`lambdas/http/openapi-document.ts`).
 */
export const LAMBDA_INPUTS_DIR = path.join(REPO_ROOT, '.build/lambda-inputs');
export const SOURCE_MESSAGES_DIR = path.join(REPO_ROOT, 'messages');
export const LAMBDA_MESSAGES_DIR = path.join(LAMBDA_INPUTS_DIR, 'messages');

/**
 * One file of the catalogue as a bundle holds it: plain texts stay strings (i18n.ts returns them
 * as they are), every other message becomes the AST that `new IntlMessageFormat(source, locale,
 * undefined, { ignoreTag: true })` would parse at run time: the same constructor, called here.
 */
export function compileMessages(
  catalogue: Record<string, string>,
  locale: Locale,
): Record<string, string | MessageFormatElement[]> {
  const out: Record<string, string | MessageFormatElement[]> = {};
  for (const [key, message] of Object.entries(catalogue)) {
    out[key] = isPlainMessage(message)
      ? message
      : new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst();
  }
  return out;
}

/** Writes `file` whole, then renames it into place, so a bundler never reads half of one. */
function writeWhole(file: string, contents: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

/** Writes `<LAMBDA_MESSAGES_DIR>/<locale>/<namespace>.json` for every file of the catalogue (any key, any namespace). */
export function writeLambdaMessages(): void {
  for (const locale of LOCALES) {
    const from = path.join(SOURCE_MESSAGES_DIR, locale);
    for (const file of readdirSync(from).filter((f) => f.endsWith('.json'))) {
      const catalogue = JSON.parse(readFileSync(path.join(from, file), 'utf8')) as Record<string, string>;
      writeWhole(
        path.join(LAMBDA_MESSAGES_DIR, locale, file),
        JSON.stringify(compileMessages(catalogue, locale)),
      );
    }
  }
}

let written = false;

/** Writes every build-time input of the Lambda bundles, once per process. */
export function writeLambdaInputs(): void {
  if (written) return;
  writeLambdaMessages();
  writeWhole(path.join(LAMBDA_INPUTS_DIR, 'route-access.json'), JSON.stringify(routeAccessTable()));
  writeWhole(path.join(LAMBDA_INPUTS_DIR, 'openapi.json'), JSON.stringify(buildOpenApi()));
  written = true;
}
