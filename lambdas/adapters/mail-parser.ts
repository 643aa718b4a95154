import { createHash } from 'node:crypto';
import PostalMime, { type Address } from 'postal-mime';
// postal-mime's own HTML-to-text conversion, by path: the package exports only its parser
// (tests/unit/mail-parser.test.ts checks the bundles carry one copy of it).
import { htmlToText } from '../../node_modules/postal-mime/dist/esm/text-format.js';
import type { HeaderLine } from '../core/inbound-email.ts';

/** A received message as the email use case reads it (postal-mime does the MIME work). */
export interface ParsedEmail {
  messageId?: string;
  from?: string;
  subject: string;
  text: string;
  /** Header lines top first, unfolded, as they appear in the raw message. */
  headers: HeaderLine[];
  attachments: { fileName: string; contentType: string; content: Buffer }[];
  /**
   * A Vietnamese legacy charset the message declares (VISCII, TCVN, VPS): no decoder here knows
   * them, so that text came out as windows-1252 and only a person reading the raw message can
   * trust it.
   */
  legacyCharset?: string;
}

export class MalformedEmailError extends Error {
  override readonly name = 'MalformedEmailError';
}

const mailbox = (a: Address | undefined) => a?.address?.toLowerCase() || undefined;

/** A part's `charset=` or an encoded word's label naming a pre-Unicode Vietnamese charset. */
const LEGACY_VIETNAMESE =
  /(?:charset\s*=\s*["']?|=\?)((?:x-)?(?:viscii|tcvn[\w.-]*|vps|viet-[\w-]+))[\s"';?*]/i;

/**
 * Parses a raw RFC 5322 message with postal-mime, which decodes through the WHATWG charsets
 * (TextDecoder) and is lenient: a missing closing boundary or a broken base64 part still yields
 * what can be read. A message with no header, or none of sender, subject and body, is a
 * MalformedEmailError, as is one past the parser's limits (parts, nesting, header size); the caller
 * keeps the raw message for staff. An HTML-only message's text is postal-mime's own conversion of
 * its HTML; a forwarded message stays an attachment (`message/rfc822`), as it arrived.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', rfc822Attachments: true });
  } catch (e) {
    throw new MalformedEmailError((e as Error).message);
  }
  const headers = mail.headerLines.map(({ line }) => {
    const i = line.indexOf(':');
    return {
      name: (i < 0 ? line : line.slice(0, i)).trim(),
      value: (i < 0 ? '' : line.slice(i + 1)).replace(/\r?\n[ \t]+/g, ' ').trim(),
    };
  });
  const text = mail.text ?? (mail.html ? htmlToText(mail.html).trim() : '');
  if (headers.length === 0 || (!mail.from && !mail.subject && !text.trim()))
    throw new MalformedEmailError('No headers, sender or body could be read');
  const legacy = LEGACY_VIETNAMESE.exec(raw.toString('latin1'))?.[1];
  return {
    ...(legacy ? { legacyCharset: legacy.toLowerCase() } : {}),
    messageId: mail.messageId?.trim(),
    from: mailbox(mail.from),
    subject: mail.subject ?? '',
    text,
    headers,
    attachments: mail.attachments
      .filter((a) => a.disposition !== 'inline' || a.filename)
      .map((a, i) => ({
        fileName: a.filename ?? `attachment-${i + 1}`,
        contentType: (a.mimeType || 'application/octet-stream').toLowerCase(),
        content: Buffer.from(a.content as ArrayBuffer),
      })),
  };
}

/**
 * What `contentIdentity` reads from the header: the fields a sender's DKIM signature covers as a rule,
 * and the Content-Type that says how the body reads (the same bytes in another charset are another text).
 */
const IDENTITY_HEADERS = ['from', 'date', 'subject', 'content-type'] as const;

/**
 * The identity of what a message's author wrote, the same for every delivery of it: a SHA-256 of
 * the bottom-most From, Date, Subject and Content-Type (those DKIM signs, as the author's client wrote
 * them) and of the body's bytes. Headers a receiving server adds on top (SES's `Received`, verdicts, receipt)
 * and a Message-ID put on top of a replayed message change nothing. It identifies a message that
 * has no Message-ID, and catches a signed message sent again under a new one (app/email-intake.ts).
 * Read from the raw bytes, so a message the parser cannot read has one too.
 */
export function contentIdentity(raw: Buffer): string {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const [end, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : lf >= 0 ? [lf, 2] : [raw.length, 0];
  const fields = new Map<string, string>();
  const unfolded = raw
    .subarray(0, end)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    const name = line.slice(0, Math.max(i, 0)).trim().toLowerCase();
    // Each later line replaces an earlier one: the bottom-most counts.
    if ((IDENTITY_HEADERS as readonly string[]).includes(name))
      fields.set(
        name,
        line
          .slice(i + 1)
          .replace(/\s+/g, ' ')
          .trim(),
      );
  }
  const hash = createHash('sha256');
  for (const name of IDENTITY_HEADERS) hash.update(`${name}:${fields.get(name) ?? ''}\n`);
  return hash.update(raw.subarray(Math.min(end + gap, raw.length))).digest('hex');
}
