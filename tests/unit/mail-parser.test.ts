import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentIdentity,
  MalformedEmailError,
  type ParsedEmail,
  parseEmail,
} from '../../lambdas/adapters/mail-parser.ts';
import { REPO_ROOT } from '../../lib/config.ts';
import { bundleOne } from '../bench/bundles.ts';
import { runInFreshNode } from '../helpers/bundle-runs.ts';

/**
 * The intake's mail parser (lambdas/adapters/mail-parser.ts, postal-mime): the charsets a
 * Vietnamese insurer's inbox still sees, HTML-only mail, what it cannot read, and the same results
 * from the Lambda bundle as from the source (the adapter imports postal-mime's HTML-to-text module by
 * path, so the bundle must still carry one copy of the library).
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

/** Messages the intake meets besides the fixtures: HTML only, forwarded, unreadable, 8-bit headers. */
const OTHERS: Record<string, Buffer> = {
  'html-only': message(
    [
      'From: "Nguyễn Văn A" <A.Nguyen@Example.vn>',
      `Subject: =?UTF-8?B?${Buffer.from('Yêu cầu bồi thường').toString('base64')}?=`,
      'Message-ID: <html-only@example.vn>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
    ],
    Buffer.from(
      '<html><head><style>p{color:red}</style></head><body><p>Xe t&ocirc;i bị <b>va chạm</b> ngày 2/12.</p>' +
        '<p>Biển số: 29A-123.45<br>Số tiền: 12.500.000&nbsp;₫</p><script>alert(1)</script></body></html>\r\n',
      'utf8',
    ),
  ),
  forwarded: message(
    [
      'From: fw@example.vn',
      'Subject: Fwd: tai nan',
      'Message-ID: <fwd@example.vn>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary=B',
    ],
    crlf([
      '--B',
      'Content-Type: text/plain',
      '',
      'see below',
      '--B',
      'Content-Type: message/rfc822',
      '',
      'From: orig@example.vn',
      'Subject: inner',
      '',
      'inner body',
      '--B--',
    ]),
  ),
  'no-headers': Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10, 99]),
  // Unencoded UTF-8 in a header (RFC 6532, and what careless senders write).
  'eight-bit-header': Buffer.from('From: a@example.vn\r\nSubject: Hỏi về hồ sơ\r\n\r\nbody\r\n', 'utf8'),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claims-mail-parser-'));
  ({ outfile: bundle, inputs } = await bundleOne(dir, 'mail-parser', 'lambdas/adapters/mail-parser.ts'));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the mail parser', () => {
  it('decodes the legacy charsets: windows-1258, ISO-2022-JP, Shift_JIS, and joins format=flowed lines', async () => {
    const vietnamese = await parseEmail(LEGACY['windows-1258'] as Buffer);
    expect(vietnamese.subject.normalize('NFC')).toBe('Bồi thường xe máy');
    expect(vietnamese.text.normalize('NFC')).toContain('va chạm ở Hà Nội ngày 2/12. Giá sửa 12.500.000 ₫');
    expect(vietnamese.legacyCharset).toBeUndefined();
    expect(await parseEmail(LEGACY['iso-2022-jp'] as Buffer)).toMatchObject({ subject: '事故の報告' });
    expect((await parseEmail(LEGACY['iso-2022-jp'] as Buffer)).text).toContain('車が壊れました。');
    expect((await parseEmail(LEGACY.shift_jis as Buffer)).text).toContain('保険金の請求です。');
    expect((await parseEmail(LEGACY.flowed as Buffer)).text).toContain('ứng dụng thư và phải');
  });

  it('reads an HTML-only message as text, without its script and style', async () => {
    const m = await parseEmail(OTHERS['html-only'] as Buffer);
    expect(m).toMatchObject({ from: 'a.nguyen@example.vn', subject: 'Yêu cầu bồi thường' });
    expect(m.text).toBe('Xe tôi bị va chạm ngày 2/12.\n\nBiển số: 29A-123.45\nSố tiền: 12.500.000\u00a0₫');
  });

  it('keeps a forwarded message as an attachment, as it arrived', async () => {
    const m = await parseEmail(OTHERS.forwarded as Buffer);
    expect(m.text.trim()).toBe('see below');
    expect(m.attachments).toMatchObject([{ fileName: 'attachment-1', contentType: 'message/rfc822' }]);
    expect(m.attachments[0]?.content.toString()).toContain('inner body');
  });

  it('decodes raw 8-bit header text as UTF-8', async () => {
    expect((await parseEmail(OTHERS['eight-bit-header'] as Buffer)).subject).toBe('Hỏi về hồ sơ');
  });

  it('refuses what has no header, and what has none of sender, subject and body', async () => {
    await expect(parseEmail(OTHERS['no-headers'] as Buffer)).rejects.toBeInstanceOf(MalformedEmailError);
    await expect(parseEmail(Buffer.alloc(0))).rejects.toBeInstanceOf(MalformedEmailError);
    await expect(parseEmail(crlf(['X-Note: only this', '', '']))).rejects.toBeInstanceOf(MalformedEmailError);
  });

  it('names a pre-Unicode Vietnamese charset, in a part or an encoded word, and nothing else', async () => {
    const declared = (contentType: string, subject = 'claim') =>
      message(
        ['From: a@example.vn', `Subject: ${subject}`, 'MIME-Version: 1.0', `Content-Type: ${contentType}`],
        Buffer.from('Xe t\xf4i b\xb9 va ch\xb9m\r\n', 'latin1'),
      );
    expect((await parseEmail(declared('text/plain; charset=VISCII'))).legacyCharset).toBe('viscii');
    expect((await parseEmail(declared('text/plain; charset="x-viet-tcvn"'))).legacyCharset).toBe(
      'x-viet-tcvn',
    );
    expect(
      (await parseEmail(declared('text/plain; charset=utf-8', '=?TCVN-5712?Q?Xe?='))).legacyCharset,
    ).toBe('tcvn-5712');
    for (const ok of ['text/plain; charset=utf-8', 'text/plain; charset=windows-1258', 'text/plain'])
      expect((await parseEmail(declared(ok))).legacyCharset).toBeUndefined();
  });

  // Lambda runs Node 22 (`npm run test:node22` runs this suite on it). Node 20's decoder reads
  // windows-1252 as ISO-8859-1, so on the local stack 0x80–0x9F come out as C1 controls.
  it.skipIf(Number(process.versions.node.split('.')[0]) < 22)(
    'decodes windows-1252 as Windows writes it (0x80 is the euro sign, 0x93/0x94 curly quotes)',
    async () => {
      const m = await parseEmail(
        message(
          [
            'From: a@example.com',
            'Subject: quote',
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=windows-1252',
          ],
          Buffer.from([0x93, 0x41, 0x94, 0x20, 0x80, 0x35, 0x0d, 0x0a]),
        ),
      );
      expect(m.text.trim()).toBe('\u201cA\u201d \u20ac5');
    },
  );
});

