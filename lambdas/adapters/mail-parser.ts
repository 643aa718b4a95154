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
