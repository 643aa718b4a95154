// SES receiving stand-in: an SMTP server (smtp-server) that, like SES's receipt rule with an S3
// action, stores each accepted message as is under `inbound/` of a bucket; the bucket's
// ObjectCreated notification then runs the same handler EventBridge runs on AWS.
//
// What it does NOT do that SES does: scan for spam and viruses, or check SPF/DKIM/DMARC. SES writes
// its verdicts into the stored message as headers (X-SES-Spam-Verdict, X-SES-Virus-Verdict,
// Authentication-Results: amazonses.com; …) and the parser reads them there; locally the sender
// writes those headers itself, so tests can send both verdicts. Mail without them is untrusted.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { LOCAL_HOST } from './http.ts';

/** SES accepts messages of at most 40 MB (headers and encoded attachments included). */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  maxBytes?: number;
  /** Recipients accepted (SES's receipt rule recipients); any other is refused with 550. */
  recipients: readonly string[];
  /** Stores the raw message under `key` (the S3 action). */
  store: (key: string, raw: Buffer) => Promise<void>;
  prefix?: string;
}

export interface SmtpLocal {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

export async function startSmtpLocal(options: SmtpLocalOptions): Promise<SmtpLocal> {
  const maxBytes = options.maxBytes ?? SES_MAX_MESSAGE_BYTES;
  const recipients = new Set(options.recipients.map((r) => r.toLowerCase()));
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    banner: 'claims local SES receiving stand-in',
    onRcptTo(address, _session, callback) {
      if (!recipients.has(address.address.toLowerCase()))
        return callback(smtpError(550, `Mailbox unavailable: ${address.address}`));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e) => callback(e));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
          return callback(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
        // SES names stored messages by its own message id; ours is random too.
        const key = `${options.prefix ?? 'inbound/'}${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;
        options.store(key, Buffer.concat(chunks)).then(
          () => callback(null, `Ok: queued as ${key}`),
          (e: Error) => callback(smtpError(451, `Local error in processing: ${e.message}`)),
        );
      });
    },
  });
  server.on('error', (e) => console.error('[smtp-local]', e.message));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOCAL_HOST, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${LOCAL_HOST}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