describe('the identity of what a message’s author wrote', () => {
  const authored = crlf([
    'From: Khach Hang <khach@example.vn>',
    'To: boithuong@baohiem.local',
    'Subject: Xin boi thuong',
    'Date: Mon, 30 Nov 2026 09:00:00 +0700',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Xe cua toi bi hong.',
  ]);
  /** What a receiving server puts on top of one delivery. */
  const delivered = (n: number, message: Buffer) =>
    Buffer.concat([
      crlf([
        `Received: from mx${n}.example.vn by inbound-smtp.amazonaws.com with SMTP id ${n}abc`,
        `X-SES-Receipt: receipt-${n}`,
        `X-SES-Spam-Verdict: ${n === 1 ? 'PASS' : 'GRAY'}`,
      ]),
      message,
    ]);

  it('is the same for every delivery of a message and for one with another Message-ID put on top', () => {
    const id = contentIdentity(authored);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(contentIdentity(delivered(1, authored))).toBe(id);
    expect(contentIdentity(delivered(2, authored))).toBe(id);
    expect(contentIdentity(Buffer.concat([crlf(['Message-ID: <new@evil.example>']), authored]))).toBe(id);
    // Folded differently by a relay: the same header.
    const folded = Buffer.from(
      authored.toString('latin1').replace('Subject: Xin', 'Subject:\r\n  Xin'),
      'latin1',
    );
    expect(contentIdentity(folded)).toBe(id);
  });

  it('differs when the body, the date, the author, the subject or the charset does', () => {
    const id = contentIdentity(authored);
    const changed = (from: string, to: string) =>
      contentIdentity(Buffer.from(authored.toString('latin1').replace(from, to), 'latin1'));
    expect(changed('bi hong.', 'bi hong!')).not.toBe(id);
    expect(changed('09:00:00', '09:00:01')).not.toBe(id);
    expect(changed('khach@', 'khac@')).not.toBe(id);
    expect(changed('Xin boi', 'Xin bo')).not.toBe(id);
    expect(changed('utf-8', 'VISCII')).not.toBe(id);
    // The bottom-most header counts: what the author's signature covers, not what was put on top.
    expect(contentIdentity(Buffer.concat([crlf(['Subject: Other']), authored]))).toBe(id);
  });

  it('has one for whatever arrives: no blank line, bare LF, nothing at all', () => {
    for (const raw of [Buffer.from('From: a@b.vn'), Buffer.from('From: a@b.vn\n\nbody'), Buffer.alloc(0)])
      expect(contentIdentity(raw)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentIdentity(Buffer.from('From: a@b.vn\n\nbody'))).not.toBe(
      contentIdentity(Buffer.from('From: a@b.vn\n\nbodx')),
    );
  });
});

