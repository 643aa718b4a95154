import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The guides show the screens the browser tests photograph (docs/screenshots, written by
 * tests/e2e/helpers/browser.ts `shot`, each screen in both languages): every picture a guide shows
 * exists, and a guide shows the screen in its own language where the tests made one.
 */
const DOCS = path.join(import.meta.dirname, '..', '..', 'docs');
const SHOTS = path.join(DOCS, 'screenshots');
const GUIDE_LANGUAGE: Record<string, 'vi' | 'en'> = {
  'huong-dan-khach-hang.md': 'vi',
  'guide-customer.md': 'en',
  'guide-staff.md': 'en',
  'guide-finance.md': 'en',
  'guide-admin.md': 'en',
};

const picturesOf = (file: string) =>
  [...readFileSync(path.join(DOCS, file), 'utf8').matchAll(/\]\(screenshots\/([^)\s]+\.png)\)/g)].map(
    (m) => m[1]!,
  );

describe('screenshots in the guides', () => {
  it('lists the guides that show screenshots', () => {
    const showing = readdirSync(DOCS).filter((f) => f.endsWith('.md') && picturesOf(f).length > 0);
    expect(showing.sort()).toEqual(Object.keys(GUIDE_LANGUAGE).sort());
  });

  for (const [guide, lang] of Object.entries(GUIDE_LANGUAGE)) {
    it(`${guide} shows existing screens, in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, () => {
      const pictures = picturesOf(guide);
      expect(pictures.length).toBeGreaterThan(0);
      const missing = pictures.filter((p) => !existsSync(path.join(SHOTS, p)));
      expect(missing, 'pictures the browser tests do not make').toEqual([]);
      // `x.png` is the screen as the test saw it; `x.en.png` / `x.vi.png` the same screen in the other
      // language. Showing `x.png` where `x.<lang>.png` exists shows the other language.
      const otherLanguage = pictures.filter(
        (p) =>
          !/\.(vi|en)\.png$/.test(p) && existsSync(path.join(SHOTS, p.replace(/\.png$/, `.${lang}.png`))),
      );
      expect(otherLanguage, `use the .${lang}.png of these`).toEqual([]);
    });
  }
});
