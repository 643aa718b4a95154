import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../../shared/api.ts';
import type { RuntimeConfig } from '../../shared/config.ts';
import type { Me, ProductItem } from '../../shared/types.ts';

/** What every signed-in page needs: the API, who is signed in, and the product catalogue. */
export interface AppState {
  config: RuntimeConfig;
  api: ApiClient;
  me: Me | null;
  products: ProductItem[];
  /** Number of the claim just submitted, for a one-off "we received it" notice on its page. */
  submittedClaim: string | null;
  setSubmittedClaim: (claimNumber: string | null) => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}

export const productOf = (products: readonly ProductItem[], code: string): ProductItem | undefined =>
  products.find((p) => p.code === code);
