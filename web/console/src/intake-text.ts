import { format, group, type KeysUnder } from '../../../lambdas/core/i18n.ts';
import type { HeldReason } from '../../../lambdas/core/inbound-email.ts';
import { EMAIL_MISSING_TEXT, type Locale, t } from '../../../lambdas/core/messages.ts';

/** Console strings for the intake records of claims by email: `console.intake.*` in the catalogue. */
export type IntakeKey = KeysUnder<'console.intake'>;

export const intakeText =
  (locale: Locale) =>
  (key: IntakeKey, params: Record<string, string> = {}) =>
    format(locale, `console.intake.${key}`, params);

/** Why a message was held other than for something missing (core/inbound-email.ts HELD_REASONS). */
export const HELD_TEXT = group<HeldReason>('console.intake.reason');

/** A reason code as people read it: why it was held, or the reply's wording for what is missing. */
export function reasonText(code: string, locale: Locale): string {
  const held = t(HELD_TEXT, code, locale);
  return held === code ? t(EMAIL_MISSING_TEXT, code, locale) : held;
}
