import { createHash } from 'node:crypto';
import { getClaim, getClaimIdByNumber, getDocument } from '../adapters/dynamo/claims-repo.ts';
import {
  claimEmailContent,
  getEmailRecord,
  recordReceivedEmail,
  saveEmailRecord,
  takeReplySlot,
} from '../adapters/dynamo/inbound-email-repo.ts';
import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import { customersByEmail, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import { sendAutoReply } from '../adapters/auto-reply.ts';
import { env, optionalEnv } from '../adapters/env.ts';
import { putAttachment, readRawEmail } from '../adapters/inbound-store.ts';
import {
  contentIdentity,
  MalformedEmailError,
  type ParsedEmail,
  parseEmail,
} from '../adapters/mail-parser.ts';
import type { Claim } from '../core/claim.ts';
import { missingDocuments } from '../core/dossier.ts';
import { isDomainError, TransientDependencyError, VersionConflictError } from '../core/errors.ts';
import {
  automatedReason,
  composeEmailReply,
  DANGEROUS_EXTENSIONS,
  type EmailAttachmentOutcome,
  type EmailRecordDraft,
  type EmailReply,
  emailReport,
  guessDocumentType,
  type HeldReason,
  type InboundEmailRecord,
  keptOfMessage,
  ownText,
  parseClaimEmail,
  readBack,
  REPLIES_PER_SENDER_PER_HOUR,
  repeatedHeaders,
  repliesSuppressed,
  TAKEOVER_AFTER_MS,
  untrustedVerdicts,
  verdictReason,
  verdictsFromHeaders,
} from '../core/inbound-email.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { answerInformationRequest } from './assessment.ts';
import { postEmailMessage } from './claim-thread.ts';
import { openUploadIntent, uploadKey } from './documents.ts';
import { loadProduct } from './products.ts';
import { submitClaim } from './submit-claim.ts';

/**
 * Attempts a message gets before it is held for a person with `PROCESSING_FAILED`, unanswered:
 * the first and Lambda's retry that takes it over (ReceiveEmail is retried twice, lib/stateless-stack.ts;
 * a retry inside the takeover time fails again); a further one (a redrive from the dead-letter
 * queue) holds it. One stuck in between is on the staff queue (`processingStuck`).
 */
export const MAX_EMAIL_ATTEMPTS = 2;
/**
 * Attachments one message may bring: the first are handled (submitted to the claim, or listed for
 * staff), the rest stay in the raw message (`TOO_MANY_ATTACHMENTS`), so no message makes a record
 * larger than DynamoDB stores or an attempt longer than the function may run.
 */
export const MAX_EMAIL_ATTACHMENTS = 30;
/** Of the body, what is read: a claim is written in far less; a person reads the rest in the raw message. */
const READ_CHARS = 20_000;

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
export const intakeIdFor = (messageId: string) => sha(messageId).slice(0, 26);

/**
 * What the intake reads of a message: the sender's own text (quoted replies and signature cut,
 * bounded) and the claim's fields in it. Making a claim of an intake record reads it again from the
 * raw message (app/claim-from-intake.ts), since the record keeps the account number only masked.
 */
export function readMessage(mail: ParsedEmail) {
  const body = mail.text.slice(0, 5 * READ_CHARS);
  return {
    text: ownText(body).slice(0, READ_CHARS),
    fields: parseClaimEmail(mail.subject.slice(0, 300), body.slice(0, READ_CHARS)),
  };
}

/** Our own addresses: mail from them, or naming them in `X-Loop`, is a loop. */
const ownAddresses = () =>
  [env('EMAIL_FROM'), process.env.CLAIMS_INBOX_ADDRESS].filter((a): a is string => Boolean(a));

/** The customer app's address: the replies link the claim's page and the privacy notice beside it. */
const appBase = () => optionalEnv('WEB_BASE_URL', 'http://127.0.0.1:5173/customer/').replace(/\/$/, '');
const trackingUrl = (claimId: string) => `${appBase()}/#/claims/${claimId}`;

/**
 * A message landed under `inbound/`: parse it, decide how far to trust it and what it is, and file
 * a claim, add to one, or keep it as an intake record for staff, answering the sender when that is
 * safe. Processed once per Message-ID and once per content identity (conditional writes before
 * anything else), so neither a second delivery nor a signed message replayed under a new Message-ID
 * is processed again; the raw message stays where it landed and every outcome points to it.
 */
export async function receiveEmail(
  rawKey: string,
  clock: Clock,
): Promise<{ intakeId: string; outcome: string }> {
  const raw = await readRawEmail(rawKey);
  let mail: ParsedEmail | undefined;
  let malformed: string | undefined;
  try {
    mail = await parseEmail(raw);
  } catch (e) {
    if (!(e instanceof MalformedEmailError)) throw e;
    malformed = e.message;
  }
  // What the author wrote, the same in every delivery (not the raw bytes: SES adds headers to each).
  const identity = contentIdentity(raw);
  // Without a Message-ID that identity is the message's.
  const messageId = mail?.messageId || `<sha256.${identity}@no-message-id>`;
  const intakeId = intakeIdFor(messageId);
  // The same signed content under another Message-ID (one put on top of a replayed message, or
  // added where the signature did not cover one): the message it came with is the one processed.
  const first = await claimEmailContent(identity, intakeId);
  if (first !== intakeId) return { intakeId: first, outcome: 'DUPLICATE' };
  const now = clock.now();
  const fresh: InboundEmailRecord = {
    intakeId,
    messageId,
    rawKey,
    receivedAt: now.toISOString(),
    ...(mail?.from ? { from: mail.from } : {}),
    subject: (mail?.subject ?? '').slice(0, 300),
    outcome: 'RECEIVED',
    reasons: [],
    attachments: [],
    version: 1,
  };
  let record = fresh;
  if (!(await recordReceivedEmail(fresh))) {
    const existing = await getEmailRecord(fresh.intakeId);
    const since = existing?.attemptAt ?? existing?.receivedAt ?? '';
    if (existing?.outcome !== 'RECEIVED') return { intakeId: fresh.intakeId, outcome: 'DUPLICATE' };
    // Not finished, and not yet abandoned: another attempt may still be running. Fail, so Lambda
    // retries later and this delivery is not taken for a duplicate of one that never finishes.
    if (now.getTime() - Date.parse(since) <= TAKEOVER_AFTER_MS)
      throw new TransientDependencyError('Another attempt at this message is in progress; retry later');
    // This attempt takes the record (a conditional write): a second retry at the same moment finds it taken.
    const taken = {
      ...existing,
      attempts: (existing.attempts ?? 1) + 1,
      attemptAt: now.toISOString(),
      version: existing.version + 1,
    };
    try {
      await saveEmailRecord(taken);
    } catch (e) {
      if (e instanceof VersionConflictError) return { intakeId: fresh.intakeId, outcome: 'DUPLICATE' };
      throw e;
    }
    record = taken;
  }
  /** Taking over from an attempt that failed part-way: some of its writes may already be done. */
  const retried = record !== fresh;
  /** The outcome, written with only what `keptOfMessage` lets a record of that outcome keep. */
  const finish = async (change: Partial<EmailRecordDraft>) => {
    const next = keptOfMessage({ ...record, ...change, version: record.version + 1 });
    await saveEmailRecord(next);
    record = next;
    return { intakeId: next.intakeId, outcome: next.outcome };
  };

  if (!mail)
    return finish({
      outcome: 'INTAKE',
      reasons: ['MALFORMED_MIME' satisfies HeldReason],
      text: malformed?.slice(0, 500),
    });
  const { text, fields } = readMessage(mail);
  const attachments = mail.attachments.slice(0, MAX_EMAIL_ATTACHMENTS);
  const tooMany: HeldReason[] =
    mail.attachments.length > MAX_EMAIL_ATTACHMENTS ? ['TOO_MANY_ATTACHMENTS'] : [];
  if ((record.attempts ?? 1) > MAX_EMAIL_ATTEMPTS)
    // Every attempt so far failed part-way (a fault no retry cures): a person reads the raw message.
    return finish({
      outcome: 'INTAKE',
      reasons: ['PROCESSING_FAILED' satisfies HeldReason, ...tooMany],
      text,
      attachments: keptInMessage(attachments),
      replied: { suppressed: 'PROCESSING_FAILED' },
    });
  const repeated = repeatedHeaders(mail.headers);
  if (repeated.length > 0)
    // Which From, Subject or Message-ID its author signed is not for the intake to guess: a person
    // reads the raw message (the record keeps the text and the verdicts, and no field read from it).
    return finish({
      outcome: 'INTAKE',
      reasons: ['REPEATED_HEADER' satisfies HeldReason, ...tooMany],
      verdicts: verdictsFromHeaders(mail.headers, mail.from),
      text,
      attachments: keptInMessage(attachments),
      replied: { suppressed: 'REPEATED_HEADER' },
    });
  const automated = automatedReason(mail.headers, mail.from, ownAddresses());
  if (automated)
    // Listed for staff for a while (a bounce from a customer's mailbox says the address failed),
    // sender and subject only: its text stays in the raw message.
    return finish({ outcome: 'IGNORED', reasons: [automated], replied: { suppressed: automated } });

  const verdicts = verdictsFromHeaders(mail.headers, mail.from);
  const untrusted = untrustedVerdicts(verdicts);
  if (untrusted.length > 0 || !mail.from) {
    // Whoever the From names did not necessarily write this: never a claim, never an answer
    // (an answer would go to the person being impersonated).
    return finish({
      outcome: 'INTAKE',
      reasons: ['UNTRUSTED_SENDER' satisfies HeldReason, ...untrusted.map(verdictReason)],
      verdicts,
      parsed: fields,
      text,
      replied: { suppressed: 'UNTRUSTED_SENDER' },
    });
  }
  if (mail.legacyCharset)
    // Decoded as windows-1252, the text is garbled: nothing is read from it, a person reads the
    // raw message. No reply either: we could not say what is missing.
    return finish({
      outcome: 'INTAKE',
      reasons: ['UNSUPPORTED_CHARSET' satisfies HeldReason],
      verdicts,
      text,
      attachments: keptInMessage(attachments),
      replied: { suppressed: 'UNSUPPORTED_CHARSET' },
    });
  const from = mail.from;
  const customers = await customersByEmail(from);
  // An address registered for two customers does not say which one is writing.
  const customer = customers.length === 1 ? customers[0] : undefined;
  const reply = async (r: EmailReply) => {
    if (repliesSuppressed(mail.headers)) return { suppressed: 'AUTO_RESPONSE_SUPPRESSED' };
    const hour = now.toISOString().slice(0, 13);
    const allowed = await takeReplySlot(
      from,
      hour,
      REPLIES_PER_SENDER_PER_HOUR,
      Math.floor(now.getTime() / 1000) + 2 * 3600,
    );
    if (!allowed) return { suppressed: 'RATE_LIMITED' };
    await sendAutoReply(from, composeEmailReply(r, fields.locale), mail.messageId);
    return { at: clock.now().toISOString(), kind: r.kind };
  };

  // A message on an existing claim's thread.
  if (fields.claimNumber) {
    const claimId = await getClaimIdByNumber(fields.claimNumber);
    const claim = claimId ? await getClaim(claimId) : undefined;
    if (claim && customer?.customerId === claim.customerId) {
      const submitted = await submitAttachments(claim, attachments, record.intakeId, clock);
      const infoAnswered = await answerOpenRequest(claim, customer, text, retried, clock);
      // Whatever else the customer wrote reaches the handler as a message on the claim's thread
      // (notified like one written in the app); the intake record alone is seen by no one.
      const message = infoAnswered
        ? undefined
        : await postToThread(claim, customer, text, record.intakeId, clock);
      const latest = (await getClaim(claim.claimId)) ?? claim;
      const replied = await reply({
        kind: 'documents_received',
        claimNumber: claim.claimNumber,
        infoAnswered,
        messagePosted: message === 'MESSAGE_POSTED',
        missingDocuments: missingDocuments(latest.requiredDocuments, latest.receivedDocuments),
        attachments: submitted,
        url: trackingUrl(claim.claimId),
      });
      return finish({
        outcome: 'ADDED_TO_CLAIM',
        verdicts,
        customerId: claim.customerId,
        claimId: claim.claimId,
        claimNumber: claim.claimNumber,
        policyNumber: claim.policyNumber,
        attachments: submitted,
        reasons: [...(infoAnswered ? ['INFO_REQUEST_ANSWERED'] : message ? [message] : []), ...tooMany],
        replied,
      });
    }
    if (claim) return keepForStaff(['claim_match']);
  }

  const policy = fields.policyNumber ? await getPolicy(fields.policyNumber) : undefined;
  const policyOk = policy && customer && policy.customerId === customer.customerId;
  const product = policyOk ? await loadProduct(policy.productCode) : undefined;
  const built = emailReport({
    fields,
    text,
    sender: from,
    phone: customer?.phone,
    policy: policyOk ? policy : undefined,
    line: product?.line,
  });
  const missing = [
    ...(customer ? [] : (['known_sender'] as const)),
    ...(fields.policyNumber
      ? customer && !policyOk
        ? (['policy_match'] as const)
        : []
      : (['policy_number'] as const)),
    ...(built.ok ? [] : built.missing),
  ];
  if (missing.length > 0 || !built.ok || !customer?.customerId || !policyOk)
    return keepForStaff([...missing]);

  const { claim } = await submitClaim(
    {
      report: built.report,
      customerId: customer.customerId,
      channel: 'email',
      actor: { kind: 'customer', id: customer.userId },
      idempotencyKey: `email:${messageId}`,
    },
    clock,
  );
  const filed = (await getClaim(claim.claimId)) as Claim;
  const submitted = await submitAttachments(filed, attachments, record.intakeId, clock);
  const replied = await reply({
    kind: 'claim_received',
    claimNumber: filed.claimNumber,
    policyNumber: filed.policyNumber,
    read: readBack(filed.report),
    missingDocuments: missingDocuments(filed.requiredDocuments, filed.receivedDocuments),
    missingDetails: built.missingDetails,
    attachments: submitted,
    url: trackingUrl(filed.claimId),
    appBase: appBase(),
  });
  return finish({
    outcome: 'CLAIM_CREATED',
    verdicts,
    customerId: customer.customerId,
    policyNumber: filed.policyNumber,
    claimId: filed.claimId,
    claimNumber: filed.claimNumber,
    attachments: submitted,
    reasons: tooMany,
    replied,
  });

  async function keepForStaff(reasons: string[]) {
    const replied = await reply({
      kind: 'intake_incomplete',
      subject: mail?.subject ?? '',
      missing: reasons as never,
      appBase: appBase(),
    });
    return finish({
      outcome: 'INTAKE',
      reasons: [...reasons, ...tooMany],
      verdicts,
      parsed: fields,
      text,
      ...(customer?.customerId ? { customerId: customer.customerId } : {}),
      ...(policyOk ? { policyNumber: policy.policyNumber } : {}),
      attachments: keptInMessage(attachments),
      replied,
    });
  }
}

/** A held message's attachments, listed for staff and left in the raw message. */
const keptInMessage = (attachments: ParsedEmail['attachments']): EmailAttachmentOutcome[] =>
  attachments.map((a) => ({
    fileName: a.fileName.slice(0, 200),
    contentType: a.contentType,
    size: a.content.length,
    outcome: 'KEPT_IN_MESSAGE' as const,
  }));

/** Normalises what mail clients write for JPEG. */
const contentTypeOf = (t: string) => (t === 'image/jpg' || t === 'image/pjpeg' ? 'image/jpeg' : t);

/** The document an attachment becomes: derived from the message, so every attempt names the same one. */
export const attachmentDocumentId = (intakeId: string, index: number) =>
  sha(`${intakeId}#${index}`).slice(0, 32);

/**
 * Each attachment goes through the very gate a web upload does (openUploadIntent: claim open,
 * checklist, allowed and plausible type, size) and lands where a presigned upload lands, so the
 * upload verification (magic bytes, SHA-256, quarantine) judges it exactly as it judges a web upload.
 * Document ids derive from the message, so a retried message makes no second document; a document
 * an earlier attempt left in PENDING_UPLOAD gets its file stored again (same key).
 */
export async function submitAttachments(
  claim: Claim,
  attachments: ParsedEmail['attachments'],
  intakeId: string,
  clock: Clock,
): Promise<EmailAttachmentOutcome[]> {
  const product = await loadProduct(claim.productCode);
  const checklist = product?.documentChecklist.map((d) => d.type) ?? [];
  const out: EmailAttachmentOutcome[] = [];
  for (const [i, a] of attachments.entries()) {
    const contentType = contentTypeOf(a.contentType);
    const base = { fileName: a.fileName.slice(0, 200), contentType, size: a.content.length };
    if (DANGEROUS_EXTENSIONS.test(a.fileName)) {
      out.push({ ...base, outcome: 'REFUSED', reason: 'FILE_TYPE_NOT_ALLOWED' });
      continue;
    }
    const documentId = attachmentDocumentId(intakeId, i);
    const earlier = await getDocument(claim.claimId, documentId);
    // Stored by an earlier attempt: the verification has judged it already (or the customer withdrew it).
    if (earlier && earlier.status !== 'PENDING_UPLOAD') {
      out.push({ ...base, outcome: 'SUBMITTED', documentId, docType: earlier.docType });
      continue;
    }
    const docType = earlier?.docType ?? guessDocumentType(a.fileName, contentType, checklist);
    // Still PENDING_UPLOAD: an earlier attempt opened the intent and stopped before (or while)
    // storing the file. Storing it again at the same key is harmless; not storing it would leave a
    // document nobody sees and nothing verifies.
    if (!earlier) {
      try {
        await openUploadIntent(
          claim,
          { docType, fileName: base.fileName, contentType, size: a.content.length },
          { by: 'customer' },
          clock,
          { documentId },
        );
      } catch (e) {
        if (!isDomainError(e)) throw e;
        out.push({ ...base, outcome: 'REFUSED', reason: e.code });
        continue;
      }
    }
    await putAttachment(uploadKey(claim.claimId, documentId), a.content, contentType);
    out.push({ ...base, outcome: 'SUBMITTED', documentId, docType });
  }
  return out;
}

/**
 * The customer's own words in a message on their claim's thread (quoted text and signature already
 * cut): `MESSAGE_POSTED`, or why not — nothing written (attachments only), or the claim's daily
 * message quota reached (the text stays in the raw message).
 */
async function postToThread(
  claim: Claim,
  customer: UserProfile,
  text: string,
  intakeId: string,
  clock: Clock,
) {
  const words = text.trim();
  if (!words) return undefined;
  try {
    await postEmailMessage(claim.claimId, customer, words, intakeId, clock);
    return 'MESSAGE_POSTED';
  } catch (e) {
    if (isDomainError(e)) return `MESSAGE_NOT_POSTED_${e.code}`;
    throw e;
  }
}

/**
 * A reply on a claim waiting for the customer's information answers the open request. An attempt
 * taking over from one that failed after answering (`retried`) finds the request answered with
 * this very text and says so, rather than posting the same words to the thread as well.
 */
async function answerOpenRequest(
  claim: Claim,
  customer: UserProfile,
  text: string,
  retried: boolean,
  clock: Clock,
) {
  const answer = text.slice(0, 2000) || '(email)';
  if (retried && claim.infoRequests?.some((r) => r.status === 'answered' && r.response === answer))
    return true;
  const open = claim.infoRequests?.find((r) => r.status === 'open');
  if (!open || claim.waitingFor !== 'information') return false;
  const principal: Principal = {
    userId: customer.userId,
    username: customer.username,
    roles: ['customer'],
    customerId: customer.customerId,
    email: customer.email,
    locale: customer.locale,
  };
  try {
    await answerInformationRequest(principal, claim.claimId, open.requestId, answer, clock);
    return true;
  } catch (e) {
    if (isDomainError(e)) return false;
    throw e;
  }
}
