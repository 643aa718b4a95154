import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CHECK_CODES, CLAIM_STATUSES } from '../../lambdas/core/claim.ts';
import { ERROR_STATUS } from '../../lambdas/core/errors.ts';
import { EVENT_TYPES } from '../../lambdas/core/events.ts';
import { RED_FLAG_CODES } from '../../lambdas/core/fraud/red-flags.ts';
import { format, hasMessage, type MessageGroup } from '../../lambdas/core/i18n.ts';
import {
  CAUSE_TEXT,
  CHECK_SHORT_TEXT,
  CHECK_TEXT,
  INDICATOR_TEXT,
  TEMPLATE_TEXT,
  DOCUMENT_TEXT,
  ERROR_TEXT,
  EVENT_TEXT,
  RED_FLAG_TEXT,
  STATUS_TEXT,
} from '../../lambdas/core/messages.ts';
import { AUTOMATED_REASONS, HELD_REASONS } from '../../lambdas/core/inbound-email.ts';
import { formatLegalReference, parseLegalReference } from '../../lambdas/core/legal.ts';
import { CAUSES, DEFAULT_PRODUCTS, DOCUMENT_TYPES } from '../../lambdas/core/products.ts';
import { TEMPLATE_NAMES } from '../../lambdas/core/templates.ts';
import { APP_LEFT_OUT, APP_NAMESPACES, compileCatalogue } from '../../web/catalogue-plugin.ts';
import { HELD_TEXT } from '../../web/console/src/intake-text.ts';
import { ui } from '../../web/shared/i18n.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** One locale's whole catalogue, every namespace file merged. */
function read(locale: string): Record<string, string> {
  const dir = path.join(ROOT, 'messages', locale);
  const all: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    const part = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
    const namespace = file.replace(/\.json$/, '');
    for (const [key, message] of Object.entries(part)) {
      // A key lives in its namespace's file: the server loads only its own files.
      if (!key.startsWith(`${namespace}.`)) throw new Error(`${locale}/${file}: ${key} belongs elsewhere`);
      all[key] = message;
    }
  }
  return all;
}
const vi = read('vi');
const en = read('en');

