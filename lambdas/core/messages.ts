import type { CheckCode, ClaimStatus } from './claim.ts';
import type { ErrorCode } from './errors.ts';
import type { EventType } from './events.ts';
import type { RedFlagCode } from './fraud/red-flags.ts';
import type { ControlReferral } from './fraud/siu.ts';
import { formatCode, group, type Locale, type MessageGroup, type MessageValues } from './i18n.ts';
import type { Cause, DocumentType } from './products.ts';
import type { TemplateName } from './templates.ts';

/**
 * Texts keyed by the stable codes the API returns, as groups of the one catalogue
 * (`messages/<locale>/<namespace>.json`, read through `./i18n.ts`). The names are the ones call sites used
 * when each group was a table here: `t(STATUS_TEXT, status, locale)` still reads the same.
 */
export { type CodeOf, LOCALES, type Locale } from './i18n.ts';

export const ERROR_TEXT = group<ErrorCode>('api.error');
/** Field-level issue codes (zod issue codes plus our format tags) as shown beside a field. */
export const FIELD_ISSUE_TEXT = group<string>('field');
export const CHECK_TEXT = group<CheckCode>('label.check');
/** A check in a few words, where its full sentence does not fit (a timeline line, a list of reasons). */
export const CHECK_SHORT_TEXT = group<CheckCode>('label.checkShort');
/** Notification templates by their name, as the admin screens show them. */
export const TEMPLATE_TEXT = group<TemplateName>('label.template');
/** Policy add-ons (free codes from the policy system: an unknown one shows as given). */
export const ADD_ON_TEXT = group<string>('label.addOn');
export const STATUS_TEXT = group<ClaimStatus>('label.status');
export const EVENT_TEXT = group<EventType>('label.event');
export const DOCUMENT_TEXT = group<DocumentType>('label.document');
export const CAUSE_TEXT = group<Cause>('label.cause');
/** Staff only: the customer app's build leaves `staff.*` out. */
export const RED_FLAG_TEXT = group<RedFlagCode>('staff.redFlag');
/** A fraud indicator's name in a few words (the console's fraud panel; the detail says the rest). */
export const INDICATOR_TEXT = group<RedFlagCode>('staff.indicator');
/**
 * What each column the fraud model reads means, in a few words (the console's "what drives this
 * score"). Every live feature has one; a column only an insurer's own training file has shows as
 * its name.
 */
export const FRAUD_FEATURE_TEXT = group<string>('staff.fraudFeature');
/** Why a control (not the score or the flags) sent a claim to the SIU (core/fraud/siu.ts CONTROL_REFERRALS). */
export const SIU_REASON_TEXT = group<ControlReferral>('staff.siuReason');
/** Claims by email: what a reply says is missing (core/inbound-email.ts EMAIL_MISSING). */
export const EMAIL_MISSING_TEXT = group<
  | 'known_sender'
  | 'policy_number'
  | 'policy_match'
  | 'claim_match'
  | 'loss_date'
  | 'loss_place'
  | 'cause'
  | 'payout_account'
  | 'claim_details'
  | 'estimated_amount'
>('intake.missing');
/** Claims by email: the automatic replies. */
export const EMAIL_REPLY_TEXT = group<
  | 'claim_subject'
  | 'claim_intro'
  | 'still_missing'
  | 'nothing_missing'
  | 'documents_subject'
  | 'documents_intro'
  | 'info_answered'
  | 'message_posted'
  | 'read_intro'
  | 'read_loss_at'
  | 'read_place'
  | 'read_cause'
  | 'read_amount'
  | 'read_account'
  | 'read_outro'
  | 'privacy'
  | 'attachments'
  | 'attachment_checking'
  | 'attachment_refused'
  | 'intake_subject'
  | 'intake_intro'
  | 'intake_outro'
  | 'track'
  | 'sign_off'
>('intake.reply');

/**
 * Fills `{name}` placeholders in a text that is not in the catalogue (an admin's free text).
 * Catalogue messages go through `t`/`format`, which speak ICU.
 */
export function fill(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) =>
    params[k] === undefined ? `{${k}}` : String(params[k]),
  );
}

/** The text for `key` in `table`, or the key itself when the catalogue has none. */
export function t<K extends string>(
  table: MessageGroup<K>,
  key: K | (string & {}),
  locale: Locale,
  params?: MessageValues,
): string {
  return formatCode(table, key, locale, params);
}

/**
 * A timeline entry's title. An entry that records the status the claim moved to (the workflow
 * parking for documents or for assessment) is titled with that status, the same words as the
 * status badge, so the newest entry and the badge never say two different things.
 */
export function eventTitle(
  entry: { type: EventType | (string & {}); data?: Record<string, unknown> | null },
  locale: Locale,
): string {
  const status = entry.data?.status;
  if (STATUS_TITLED_EVENTS.has(entry.type) && typeof status === 'string') {
    return t(STATUS_TEXT, status, locale);
  }
  return t(EVENT_TEXT, entry.type, locale);
}

/** Events whose `data.status` is the status they put the claim in. */
const STATUS_TITLED_EVENTS: ReadonlySet<string> = new Set<EventType>(['AssessmentAwaited']);
