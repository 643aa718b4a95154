import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createTransport } from 'nodemailer';
import { businessDate } from '../lambdas/core/time.ts';

/**
 * `npm run mail -- message.eml [more.eml…]`: sends raw messages to the local claims address through
 * the SMTP stand-in of `npm start` (port SMTP_PORT, default 2525), as they are but for the fixture
 * placeholders (`{{LOSS_DATE:40}}` = the date 40 days ago, so the demo policies cover it). The
 * replies appear in the local mailbox (http://127.0.0.1:8005).
 */
export function fillEmailPlaceholders(
  raw: Buffer,
  vars: Record<string, string> = {},
  now = new Date(),
): Buffer {
  const text = raw
    .toString('utf8')
    .replace(/\{\{LOSS_DATE:(\d+)\}\}/g, (_, days: string) => {
      const [y, m, d] = businessDate(new Date(now.getTime() - Number(days) * 86_400_000)).split('-');
      return `${d}/${m}/${y}`;
    })
    .replace(/\{\{([A-Z_]+)\}\}/g, (all, name: string) => vars[name] ?? all)
    // SMTP wants CRLF line ends.
    .replace(/\r?\n/g, '\r\n');
  return Buffer.from(text, 'utf8');
}

async function main(files: string[]) {
  if (files.length === 0) {
    console.error('usage: npm run mail -- message.eml [more.eml…]');
    process.exit(2);
  }
  const port = Number(process.env.SMTP_PORT ?? 2525);
  const to = process.env.CLAIMS_INBOX_ADDRESS ?? 'boithuong@baohiem.local';
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  for (const file of files) {
    const raw = fillEmailPlaceholders(await readFile(file));
    const from =
      /^From:.*?<?([^\s<>]+@[^\s<>]+)>?\s*$/im.exec(raw.toString('utf8'))?.[1] ?? 'unknown@example.com';
    const info = await transport.sendMail({ envelope: { from, to: [to] }, raw });
    console.log(`${file}: ${info.response}`);
  }
  transport.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