/** Every argument a message uses, however deep (plural branches, select options, tags). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.type === TYPE.tag) {
      argumentsOf(el.children, into);
      continue;
    }
    into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
  }
  return into;
}

const args = (message: string) => [...argumentsOf(parse(message, { ignoreTag: true }))].sort();

describe('the message catalogue', () => {
  it('has the same keys in Vietnamese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('gives each key the same ICU arguments in both languages, and every message parses', () => {
    const mismatched = Object.keys(vi).filter(
      (key) => JSON.stringify(args(vi[key] ?? '')) !== JSON.stringify(args(en[key] ?? '')),
    );
    expect(mismatched).toEqual([]);
  });

  it('keys are namespaced and no key is also the prefix of others', () => {
    const keys = Object.keys(vi);
    for (const key of keys) expect(key).toMatch(/^[a-z]+\.[A-Za-z0-9_.]+$/);
    expect(keys.filter((k) => keys.some((o) => o.startsWith(`${k}.`)))).toEqual([]);
  });

  it('has a message for every code of every group the API and the screens look up', () => {
    const groups: [MessageGroup, readonly string[]][] = [
      [ERROR_TEXT, Object.keys(ERROR_STATUS)],
      [STATUS_TEXT, CLAIM_STATUSES],
      [EVENT_TEXT, EVENT_TYPES],
      [DOCUMENT_TEXT, DOCUMENT_TYPES],
      [CAUSE_TEXT, CAUSES],
      [CHECK_TEXT, CHECK_CODES],
      [CHECK_SHORT_TEXT, CHECK_CODES],
      [TEMPLATE_TEXT, TEMPLATE_NAMES],
      [RED_FLAG_TEXT, RED_FLAG_CODES],
      [INDICATOR_TEXT, RED_FLAG_CODES],
    ];
    const missing = groups.flatMap(([g, codes]) =>
      codes.map((c) => `${g.prefix}.${c}`).filter((k) => !hasMessage(k, 'vi') || !hasMessage(k, 'en')),
    );
    expect(missing).toEqual([]);
  });

  it('the console has words, in both languages, for every reason a claim e-mail is held or ignored for', () => {
    const missing = [...HELD_REASONS, ...AUTOMATED_REASONS]
      .map((r) => `${HELD_TEXT.prefix}.${r}`)
      .filter((k) => !vi[k] || !en[k]);
    expect(missing).toEqual([]);
    expect(HELD_REASONS).toContain('VERDICT_DMARC');
  });

  it('formats plurals, and a missing key comes back as the key', () => {
    // customer.* is registered by the web apps' text module, as in the browser.
    expect(ui('missingCount', 'en', { count: 1 })).toBe('1 document missing');
    expect(ui('missingCount', 'en', { count: 3 })).toBe('3 documents missing');
    expect(ui('missingCount', 'vi', { count: 3 })).toBe('Thiếu 3 giấy tờ');
    expect(format('vi', 'label.noSuchKey')).toBe('label.noSuchKey');
    expect(hasMessage('console.appName')).toBe(false); // the server does not load the console's texts
  });

  it('every key is used somewhere in the sources', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = path.join(dir, e);
        if (e === 'dist' || e === 'node_modules') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e)) files.push(p);
      }
    };
    walk(path.join(ROOT, 'lambdas'));
    walk(path.join(ROOT, 'web'));
    const src = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const literals = new Set([...src.matchAll(/['"`]([A-Za-z0-9_.]+)['"`]/g)].map((m) => m[1]));
    // Groups looked up by a code: `group('label.status')`.
    const groups = [...src.matchAll(/group(?:<[^>]*>)?\(\s*'([a-zA-Z.]+)'\)/g)].map((m) => m[1] ?? '');
    // Families looked up by a computed name: `c(\`view_${view}\`)`.
    const families = [...src.matchAll(/`([A-Za-z0-9_.]{3,})\$\{/g)].map((m) => m[1] ?? '');
    // Wrappers bound to a namespace take the rest of the key: `tr('appName')`, `siuText(l)('start')`.
    const bound = [
      'console.siu',
      'console.postAudit',
      'console.intake',
      'console.finance',
      'console',
      'customer',
    ];
    // …and whole keys by one: `label.legal.${kind}` (not the wrappers' `console.${key}` themselves).
    const keyFamilies = families.filter(
      (f) => /^[a-z]+\.[A-Za-z0-9_.]+$/.test(f) && !bound.includes(f.slice(0, -1)),
    );
    const unused = Object.keys(vi).filter((key) => {
      if (literals.has(key) || groups.some((g) => key.startsWith(`${g}.`))) return false;
      if (keyFamilies.some((f) => key.startsWith(f))) return false;
      const ns = bound.find((b) => key.startsWith(`${b}.`));
      if (!ns) return true;
      const rest = key.slice(ns.length + 1);
      return !literals.has(rest) && !families.some((f) => rest.startsWith(f));
    });
    expect(unused).toEqual([]);
  });
});

describe('what each web app ships', () => {
  it('the customer app gets no console, staff-only or e-mail texts', () => {
    const shipped = Object.keys(compileCatalogue(vi, APP_NAMESPACES.customer ?? [], APP_LEFT_OUT.customer));
    expect(shipped.length).toBeGreaterThan(300);
    expect(shipped.filter((k) => /^(console|staff|intake|email|label\.template)\./.test(k))).toEqual([]);
    expect(shipped).toContain('customer.appName');
    expect(shipped).toContain('label.status.PAID');
  });

  it('ICU messages arrive parsed, plain ones as text', () => {
    const compiled = compileCatalogue(en, ['customer']);
    expect(compiled['customer.appName']).toBe('Online claims');
    expect(Array.isArray(compiled['customer.missingCount'])).toBe(true);
  });
});

describe('legal references', () => {
  it('are written the Vietnamese way in Vietnamese and the English way in English', () => {
    expect(formatLegalReference('Decree 67/2023/ND-CP Art. 12', 'vi')).toBe(
      'Điều 12 Nghị định 67/2023/NĐ-CP',
    );
    expect(formatLegalReference('Decree 67/2023/ND-CP Art. 12', 'en')).toBe('Decree 67/2023/ND-CP, Art. 12');
    expect(formatLegalReference('Law on Insurance Business 08/2022/QH15 Art. 31', 'vi')).toBe(
      'Điều 31 Luật Kinh doanh bảo hiểm số 08/2022/QH15',
    );
    expect(formatLegalReference({ kind: 'decree', number: 67, year: 2023, article: 14 }, 'en')).toBe(
      'Decree 67/2023/ND-CP, Art. 14',
    );
    expect(formatLegalReference('Service standard', 'vi')).toBe('Cam kết chất lượng dịch vụ');
    expect(formatLegalReference('Company rule 5', 'vi')).toBe('Company rule 5');
  });

  it('reads a basis an administrator wrote the Vietnamese way, and shows it in English to English readers', () => {
    expect(formatLegalReference('Điều 12 Nghị định 67/2023/NĐ-CP', 'en')).toBe(
      'Decree 67/2023/ND-CP, Art. 12',
    );
    expect(formatLegalReference('Điều 12 Nghị định số 67/2023/ND-CP', 'vi')).toBe(
      'Điều 12 Nghị định 67/2023/NĐ-CP',
    );
    expect(formatLegalReference('điều 31 Luật Kinh doanh bảo hiểm số 08/2022/QH15', 'en')).toBe(
      formatLegalReference('Law on Insurance Business 08/2022/QH15 Art. 31', 'en'),
    );
    // Decomposed Vietnamese (as some keyboards type it) reads the same.
    expect(parseLegalReference('Điều 12 Nghị định 67/2023/NĐ-CP'.normalize('NFD'))).toEqual({
      kind: 'decree',
      number: 67,
      year: 2023,
      article: 12,
    });
  });

  it('every basis the shipped products give is one the formatter knows', () => {
    const bases = JSON.stringify(DEFAULT_PRODUCTS).match(/"basis":"[^"]*"/g) ?? [];
    expect(bases.length).toBeGreaterThan(0);
    for (const b of bases) expect(parseLegalReference(b.slice(9, -1)), b).toBeDefined();
  });
});
