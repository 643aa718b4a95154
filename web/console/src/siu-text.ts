import { format, type KeysUnder } from '../../../lambdas/core/i18n.ts';
import type { Locale } from '../../../lambdas/core/messages.ts';

/** Console strings for the SIU queue and the claim's indicator network: `console.siu.*` in the catalogue. */
export type SiuKey = KeysUnder<'console.siu'>;

export const siuText = (locale: Locale) => (key: SiuKey, params?: Record<string, unknown>) =>
  format(locale, `console.siu.${key}`, params);
