import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { isPlainMessage, LOCALES, type Locale } from '../lambdas/core/i18n.ts';
import { REPO_ROOT } from './config.ts';

/**
 * The message catalogue as the Lambda bundles hold it. `lambdas/core/i18n.ts` imports
 * `#messages/<locale>/<namespace>.json` (package.json "imports"): under the bundle condition
 * (LAMBDA_BUNDLE.conditions, lib/bundling.ts) that is the file written here, every ICU message
 * already parsed; everywhere else (tests, `npm start`, the web build) it is the source file. The
 * bundles alias FormatJS's parser to its no-parser entry, so a message must arrive parsed: this
 * writes every file before any bundle is built (CDK synth, the bundle benchmark and check).
 */
export const SOURCE_MESSAGES_DIR = path.join(REPO_ROOT, 'messages');
export const LAMBDA_MESSAGES_DIR = path.join(REPO_ROOT, '.build/lambda-messages');

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

let written = false;

/**
 * Writes `.build/lambda-messages/<locale>/<namespace>.json` for every file of the catalogue (any
 * key, any namespace), once per process. Each file is written whole, then renamed into place, so
 * a bundler never reads half of one.
 */
export function writeLambdaMessages(): void {
  if (written) return;
  for (const locale of LOCALES) {
    const from = path.join(SOURCE_MESSAGES_DIR, locale);
    const to = path.join(LAMBDA_MESSAGES_DIR, locale);
    mkdirSync(to, { recursive: true });
    for (const file of readdirSync(from).filter((f) => f.endsWith('.json'))) {
      const catalogue = JSON.parse(readFileSync(path.join(from, file), 'utf8')) as Record<string, string>;
      const target = path.join(to, file);
      const partial = `${target}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(compileMessages(catalogue, locale)));
      renameSync(partial, target);
    }
  }
  written = true;
}
