import { useCallback } from 'preact/hooks';
import { format, group, type KeysUnder } from '../../../../../lambdas/core/i18n.ts';
import { useLocale } from '../../../../shared/locale.tsx';

/** Strings of the finance page: `console.finance.*` in the catalogue (API codes: lambdas/core/messages.ts). */
export type FinanceKey = KeysUnder<'console.finance'>;

/** Batch statuses, line outcomes and reasons. */
export const FINANCE_CODE_TEXT = group('console.financeCode');

export function useFinanceText() {
  const { locale, tr } = useLocale();
  const f = useCallback(
    (key: FinanceKey, params?: Record<string, unknown>) => format(locale, `console.finance.${key}`, params),
    [locale],
  );
  return { locale, tr, f };
}

export const financeNavLabel = (locale: 'vi' | 'en') => format(locale, 'console.finance.navFinance');
