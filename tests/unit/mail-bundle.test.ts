import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { type ParsedEmail, parseEmail } from '../../lambdas/adapters/mail-parser.ts';
import lazyLinkify from '../../lambdas/runtime/lazy-linkify.ts';
import { REPO_ROOT } from '../../lib/config.ts';
import { bundleOne } from '../bench/bundles.ts';
import { runInFreshNode } from '../helpers/bundle-runs.ts';

/**
 * The mail parser as the Lambda bundle runs it: lib/bundling.ts swaps modules in the bundles only
 * (one libmime build for mailparser's import and mailsplit's require; the link finder built on first
 * use, lambdas/runtime/lazy-linkify.ts), so the bundled parser must
 * read every message as the source does — the fixtures, and legacy charsets that go through each
 * decoding path (iconv-lite's single- and double-byte tables, encoding-japanese, format=flowed).
 */
let dir: string;
let bundle: string;
let inputs: string[];

/** ISO-2022-JP from EUC-JP (iconv-lite encodes the latter only): JIS X 0208 codes are EUC-JP's minus 0x80. */
const iso2022jp = (text: string) =>
  Buffer.concat([
    Buffer.from('\x1b$B', 'latin1'),
    Buffer.from([...iconv.encode(text, 'euc-jp')].map((b) => b & 0x7f)),
    Buffer.from('\x1b(B', 'latin1'),
  ]);
/**
 * Vietnamese as windows-1258 writes it: the letters with circumflex, breve and horn precomposed,
 * the tone marks as combining characters (iconv-lite encodes code points, it does not decompose).
 */
const cp1258 = (text: string) =>
  iconv.encode(
    text
      .normalize('NFD')
      .replace(
        /([A-Za-z])([\u0300\u0301\u0303\u0309\u0323]*)([\u0302\u0306\u031B])/g,
        (_, base, tones, mark) => `${`${base}${mark}`.normalize('NFC')}${tones}`,
      ),
    'windows-1258',
  );
