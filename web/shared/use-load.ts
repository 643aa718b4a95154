import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * The apps' one data-loading hook: loads when its inputs change and keeps the last good value
 * while reloading, so a refresh never blanks the screen (a page that must start afresh for new
 * inputs is keyed on them, as the customer app's claim route is). Only the newest request's answer
 * is kept. `reload` resolves with the fresh value (or null on failure); `setData` puts in a value a
 * write answered with.
 */
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
