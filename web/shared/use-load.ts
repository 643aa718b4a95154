import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * The apps' one data-loading hook: loads when its inputs change and keeps the last good value
 * while reloading, so a refresh never blanks the screen (a page that must start afresh for new
 * inputs is keyed on them, as the customer app's claim route is). An answer is shown as soon as it
 * arrives unless a later request's answer is already shown, so a slow old answer never replaces a
 * newer one and what `reload` resolves with (the fresh value, or null on failure) is on screen by
 * then. `setData` puts in a value a write answered with.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const started = useRef(0);
  const shown = useRef(0);
  const reload = useCallback(async (): Promise<T | null> => {
    const n = ++started.current;
    setLoading(true);
    try {
      const value = await load();
      if (n > shown.current) {
        shown.current = n;
        setData(value);
        setError(null);
      }
      return value;
    } catch (err) {
      if (n > shown.current) setError(err);
      return null;
    } finally {
      if (n === started.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