describe('the mail parser on hostile input', () => {
  const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/email');
  const corpus = [
    ...readdirSync(FIXTURES).map((f) => readFileSync(path.join(FIXTURES, f))),
    ...Object.values(LEGACY),
    ...Object.values(OTHERS),
  ];
  /** What the intake may meet: a message read, or MalformedEmailError (the raw kept for staff). */
  const readOrRefused = async (raw: Buffer) => {
    try {
      const m = await parseEmail(raw);
      expect(m.headers.length).toBeGreaterThan(0);
      expect(typeof m.text).toBe('string');
      for (const a of m.attachments) expect(Buffer.isBuffer(a.content)).toBe(true);
      return 'read';
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedEmailError);
      return 'refused';
    }
  };

  it('reads or refuses by name every mutation of the fixtures: flipped bytes, cut short, spliced (fast-check)', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...corpus),
        fc.constantFrom(...corpus),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        async (a, b, flips, cut, splice) => {
          const bytes = Buffer.concat([
            a.subarray(0, splice % (a.length + 1)),
            b.subarray(cut % (b.length + 1)),
          ]);
          for (const [i, v] of flips) if (bytes.length > 0) bytes[i % bytes.length] = v;
          outcomes.add(await readOrRefused(bytes));
        },
      ),
      { numRuns: 400 },
    );
    expect(outcomes).toContain('read');
  });

  it('refuses by name a message nested past the limit or with too many parts, without overflowing', async () => {
    const depth = 300;
    const open = Array.from(
      { length: depth },
      (_, i) => `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`,
    );
    const nested = Buffer.from(
      `From: a@example.vn\r\nSubject: deep\r\n${open.join('')}Content-Type: text/plain\r\n\r\nx\r\n`,
    );
    await expect(parseEmail(nested)).rejects.toBeInstanceOf(MalformedEmailError);

    const parts = Array.from({ length: 10_001 }, () => '--B\r\nContent-Type: text/plain\r\n\r\nx\r\n').join(
      '',
    );
    const many = Buffer.from(
      `From: a@example.vn\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n${parts}--B--\r\n`,
    );
    await expect(parseEmail(many)).rejects.toBeInstanceOf(MalformedEmailError);
  });
});

describe('the mail parser in a Lambda bundle', () => {
  it('carries one copy of postal-mime, its ES module build, the HTML-to-text module included', () => {
    const postal = inputs.filter((p) => p.includes('node_modules/postal-mime/'));
    expect(postal).toContain('node_modules/postal-mime/dist/esm/text-format.js');
    expect(postal).toContain('node_modules/postal-mime/dist/esm/postal-mime.js');
    expect(postal.filter((p) => !p.includes('/dist/esm/'))).toEqual([]);
  });

  it('reads every fixture, legacy charset and odd message exactly as the source does', async () => {
    const fixtures = path.join(REPO_ROOT, 'tests/fixtures/email');
    const inputs: Record<string, Buffer> = { ...LEGACY, ...OTHERS };
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
    expect(bundled['no-headers']).toMatchObject({ error: 'MalformedEmailError' });
    expect((bundled['html-only'] as ParsedEmail).text).toContain('va chạm');
  });
});