const crlf = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
const message = (headers: string[], body: Buffer) => Buffer.concat([crlf([...headers, '']), body]);
const qp = (bytes: Buffer) =>
  [...bytes]
    .map((b) =>
      b >= 33 && b <= 126 && b !== 61
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Messages in the charsets a Vietnamese insurer's inbox still sees, each through a different decoder. */
const LEGACY: Record<string, Buffer> = {
  'windows-1258': message(
    [
      'From: Khach Hang <khach@example.vn>',
      `Subject: =?windows-1258?Q?${qp(cp1258('Bồi thường xe máy'))}?=`,
      'Message-ID: <cp1258@example.vn>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=windows-1258',
      'Content-Transfer-Encoding: quoted-printable',
    ],
    Buffer.from(`${qp(cp1258('Xe tôi bị va chạm ở Hà Nội ngày 2/12. Giá sửa 12.500.000 ₫'))}\r\n`),
  ),
  'iso-2022-jp': message(
    [
      'From: tanaka@example.jp',
      'Subject: =?ISO-2022-JP?B?' + iso2022jp('事故の報告').toString('base64') + '?=',
      'Message-ID: <jis@example.jp>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-2022-JP',
      'Content-Transfer-Encoding: 7bit',
    ],
    Buffer.concat([iso2022jp('車が壊れました。'), Buffer.from('\r\n')]),
  ),
  shift_jis: message(
    [
      'From: sato@example.jp',
      'Subject: claim',
      'Message-ID: <sjis@example.jp>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=Shift_JIS',
      'Content-Transfer-Encoding: base64',
    ],
    Buffer.from(
      `${iconv.encode('保険金の請求です。写真を添付します。', 'shift_jis').toString('base64')}\r\n`,
    ),
  ),
  flowed: message(
    [
      'From: an@example.vn',
      'Subject: flowed',
      'Message-ID: <flowed@example.vn>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      'Content-Transfer-Encoding: 8bit',
    ],
    Buffer.from(
      'Một dòng rất dài được gói lại bởi ứng dụng thư \r\nvà phải nối lại thành một dòng.\r\n',
      'utf8',
    ),
  ),
};

/** A parsed message as JSON, each attachment's bytes as a digest. */
const comparable = (m: ParsedEmail) => ({
  ...m,
  attachments: m.attachments.map((a) => ({
    ...a,
    content: createHash('sha256').update(a.content).digest('hex'),
  })),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claims-mail-bundle-'));
  ({ outfile: bundle, inputs } = await bundleOne(dir, 'mail-parser', 'lambdas/adapters/mail-parser.ts'));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the mail parser in a Lambda bundle', () => {
  it('carries one copy of libmime, its CommonJS build', () => {
    const libmime = inputs.filter((p) => p.includes('node_modules/libmime/'));
    expect(libmime).toContain('node_modules/libmime/dist/cjs/libmime.js');
    expect(libmime.filter((p) => !p.includes('/dist/cjs/'))).toEqual([]);
  });

  it('reads every fixture and every legacy charset exactly as the source does', async () => {
    const fixtures = path.join(REPO_ROOT, 'tests/fixtures/email');
    const inputs: Record<string, Buffer> = { ...LEGACY };
    for (const f of await readdir(fixtures)) inputs[f] = await readFile(path.join(fixtures, f));
    for (const [name, raw] of Object.entries(inputs)) await writeFile(path.join(dir, `${name}.eml`), raw);

    const script = [
      "import { readFile } from 'node:fs/promises';",
      "import { createHash } from 'node:crypto';",
      `const { parseEmail } = await import(${JSON.stringify(`file://${bundle}`)});`,
      'const out = {};',
      `for (const name of ${JSON.stringify(Object.keys(inputs))}) {`,
      '  try {',
      "    const m = await parseEmail(await readFile(name + '.eml'));",
      "    out[name] = { ...m, attachments: m.attachments.map((a) => ({ ...a, content: createHash('sha256').update(a.content).digest('hex') })) };",
      '  } catch (e) { out[name] = { error: e.name, message: e.message }; }',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const bundled = (await runInFreshNode(dir, script)) as Record<string, unknown>;

    for (const [name, raw] of Object.entries(inputs)) {
      let fromSource: unknown;
      try {
        fromSource = comparable(await parseEmail(raw));
      } catch (e) {
        fromSource = { error: (e as Error).name, message: (e as Error).message };
      }
      expect(bundled[name], name).toEqual(JSON.parse(JSON.stringify(fromSource)));
    }
    // The legacy charsets are really decoded (not replaced by U+FFFD), by both.
    const vietnamese = bundled['windows-1258'] as ParsedEmail;
    expect(vietnamese.subject.normalize('NFC')).toBe('Bồi thường xe máy');
    expect(vietnamese.text.normalize('NFC')).toContain('va chạm ở Hà Nội ngày 2/12. Giá sửa 12.500.000 ₫');
    expect(bundled['iso-2022-jp']).toMatchObject({ subject: '事故の報告' });
    expect((bundled['iso-2022-jp'] as ParsedEmail).text).toContain('車が壊れました。');
    expect((bundled.shift_jis as ParsedEmail).text).toContain('保険金の請求です。');
    expect((bundled.flowed as ParsedEmail).text).toContain('ứng dụng thư và phải');
  });

  it("finds links in text mail as the library does, with mailparser's link finder built on first use", async () => {
    const withLinks = message(
      [
        'From: an@example.vn',
        'Subject: links',
        'Message-ID: <links@example.vn>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
      ],
      Buffer.from(
        [
          'Ảnh ở https://example.vn/anh?x=1 và www.baohiem.com.vn, hỏi lai@example.vn.',
          'Mã nguồn git://example.org/repo.git, dịch vụ abcdefghijklmnop.onion, ftp://bo.qua/tep',
          'Hỏi @baohiem_vn hoặc 10.0.0.1:8080/duong-dan, www.vi-du.xyz và http://[::1]/',
          '',
        ].join('\r\n'),
        'utf8',
      ),
    );
    const parser = await bundleOne(dir, 'mailparser', 'tests/fixtures/bundles/mailparser.ts');
    await writeFile(path.join(dir, 'links.eml'), withLinks);
    const script = [
      "import { readFile } from 'node:fs/promises';",
      `const { simpleParser } = await import(${JSON.stringify(`file://${parser.outfile}`)});`,
      "const m = await simpleParser(await readFile('links.eml'), { skipTextLinks: false });",
      'console.log(JSON.stringify(m.textAsHtml));',
    ].join('\n');
    const fromSource = (await simpleParser(withLinks, { skipTextLinks: false })).textAsHtml;
    expect(await runInFreshNode(dir, script)).toBe(fromSource);
    for (const link of [
      'href="https://example.vn/anh?x=1"',
      'href="http://www.baohiem.com.vn"',
      'href="mailto:lai@example.vn"',
      'href="git://example.org/repo.git"',
      'href="http://abcdefghijklmnop.onion"',
      'href="https://twitter.com/baohiem_vn"',
    ])
      expect(fromSource).toContain(link);
    expect(fromSource).not.toContain('href="ftp:');
    expect(parser.inputs).toContain('lambdas/runtime/lazy-linkify.ts');
  });
});

describe('the lazy link finder', () => {
  it('builds nothing until it reads text, then replays its configuration in order', () => {
    let built = 0;
    // linkify-it reads its schemas when it is built; a proxy counts that.
    const schemas = new Proxy({} as Record<string, unknown>, {
      ownKeys: (target) => {
        built += 1;
        return Reflect.ownKeys(target);
      },
    });
    const linkify = lazyLinkify(schemas);
    expect(linkify.tlds(['vn'], true)).toBe(linkify);
    linkify.add('ftp:', null);
    linkify.set({ fuzzyEmail: false });
    expect(built).toBe(0);

    expect(linkify.test('xem ftp://a.vn và hoa.vn, mail a@b.vn')).toBe(true);
    expect(built).toBeGreaterThan(0);
    const links = (linkify.match('xem ftp://a.vn và hoa.vn, mail a@b.vn') as { url: string }[]).map(
      (m) => m.url,
    );
    // `.vn` kept beside the defaults, ftp: removed, fuzzy e-mail off: only the bare domain.
    expect(links).toEqual(['http://hoa.vn']);
    // Configured after it was built: goes straight to the instance.
    linkify.set({ fuzzyLink: false });
    expect(linkify.test('hoa.vn')).toBe(false);
  });
});
