import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
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

/**
 * Loads something when its inputs change and keeps the last good value while reloading, so a
 * refresh never blanks the screen. `reload` resolves with the fresh value (or null on failure).
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const reload = useCallback(async (): Promise<T | null> => {
    const n = ++latest.current;
    setLoading(true);
    try {
      const value = await load();
      if (n === latest.current) {
        setData(value);
        setError(null);
      }
      return value;
    } catch (err) {
      if (n === latest.current) setError(err);
      return null;
    } finally {
      if (n === latest.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
