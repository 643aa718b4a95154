import { useCallback } from 'preact/hooks';
import { format, group, type KeysUnder, registerMessages } from '../../../lambdas/core/i18n.ts';
import type { Locale } from '../../../lambdas/core/messages.ts';
import en from '../../../messages/en/console.json' with { type: 'json' };
import vi from '../../../messages/vi/console.json' with { type: 'json' };
import { useLocale } from '../../shared/locale.tsx';

registerMessages('vi', vi);
registerMessages('en', en);

/**
 * The console's strings: `console.*` in the one catalogue (`messages/<locale>/<namespace>.json`). Codes from
 * the API come from the groups in `lambdas/core/messages.ts`; labels both apps use (language, sign
 * out, loading…) from `customer.*` through `web/shared/i18n.ts`. How to add one: docs/i18n.md.
 */
export type ConsoleKey = KeysUnder<'console'>;

export function cui(key: ConsoleKey, locale: Locale, params?: Record<string, unknown>): string {
  return format(locale, `console.${key}`, params);
}

/** The current locale with both the shared (`tr`) and the console's (`c`) strings. */
export function useText() {
  const { locale, setLocale, tr } = useLocale();
  const c = useCallback(
    (key: ConsoleKey, params?: Record<string, unknown>) => cui(key, locale, params),
    [locale],
  );
  return { locale, setLocale, tr, c };
}

/** Staff roles as people say them (the shared ACTOR_TEXT speaks to customers). */
export const ROLE_TEXT = group('label.role');

export const DEPARTMENT_TEXT = group('label.department');

export const DEADLINE_KIND_TEXT = group('label.deadlineKind');

/** Why a claim could not be settled straight through (`StraightThroughReason`). */
export const STP_REASON_TEXT = group('staff.stpReason');
