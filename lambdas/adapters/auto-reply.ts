import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ses } from './aws-clients.ts';
import { env } from './env.ts';

/**
 * An automatic answer to a received message: threaded under it (In-Reply-To/References) and marked
 * as automatic (`Auto-Submitted: auto-replied`, RFC 3834) with an `X-Loop` naming us, so a
 * well-behaved responder does not answer it and our own intake recognises it if it comes back.
 */
export async function sendAutoReply(
  to: string,
  m: { subject: string; text: string },
  inReplyTo: string | undefined,
): Promise<string> {
  const from = env('EMAIL_FROM');
  const thread = inReplyTo && /^<[^<>\s]+>$/.test(inReplyTo) ? inReplyTo : undefined;
  const r = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: { Data: m.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: m.text, Charset: 'UTF-8' } },
          Headers: [
            { Name: 'Auto-Submitted', Value: 'auto-replied' },
            { Name: 'X-Loop', Value: from },
            ...(thread
              ? [
                  { Name: 'In-Reply-To', Value: thread },
                  { Name: 'References', Value: thread },
                ]
              : []),
          ],
        },
      },
    }),
  );
  return r.MessageId ?? '';
}
