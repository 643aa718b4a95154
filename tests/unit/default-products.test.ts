import { describe, expect, it } from 'vitest';
import { PRODUCT_CODES } from '../../lambdas/core/product-codes.ts';
import { DEFAULT_PRODUCTS, ProductConfig } from '../../lambdas/core/products.ts';

describe('DEFAULT_PRODUCTS', () => {
  // The configuration read (app/products.ts) asks for one stored version per PRODUCT_CODES entry and
  // falls back to these defaults: every code needs its default, and no default may go unread.
  it('has one default per product code, in the same order', () => {
    expect(DEFAULT_PRODUCTS.map((p) => p.code)).toEqual([...PRODUCT_CODES]);
  });

  it('are valid product configurations', () => {
    for (const p of DEFAULT_PRODUCTS) expect(ProductConfig.parse(p)).toEqual(p);
  });
});
