import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
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
import claim_sent_back from '../templates/claim_sent_back.json' with { type: 'json' };
import payout_account_code from '../templates/payout_account_code.json' with { type: 'json' };
import payout_account_changed from '../templates/payout_account_changed.json' with { type: 'json' };
// A payout account staff typed in was confirmed (by the customer, or a supervisor by phone): told to
// every registered contact so a confirmation the customer did not give does not go unnoticed.
import payout_account_confirmed from '../templates/payout_account_confirmed.json' with { type: 'json' };
import claim_paid from '../templates/claim_paid.json' with { type: 'json' };
import payment_failed from '../templates/payment_failed.json' with { type: 'json' };
// Issue 10, the customer's appeal: the letter to the customer and the notice to the handler.
import claim_appealed from '../templates/claim_appealed.json' with { type: 'json' };
import appeal_filed from '../templates/appeal_filed.json' with { type: 'json' };
import claim_message from '../templates/claim_message.json' with { type: 'json' };
import claim_message_staff from '../templates/claim_message_staff.json' with { type: 'json' };
// A staff account's contact details changed: told at the old e-mail (app/notifications.ts).
import staff_contact_changed from '../templates/staff_contact_changed.json' with { type: 'json' };

/** The longest template part accepted (the HTML body; the shipped ones are under 2,000 characters). */
export const TEMPLATE_PART_MAX_CHARS = 20_000;

/** One part of a message (subject, text, …) in both languages; Mustache syntax. */
const TemplateText = /* @__PURE__ */ defineSchema(() =>
  z.string().check(z.minLength(1), z.maxLength(TEMPLATE_PART_MAX_CHARS)),
);
export const LocalizedTemplate = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ vi: TemplateText, en: TemplateText }),
);

/** A notification template: email subject and plain text, optional HTML body and SMS. */
export const MessageTemplate = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    subject: LocalizedTemplate,
    text: LocalizedTemplate,
    html: z.optional(LocalizedTemplate),
    sms: z.optional(LocalizedTemplate),
  }),
);
export type MessageTemplate = z.infer<typeof MessageTemplate>;

export const TEMPLATE_PARTS = ['subject', 'text', 'html', 'sms'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/**
 * The names of the shipped templates, written out rather than taken from DEFAULT_TEMPLATES: the
 * configuration in force (app/products.ts) reads the stored version of each name on every claim
 * step, and a function that renders no message then bundles the names without every template's
 * text (~70 KB). DEFAULT_TEMPLATES below must have exactly these keys (`satisfies`).
 */
export const TEMPLATE_NAMES = [
  'acknowledgement',
  'approval_requested',
  'claim_approved',
  'claim_assigned',
  'claim_closed',
  'claim_rejected',
  'closure_warning',
  'deadline_escalation',
  'documents_reminder',
  'dossier_completed',
  'info_provided',
  'info_requested',
  'inspection_reminder',
  'inspection_reminder_staff',
  'inspection_scheduled',
  'payment_queued',
  'claim_sent_back',
  'payout_account_code',
  'payout_account_changed',
  'payout_account_confirmed',
  'claim_paid',
  'payment_failed',
  'claim_appealed',
  'appeal_filed',
  'claim_message',
  'claim_message_staff',
  'staff_contact_changed',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/**
 * The shipped templates (lambdas/templates/*.json): in force until an admin stores a version of
 * their own (`CONFIG#TEMPLATE#<name>`), and the reference an edited one is checked against.
 */
export const DEFAULT_TEMPLATES = {
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
  claim_sent_back,
  payout_account_code,
  payout_account_changed,
  payout_account_confirmed,
  claim_paid,
  payment_failed,
  claim_appealed,
  appeal_filed,
  claim_message,
  claim_message_staff,
  staff_contact_changed,
} as const satisfies Readonly<Record<TemplateName, MessageTemplate>>;

/**
 * A shipped template with its name, for the steps that render only that one: naming its file here,
 * rather than looking it up in DEFAULT_TEMPLATES, lets their bundles carry its text alone (the
 * table takes ~70 KB). `renderShipped` in app/templates.ts renders one.
 */
export interface ShippedTemplate {
  name: TemplateName;
  shipped: MessageTemplate;
}
export const ACKNOWLEDGEMENT: ShippedTemplate = { name: 'acknowledgement', shipped: acknowledgement };
export const PAYOUT_ACCOUNT_CODE: ShippedTemplate = {
  name: 'payout_account_code',
  shipped: payout_account_code,
};

export const isTemplateName = (name: string): name is TemplateName =>
  (TEMPLATE_NAMES as readonly string[]).includes(name);

export const defaultTemplate = (name: TemplateName): MessageTemplate => DEFAULT_TEMPLATES[name];

/** Whether messages from this template also go by SMS (fixed by the shipped template). */
export const hasSms = (name: TemplateName): boolean => 'sms' in DEFAULT_TEMPLATES[name];
