import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { Locale } from '../../lambdas/core/messages.ts';
import { loadLocale, localeLoaded, type UiKey, ui } from './i18n.ts';

/**
 * The language a person chose in this browser (the VI | EN switch) wins; otherwise their profile's
 * language once it is known (signed in); Vietnamese before that.
 */
const STORAGE_KEY = 'vnclaims.locale';

function chosenLocale(): Locale | undefined {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'vi' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function storedLocale(): Locale {
  return chosenLocale() ?? 'vi';
}

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
  /** A UI string in the current language. */
  tr: (key: UiKey, params?: Record<string, unknown>) => string;
  /** The signed-in person's profile language, used unless they chose one in this browser. */
  adoptProfileLocale: (l: Locale) => void;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ComponentChildren }) {
  // The stored choice, unless its messages could not be fetched (main.tsx tries before rendering).
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = storedLocale();
    return localeLoaded(l) ? l : 'vi';
  });
  // A language whose messages are not in the bundle is switched to once they have arrived.
  const setLocale = useCallback((l: Locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    loadLocale(l).then(
      () => {
        // At once, not only in the effect below: screen readers (and tests) should never find the
        // new language's text under the old `lang`.
        document.documentElement.lang = l;
        setLocaleState(l);
      },
      () => undefined,
    );
  }, []);
  const adoptProfileLocale = useCallback((l: Locale) => {
    if (chosenLocale() === undefined)
      loadLocale(l).then(
        () => {
          // As in setLocale: the page's language changes with its text, not an effect later.
          document.documentElement.lang = l;
          setLocaleState(l);
        },
        () => undefined,
      );
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<LocaleState>(
    () => ({ locale, setLocale, tr: (key, params) => ui(key, locale, params), adoptProfileLocale }),
    [locale, setLocale, adoptProfileLocale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const ctx = useContext(LocaleContext);
  if (!ctx) throw new Error('useLocale outside LocaleProvider');
  return ctx;
}

/** The VI | EN switch; `aria-pressed` tells screen readers which one is on. */
export function LanguageSwitch() {
  const { locale, setLocale, tr } = useLocale();
  return (
    <fieldset class="lang-switch">
      <legend class="visually-hidden">{tr('language')}</legend>
      {(['vi', 'en'] as const).map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          class={l === locale ? 'is-active' : undefined}
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          {l === 'vi' ? 'VI' : 'EN'}
        </button>
      ))}
    </fieldset>
  );
}
