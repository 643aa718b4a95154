import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand } from '@aws-sdk/client-sns';
import Mustache from 'mustache';
import type { Locale } from '../core/messages.ts';
import acknowledgement from '../templates/acknowledgement.json' with { type: 'json' };
import { ses, sns } from './aws-clients.ts';
import { env } from './env.ts';

/** Message templates live in lambdas/templates/*.json (subject, text, html; one per locale). */
const TEMPLATES = { acknowledgement } as const;
export type TemplateName = keyof typeof TEMPLATES;

interface Template {
  subject: Record<Locale, string>;
  text: Record<Locale, string>;
  html?: Record<Locale, string>;
  sms?: Record<Locale, string>;
}

export function renderTemplate(name: TemplateName, locale: Locale, data: Record<string, unknown>) {
  const t = TEMPLATES[name] as Template;
  return {
    subject: Mustache.render(t.subject[locale], data),
    text: Mustache.render(t.text[locale], data),
    html: t.html ? Mustache.render(t.html[locale], data) : undefined,
    sms: t.sms ? Mustache.render(t.sms[locale], data) : undefined,
  };
}

export async function sendEmail(
  to: string,
  name: TemplateName,
  locale: Locale,
  data: Record<string, unknown>,
): Promise<string> {
  const m = renderTemplate(name, locale, data);
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
        ...(process.env.SMS_SENDER_ID
          ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: process.env.SMS_SENDER_ID } }
          : {}),
      },
    }),
  );
  return r.MessageId ?? '';
}
