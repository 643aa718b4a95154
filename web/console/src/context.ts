import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../../shared/api.ts';
import type { RuntimeConfig } from '../../shared/config.ts';
import type { Me, ProductItem } from '../../shared/types.ts';

/** What every signed-in console page needs. */
export interface ConsoleState {
  config: RuntimeConfig;
  api: ApiClient;
  me: Me;
  products: ProductItem[];
}

export const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const ctx = useContext(ConsoleContext);
  if (!ctx) throw new Error('useConsole outside ConsoleContext');
  return ctx;
}

export const productOf = (products: readonly ProductItem[], code: string): ProductItem | undefined =>
  products.find((p) => p.code === code);

/** The one data-loading hook, shared with the customer app. */
export { useLoad } from '../../shared/use-load.ts';
