import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import enApi from '#messages/en/api.json' with { type: 'json' };
import enEmail from '#messages/en/email.json' with { type: 'json' };
import enField from '#messages/en/field.json' with { type: 'json' };
import enIntake from '#messages/en/intake.json' with { type: 'json' };
import enLabel from '#messages/en/label.json' with { type: 'json' };
import enStaff from '#messages/en/staff.json' with { type: 'json' };
import viApi from '#messages/vi/api.json' with { type: 'json' };
import viEmail from '#messages/vi/email.json' with { type: 'json' };
import viField from '#messages/vi/field.json' with { type: 'json' };
import viIntake from '#messages/vi/intake.json' with { type: 'json' };
import viLabel from '#messages/vi/label.json' with { type: 'json' };
import viStaff from '#messages/vi/staff.json' with { type: 'json' };

/**
 * The one message catalogue: `messages/<locale>/<namespace>.json`, flat keys that start with their
 * file's namespace, each value an ICU MessageFormat string. Namespaces say who reads them: `api.*`
 * error bodies, `field.*` field errors, `label.*` codes both apps and the e-mails show, `email.*`
 * e-mail fragments, `intake.*` replies to claims by e-mail, `staff.*` staff-only codes — these the
 * server loads here — and `customer.*` / `console.*`, which only the web apps load (they register
 * them, see `registerMessages`). `web/build.ts` gives each app only the namespaces it may show, with
 * ICU messages parsed at build time, so the apps carry FormatJS's formatter but not its parser.
 * The Lambda bundles do the same: the `#messages/…` imports below (package.json "imports") are the
 * source files under tsx and vitest, and in a bundle the files lib/lambda-inputs.ts wrote with
 * each ICU message already parsed, by the same `IntlMessageFormat` constructor `format` calls.
 * How to add a message: docs/i18n.md.
 */
export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
/** Every key of the catalogue, web namespaces included (type only: the server never loads those). */
export type MessageKey =
  | Extract<keyof typeof import('../../messages/vi/api.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/console.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/customer.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/email.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/field.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/intake.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/label.json', { with: { type: 'json' }}), string>
  | Extract<keyof typeof import('../../messages/vi/staff.json', { with: { type: 'json' }}), string>;

/** The rest of the keys under `prefix.`: `KeysUnder<'customer'>` are the customer app's keys. */
export type KeysUnder<P extends string> = MessageKey extends infer K
  ? K extends `${P}.${infer Rest}`
    ? Rest
    : never
  : never;
/** A message as the bundle holds it: ICU source, or (in the web apps and Lambda bundles) its pre-parsed form. */
type Compiled = string | MessageFormatElement[];
type Catalogue = Record<string, Compiled>;
export type MessageValues = Record<string, unknown>;

/**
 * The staff-only namespace (`staff.*`) of each locale on its own, for code that formats from it
 * alone through `formatCodeIn`: the fraud rules write their red-flag sentences with it, so the
 * functions that score a claim bundle this namespace (~7 KB) and not the whole catalogue (~85 KB).
 * The same texts are in the merged catalogue below.
 */
export const STAFF_CATALOGUE: Readonly<Record<Locale, Catalogue>> = { vi: viStaff, en: enStaff };

let catalogues: Record<Locale, Catalogue> | undefined;
/**
 * The catalogue of each locale, merged on first use rather than at import: a module that imports
 * this one (or core/messages.ts) for a type, a code list or a message group, but formats nothing,
 * then bundles none of the namespaces (~90 KB in both languages), as esbuild drops what is unused.
 */
const CATALOGUES = (): Record<Locale, Catalogue> =>
  (catalogues ??= {
    vi: { ...viApi, ...viEmail, ...viField, ...viIntake, ...viLabel, ...viStaff },
    en: { ...enApi, ...enEmail, ...enField, ...enIntake, ...enLabel, ...enStaff },
  });

