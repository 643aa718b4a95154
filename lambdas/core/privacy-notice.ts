import type { Channel } from './claim.ts';
import { DomainError } from './errors.ts';

/**
 * The privacy notice a person is given before their claim is filed (Decree 13/2023/ND-CP Art. 13; the
 * Personal Data Protection Law 2025): what is processed, including health data on a health claim, why,
 * who receives it, how long it is kept, and the data subject's rights. Claim handling is processing
 * for a contract the customer is party to, so it needs no separate consent, but the notice must be
 * given first and the insurer must be able to show that it was: the claim records which version, when
 * and how (`Claim.privacyNotice`).
 *
 * The notice is web/customer/public/privacy.vi.html and privacy.en.html; both state this version (a
 * unit test holds them to it). A new text gets a new version here: the apps send what they showed,
 * and the API refuses a claim filed against an older one, so nobody is recorded as told what they
 * were not shown.
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-05';

/**
 * Where the notice is read in `locale`, beside the customer app at `appBase` (WEB_BASE_URL): the
 * e-mail intake's replies link to it, since a claim made from an e-mail was written before anything
 * could be shown.
 */
export const privacyNoticeUrl = (appBase: string, locale: 'vi' | 'en'): string =>
  `${appBase.replace(/\/$/, '')}/privacy.${locale}.html`;

/** The record a claim keeps of the notice given before it was filed. */
export interface PrivacyNoticeRecord {
  version: string;
  /** When the claim carrying the acknowledgement was filed (ISO instant). */
  at: string;
  /** How it was given: shown in the customer's app (`web`) or read out by staff (`phone`). */
  channel: Channel;
}

/**
 * The notice acknowledged with a claim being filed (its record once `at` is added at the filing
 * write), or a coded refusal. A claim filed in the app or by phone must carry the version in force
 * (`PRIVACY_NOTICE_REQUIRED` without one, `PRIVACY_NOTICE_OUTDATED` with an older one). A claim made
 * from an e-mail records none: the customer wrote before anything could be shown to them, and the
 * automatic reply to the e-mail gives the notice (`privacyNoticeUrl`).
 */
export function acknowledgedNotice(
  channel: Channel,
  version: string | undefined,
): Omit<PrivacyNoticeRecord, 'at'> | undefined {
  if (channel === 'email') return undefined;
  if (version === undefined || version === '')
    throw new DomainError(
      'PRIVACY_NOTICE_REQUIRED',
      'The privacy notice must be given before a claim is filed',
    );
  if (version !== PRIVACY_NOTICE_VERSION)
    throw new DomainError(
      'PRIVACY_NOTICE_OUTDATED',
      `The privacy notice in force is ${PRIVACY_NOTICE_VERSION}, not ${version}`,
      { current: PRIVACY_NOTICE_VERSION },
    );
  return { version, channel };
}
