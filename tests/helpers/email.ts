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
