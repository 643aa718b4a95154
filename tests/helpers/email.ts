import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { fillEmailPlaceholders } from '../../scripts/send-mail.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'email');
export const CLAIMS_INBOX = 'boithuong@baohiem.local';

/** A fixture from tests/fixtures/email with its placeholders filled (loss dates relative to today). */
export function emailFixture(name: string, vars: Record<string, string> = {}): Buffer {
  return fillEmailPlaceholders(readFileSync(join(FIXTURES, name)), vars);
}

/** Sends a raw message to the local claims address over SMTP; resolves with the server's answer. */
export async function sendRaw(port: number, raw: Buffer, from = 'sender@example.vn') {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope: { from, to: [CLAIMS_INBOX] }, raw });
  } finally {
    transport.close();
  }
}

interface SentEmail {
  subject: string;
  destination: { to: string[] };
  text?: string;
  body?: { text?: string };
}

/** The e-mails the local SES stand-in has sent so far, oldest first. */
export async function sentEmails(mailUrl: string): Promise<SentEmail[]> {
  return ((await (await fetch(`${mailUrl}/store`)).json()) as { emails: SentEmail[] }).emails;
}

/**
 * The six-digit code of the payout-account confirmation for `claimNumber` sent to `to` after the
 * first `after` e-mails (other mail about the claim, its approval…, may arrive meanwhile).
 */
export async function payoutAccountCode(
  mailUrl: string,
  claimNumber: string,
  after: number,
  to = 'an.nguyen@example.vn',
): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = (await sentEmails(mailUrl))
      .slice(after)
      .find(
        (m) =>
          m.subject.includes(claimNumber) &&
          /Mã xác nhận|Code to confirm/.test(m.subject) &&
          m.destination.to.includes(to),
      );
    const text = mail?.text ?? mail?.body?.text ?? '';
    const code = /(?:Mã xác nhận|Confirmation code): (\d{6})/.exec(text)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no confirmation code for ${claimNumber} to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