/**
 * Adds a web app's namespaces (`customer.*`, `console.*`) to the catalogue; the server never
 * loads them. Called once per locale when the app's text module is first imported.
 */
export function registerMessages(locale: Locale, messages: Record<string, unknown>): void {
  Object.assign(CATALOGUES()[locale], messages as Record<string, Compiled>);
}
const formatters = new Map<string, IntlMessageFormat>();
/** ICU's special characters; a message without them is its own text (the web build keeps it a string). */
const PLAIN = /^[^{}'#<]*$/;
export const isPlainMessage = (message: string): boolean => PLAIN.test(message);

export function hasMessage(key: string, locale: Locale = 'vi'): boolean {
  return Object.hasOwn(CATALOGUES()[locale], key);
}

/** The keys the loaded catalogue holds (in a web app: only its namespaces). */
export function messageKeys(locale: Locale = 'vi'): string[] {
  return Object.keys(CATALOGUES()[locale]);
}

/**
 * Formats `key` in `locale` with ICU `values` (plurals, selects, numbers, dates). A key the
 * catalogue lacks comes back as the key itself, which the tests look for on every screen.
 */
export function format(locale: Locale, key: MessageKey | (string & {}), values?: MessageValues): string {
  return formatIn(CATALOGUES()[locale], locale, key, values);
}

/** `format` from one catalogue of `locale`: the merged one, or a namespace on its own. */
function formatIn(catalogue: Catalogue, locale: Locale, key: string, values?: MessageValues): string {
  const message = catalogue[key];
  if (message === undefined) return key;
  if (typeof message === 'string' && PLAIN.test(message)) return message;
  const cacheKey = `${locale}\u0000${key}`;
  let formatter = formatters.get(cacheKey);
  if (!formatter) {
    formatter = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
    formatters.set(cacheKey, formatter);
  }
  try {
    return String(formatter.format(icuValues(values)));
  } catch {
    // A value the caller forgot: show the key (tests catch it) rather than break the screen.
    return key;
  }
}

function icuValues(values: MessageValues | undefined): Record<string, string | number | Date> {
  const out: Record<string, string | number | Date> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    out[k] = typeof v === 'number' || v instanceof Date ? v : v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/** `format` bound to one locale: the `t(key, values)` the screens and e-mails call. */
export function translator(locale: Locale) {
  return (key: MessageKey | (string & {}), values?: MessageValues) => format(locale, key, values);
}

/**
 * Keys sharing a prefix, looked up by a code (`label.status.` + `paid`). The code type keeps call
 * sites honest; the catalogue tests check that every code of each group has a message.
 */
export interface MessageGroup<K extends string = string> {
  readonly prefix: string;
  /** Type only: the codes this group covers. */
  readonly codes?: K;
}

/** The codes a group covers: `CodeOf<typeof STATUS_TEXT>`. */
export type CodeOf<G> = G extends MessageGroup<infer K> ? K : never;

export function group<K extends string>(prefix: string): MessageGroup<K> {
  return { prefix };
}

/** The message for `code` in `group`, or the code itself when there is none (never a blank). */
export function formatCode<K extends string>(
  table: MessageGroup<K>,
  code: K | (string & {}),
  locale: Locale,
  values?: MessageValues,
): string {
  return formatCodeIn(CATALOGUES()[locale], table, code, locale, values);
}

/**
 * `formatCode` from one catalogue of `locale` (`STAFF_CATALOGUE[locale]`): a module that formats
 * only from that namespace bundles only it. The group's prefix must be in that namespace.
 */
export function formatCodeIn<K extends string>(
  catalogue: Catalogue,
  table: MessageGroup<K>,
  code: K | (string & {}),
  locale: Locale,
  values?: MessageValues,
): string {
  const key = `${table.prefix}.${code}`;
  return Object.hasOwn(catalogue, key) ? formatIn(catalogue, locale, key, values) : code;
}
