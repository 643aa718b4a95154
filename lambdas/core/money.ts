import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';

/**
 * Money is an integer number of the currency's smallest unit. VND has no minor unit, so
 * `{ amount: 1500000, currency: 'VND' }` is one million five hundred thousand đồng. Never a float.
 */
export const CURRENCIES = ['VND'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Largest amount we accept anywhere: well inside Number.MAX_SAFE_INTEGER. */
export const MAX_AMOUNT = 1_000_000_000_000_000;

/** zod/mini (as lambdas/core/requests.ts, where it is part of the loss report the web apps check). */
export const Money = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    amount: z.int().check(z.gte(0), z.lte(MAX_AMOUNT)),
    currency: z._default(z.enum(CURRENCIES), 'VND'),
  }),
);
export type Money = z.infer<typeof Money>;

export const vnd = (amount: number): Money => ({ amount: Math.round(amount), currency: 'VND' });

/** Formats for people, e.g. `1.500.000 ₫` (vi) or `VND 1,500,000` (en). */
export function formatMoney(m: Money, locale: 'vi' | 'en' = 'vi'): string {
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', {
    style: 'currency',
    currency: m.currency,
    maximumFractionDigits: 0,
  }).format(m.amount);
}
