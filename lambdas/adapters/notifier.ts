import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { RenderedMessage } from '../core/render-message.ts';
import { ses, sns } from './aws-clients.ts';
import { env, optionalEnv } from './env.ts';

/**
 * Sends a rendered message by email (SES). The template in force is chosen and rendered by the
 * caller (app/templates.ts `renderTemplate`), so this adapter holds no configuration.
 */
export async function sendEmail(
  to: string,
  m: Pick<RenderedMessage, 'subject' | 'text' | 'html'>,
): Promise<string> {
  const r = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: env('EMAIL_FROM'),
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: { Data: m.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: m.text, Charset: 'UTF-8' },
            ...(m.html ? { Html: { Data: m.html, Charset: 'UTF-8' } } : {}),
          },
        },
      },
    }),
  );
  return r.MessageId ?? '';
}

export async function sendSms(phone: string, text: string): Promise<string> {
  const r = await sns().send(
    new PublishCommand({
      PhoneNumber: phone.startsWith('0') ? `+84${phone.slice(1)}` : phone,
      Message: text,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        ...(optionalEnv('SMS_SENDER_ID', '')
          ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: optionalEnv('SMS_SENDER_ID', '') } }
          : {}),
      },
    }),
  );
  return r.MessageId ?? '';
}
