import { DEFAULT_PRODUCTS, type ProductConfig, productByCode } from '../core/products.ts';

/**
 * The product catalogue in force. Today it is the shipped defaults; admin-edited versions stored
 * in the table take precedence once product administration exists.
 */
export async function loadProducts(): Promise<readonly ProductConfig[]> {
  return DEFAULT_PRODUCTS;
}

export async function loadProduct(code: string): Promise<ProductConfig | undefined> {
  return productByCode(await loadProducts(), code);
}
