import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOCALES, type Locale } from '../../lambdas/core/i18n.ts';
import { buildApp } from '../../web/build.ts';

/**
 * The customer app's JavaScript as a phone downloads it, gzip -9 (what CloudFront's compression
 * roughly sends), in bytes. Issue 11: at most 60 KB (60,000 bytes) for everything the app loads to
 * show the sign-in, the claim list, a new claim and a claim page in one language:
 *
 * - `initial`: the entry bundle and the chunks it imports statically;
 * - `byLocale`: initial plus that language's message chunk (web/catalogue-plugin.ts defers both
 *   languages, main.tsx loads the one to show before the first screen) — the budget applies to each;
 * - `all`: every script built, both languages included (what a person who switches language gets).
 */
export const CUSTOMER_JS_BUDGET = 60_000;

export interface WebFigures {
  initial: number;
  byLocale: Record<Locale, number>;
  all: number;
  files: { file: string; gzip: number }[];
}

export async function customerJsFigures(): Promise<WebFigures> {
  const built = await buildApp('customer');
  const gzip = new Map<string, number>();
  for (const s of built.scripts) {
    const bytes = await readFile(path.join(built.outDir, s.file));
    gzip.set(s.file, gzipSync(bytes, { level: 9 }).length);
  }
  const byFile = new Map(built.scripts.map((s) => [s.file, s]));
  /** `roots` and whatever they import statically, each file once. */
  const closure = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const i of byFile.get(f)?.imports ?? []) if (!i.dynamic) visit(i.file);
    };
    for (const r of roots) visit(r);
    return seen;
  };
  const size = (files: Set<string>) => [...files].reduce((n, f) => n + (gzip.get(f) ?? 0), 0);
  const initial = closure([built.js]);
  const byLocale = {} as Record<Locale, number>;
  for (const locale of LOCALES) {
    const chunk = built.scripts.find((s) => path.posix.basename(s.file).startsWith(`${locale}-`));
    if (!chunk) throw new Error(`customer app: no message chunk for ${locale} (web/catalogue-plugin.ts)`);
    byLocale[locale] = size(closure([built.js, chunk.file]));
  }
  return {
    initial: size(initial),
    byLocale,
    all: size(new Set(built.scripts.map((s) => s.file))),
    files: [...gzip].map(([file, n]) => ({ file, gzip: n })).sort((a, b) => b.gzip - a.gzip),
  };
}

/** Problems with the customer app's size, one line each (none: within budget). */
export function overWebBudget(f: WebFigures): string[] {
  return Object.entries(f.byLocale)
    .filter(([, n]) => n > CUSTOMER_JS_BUDGET)
    .map(
      ([locale, n]) =>
        `customer app (${locale}): ${n} bytes gzip of JavaScript, over its ${CUSTOMER_JS_BUDGET}-byte budget (tests/bench/web-bundles.ts)`,
    );
}

export const kb = (bytes: number) => (bytes / 1000).toFixed(1);
