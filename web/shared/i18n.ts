import {
  format,
  formatCode,
  group,
  hasMessage,
  type KeysUnder,
  type MessageGroup,
  registerMessages,
} from '../../lambdas/core/i18n.ts';
import type { Locale } from '../../lambdas/core/messages.ts';
import en from '../../messages/en/customer.json' with { type: 'json' };
import vi from '../../messages/vi/customer.json' with { type: 'json' };

registerMessages('vi', vi);
registerMessages('en', en);

const loading = new Map<Locale, Promise<void>>();

/** Whether `locale`'s messages are here (in the bundle, or their chunk already fetched). */
export const localeLoaded = (locale: Locale): boolean => hasMessage('customer.language', locale);

/**
 * Makes `locale`'s messages available: at once when the bundle carries them, else (a locale the
 * build deferred, web/catalogue-plugin.ts) after fetching its chunk, once. Rejects when the chunk
 * cannot be fetched (offline before the service worker cached it); a later call tries again.
 */
export function loadLocale(locale: Locale): Promise<void> {
  if (localeLoaded(locale)) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    pending = (locale === 'en' ? import('./catalogues/en.ts') : import('./catalogues/vi.ts')).then(
      ({ default: messages }) => registerMessages(locale, messages),
      (err: unknown) => {
        loading.delete(locale);
        throw err;
      },
    );
    loading.set(locale, pending);
  }
  return pending;
}

/**
 * The screens' strings: `customer.*` in the one catalogue (`messages/<locale>/<namespace>.json`), which the
 * console reuses for what both apps show (language, sign out, loading…). Codes from the API
 * (errors, statuses, events, documents, causes, checks) are groups in `lambdas/core/messages.ts`.
 * How to add a message: docs/i18n.md.
 */
export type UiKey = KeysUnder<'customer'>;

export function ui(key: UiKey, locale: Locale, params?: Record<string, unknown>): string {
  return format(locale, `customer.${key}`, params);
}

/** Who acted, as the customer timeline reports it: `system`, `customer`, or a staff role. */
export const ACTOR_TEXT = group('label.actor');

export const NEXT_STEP_TEXT = group('customer.nextStep');

/** A deadline's legal basis written the way `locale` writes law (lambdas/core/legal.ts). */
export { formatLegalReference } from '../../lambdas/core/legal.ts';

/**
 * Reasons the upload verifier gives for rejecting a file. Most are error codes in the shared
 * catalogue; `TYPE_MISMATCH` and `NO_UPLOAD_INTENT` are verifier-only and live here.
 */
export const REJECTION_TEXT = group('label.rejection');

export const LINE_TEXT = group('label.line');

export const SEVERITY_BAND_TEXT = group('label.severityBand');

/** Looks a code up in a group, falling back to the code itself (never a blank). */
export function lookup(table: MessageGroup, key: string, locale: Locale): string {
  return formatCode(table, key, locale);
}
