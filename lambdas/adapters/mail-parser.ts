import { type AddressObject, simpleParser } from 'mailparser';
import type { HeaderLine } from '../core/inbound-email.ts';

/** A received message as the email use case reads it (mailparser does the MIME work). */
export interface ParsedEmail {
  messageId?: string;
  from?: string;
  subject: string;
  text: string;
  /** Header lines top first, unfolded, as they appear in the raw message. */
  headers: HeaderLine[];
  attachments: { fileName: string; contentType: string; content: Buffer }[];
}

export class MalformedEmailError extends Error {
  override readonly name = 'MalformedEmailError';
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a[0] : a)?.value[0]?.address?.toLowerCase();

/**
 * Parses a raw RFC 5322 message. mailparser is lenient (a missing closing boundary or a broken
 * base64 part still yields what can be read); what it cannot read at all is a MalformedEmailError,
 * and the caller keeps the raw message for staff.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: false, skipTextLinks: true, skipImageLinks: true });
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
  if (headers.length === 0 || (!mail.from && !mail.subject && !mail.text))
    throw new MalformedEmailError('No headers, sender or body could be read');
  return {
    messageId: mail.messageId?.trim(),
    from: firstAddress(mail.from),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    headers,
    attachments: mail.attachments
      .filter((a) => a.contentDisposition !== 'inline' || a.filename)
      .map((a, i) => ({
        fileName: a.filename ?? `attachment-${i + 1}`,
        contentType: (a.contentType ?? 'application/octet-stream').toLowerCase(),
        content: a.content,
      })),
  };
}
