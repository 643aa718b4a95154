import { format, type KeysUnder } from '../../../lambdas/core/i18n.ts';
import { EMAIL_MISSING_TEXT, type Locale, t } from '../../../lambdas/core/messages.ts';

/** Console strings for the intake records of claims by email: `console.intake.*` in the catalogue. */
export type IntakeKey = KeysUnder<'console.intake'>;

export const intakeText =
  (locale: Locale) =>
  (key: IntakeKey, params: Record<string, string> = {}) =>
    format(locale, `console.intake.${key}`, params);

/** A reason code as people read it: the reply's wording where there is one. */
export const reasonText = (code: string, locale: Locale) => t(EMAIL_MISSING_TEXT, code, locale);
