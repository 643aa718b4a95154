import { format, type KeysUnder } from '../../../lambdas/core/i18n.ts';
import type { Locale } from '../../../lambdas/core/messages.ts';

/** Console strings for straight-through evidence and the post-audit queue: `console.postAudit.*`. */
export type StpKey = KeysUnder<'console.postAudit'>;

export const stpText = (locale: Locale) => (key: StpKey, params?: Record<string, unknown>) =>
  format(locale, `console.postAudit.${key}`, params);
