import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand } from '@aws-sdk/client-sns';
import Mustache from 'mustache';
import type { Locale } from '../core/messages.ts';
import acknowledgement from '../templates/acknowledgement.json' with { type: 'json' };
import approval_requested from '../templates/approval_requested.json' with { type: 'json' };
import claim_approved from '../templates/claim_approved.json' with { type: 'json' };
import claim_assigned from '../templates/claim_assigned.json' with { type: 'json' };
import claim_closed from '../templates/claim_closed.json' with { type: 'json' };
import claim_rejected from '../templates/claim_rejected.json' with { type: 'json' };
import closure_warning from '../templates/closure_warning.json' with { type: 'json' };
import deadline_escalation from '../templates/deadline_escalation.json' with { type: 'json' };
import documents_reminder from '../templates/documents_reminder.json' with { type: 'json' };
import dossier_completed from '../templates/dossier_completed.json' with { type: 'json' };
import info_provided from '../templates/info_provided.json' with { type: 'json' };
import info_requested from '../templates/info_requested.json' with { type: 'json' };
import inspection_reminder from '../templates/inspection_reminder.json' with { type: 'json' };
import inspection_reminder_staff from '../templates/inspection_reminder_staff.json' with { type: 'json' };
import inspection_scheduled from '../templates/inspection_scheduled.json' with { type: 'json' };
import payment_queued from '../templates/payment_queued.json' with { type: 'json' };
import { ses, sns } from './aws-clients.ts';
import { env } from './env.ts';

/** Message templates live in lambdas/templates/*.json (subject, text, html; one per locale). */
const TEMPLATES = {
  acknowledgement,
  approval_requested,
  claim_approved,
  claim_assigned,
  claim_closed,
  claim_rejected,
  closure_warning,
  deadline_escalation,
  documents_reminder,
  dossier_completed,
  info_provided,
  info_requested,
  inspection_reminder,
  inspection_reminder_staff,
  inspection_scheduled,
  payment_queued,
} as const;
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
