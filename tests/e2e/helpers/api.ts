import { randomUUID } from 'node:crypto';
import type { SubmitClaimInput } from '../../../lambdas/core/claim.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../lambdas/core/privacy-notice.ts';
import type { DocumentType } from '../../../lambdas/core/products.ts';
import { eventually as poll, tokenFor } from '../../helpers/api.ts';
import { pdfBytes, pngBytes, presignedPost } from '../../helpers/files.ts';

/**
 * API shortcuts for e2e setup: sign in as a demo user, file a claim as the customer and upload its
 * documents, so the browser tests can spend their time on the staff actions under test.
 */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface Api {
  username: string;
  token: string;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export async function apiAs(apiUrl: string, username: string): Promise<Api> {
  const token = await tokenFor(apiUrl, username);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: r.status, body: parsed as any };
  };
  return {
    username,
    token,
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
  };
}

/**
 * Polls until `check` returns something other than undefined, or fails naming `what` with the last
 * error seen: the shared poller (tests/helpers/api.ts), with the browser suites' longer wait.
 */
export const eventually = <T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> => poll(check, timeoutMs, everyMs, what);

/** A calendar date in Vietnam `daysAgo` days before today, as YYYY-MM-DD. */
export const vietnamDate = (daysAgo: number) =>
  new Date(Date.now() + 7 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

/**
 * A motor own-damage report on an.nguyen's MOT-2026-0001 in Hà Nội (assigned to a Hà Nội motor
 * adjuster). Vary `daysAgo` or `cause` between claims: same policy + date + cause is flagged as a
 * possible duplicate, which (rightly) stops straight-through processing.
 */
export function motorReport(o: {
  amount: number;
  daysAgo: number;
  cause?: SubmitClaimInput['cause'];
  time?: string;
}): SubmitClaimInput {
  return {
    policyNumber: 'MOT-2026-0001',
    lossAt: `${vietnamDate(o.daysAgo)}T${o.time ?? '08:30'}:00+07:00`,
    lossPlace: { address: 'Ngã tư Láng Hạ – Thái Hà, phường Láng', province: 'Hà Nội' },
    cause: o.cause ?? 'collision',
    description: 'Xe bị xe máy va vào cửa sau bên phải khi dừng đèn đỏ.',
    facts: { kind: 'motor', vehiclePlate: '30A-123.45', driverName: 'Nguyễn Văn An', policeAttended: false },
    estimatedAmount: { amount: o.amount, currency: 'VND' },
    contact: { phone: '0912345678', email: 'an.nguyen@example.vn' },
    payoutAccount: {
      bankName: 'Vietcombank',
      accountNumber: '0011004455667',
      accountHolder: 'Nguyễn Văn An',
    },
    locale: 'vi',
    privacyNotice: PRIVACY_NOTICE_VERSION,
  };
}

export interface FiledClaim {
  claimId: string;
  claimNumber: string;
}

/** Files a claim as the customer (POST /claims with a fresh Idempotency-Key). */
export async function fileClaim(customer: Api, report: SubmitClaimInput): Promise<FiledClaim> {
  const r = await customer.post('/claims', report, { 'Idempotency-Key': randomUUID() });
  if (r.status !== 201) throw new Error(`POST /claims: ${r.status} ${JSON.stringify(r.body)}`);
  return { claimId: r.body.claimId, claimNumber: r.body.claimNumber };
}

/**
 * Uploads one small, real file per document type (PDF for letters and invoices, PNG otherwise) and
 * waits for each; `declared` gives the invoice total declared with an invoice (what straight-through pays on).
 */
export async function uploadDocuments(
  customer: Api,
  claimId: string,
  types: readonly DocumentType[],
  declared: Partial<Record<DocumentType, number>> = {},
) {
  for (const docType of types) {
    const isPdf = docType === 'claim_letter' || docType === 'repair_invoice';
    const bytes = isPdf
      ? pdfBytes(`${docType} ${claimId}`)
      : pngBytes(8, 8, [40, 90 + types.indexOf(docType) * 20, 160]);
    const contentType = isPdf ? 'application/pdf' : 'image/png';
    const fileName = `${docType}.${isPdf ? 'pdf' : 'png'}`;
    const ticket = await customer.post(`/claims/${claimId}/documents`, {
      docType,
      fileName,
      contentType,
      size: bytes.length,
      ...(declared[docType] !== undefined ? { declaredAmount: declared[docType] } : {}),
    });
    if (ticket.status !== 201)
      throw new Error(`upload ticket ${docType}: ${ticket.status} ${JSON.stringify(ticket.body)}`);
    const res = await presignedPost(ticket.body.upload, bytes, contentType, fileName);
    if (!res.ok) throw new Error(`presigned POST ${docType}: ${res.status}`);
    await eventually(`${docType} verified`, async () => {
      const c = await customer.get(`/claims/${claimId}`);
      const doc = (c.body.documents as { documentId: string; status: string }[]).find(
        (d) => d.documentId === ticket.body.documentId,
      );
      return doc && doc.status !== 'PENDING_UPLOAD' ? doc : undefined;
    });
  }
}

/** The documents MOTOR_OD requires when the police did not attend. */
export const MOTOR_DOCUMENTS: DocumentType[] = [
  'claim_letter',
  'vehicle_registration',
  'driving_licence',
  'insurance_certificate',
  'damage_photos',
  'repair_invoice',
];

/**
 * Polls the claim until `done` accepts it. A timeout says where the claim stood when the wait gave
 * up (status, what the workflow waits for, its checks and last events), so a failure in CI can be
 * read from the log alone.
 */
async function waitForClaim(
  api: Api,
  claimId: string,
  what: string,
  done: (claim: any) => boolean,
  timeoutMs: number,
) {
  let last: any;
  try {
    return await eventually(
      `claim ${claimId} ${what}`,
      async () => {
        const c = await api.get(`/claims/${claimId}`);
        last = c.body;
        return done(c.body) ? c.body : undefined;
      },
      timeoutMs,
    );
  } catch (e) {
    const seen = last
      ? {
          status: last.status,
          waitingFor: last.waitingFor,
          missingDocuments: last.missingDocuments,
          checks: (last.checks ?? []).filter((x: { outcome?: string }) => x.outcome !== 'pass'),
          fraudIndicators: last.fraudIndicators?.map((f: { code: string }) => f.code),
          lastEvents: (last.timeline ?? []).slice(-8).map((x: { type: string }) => x.type),
        }
      : 'no answer';
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify(seen)}`);
  }
}

/** Waits until the workflow has parked the claim for a person (or settled it), and returns it. */
export const waitForStatus = (api: Api, claimId: string, statuses: readonly string[], timeoutMs = 20_000) =>
  waitForClaim(api, claimId, `in ${statuses.join('|')}`, (c) => statuses.includes(c?.status), timeoutMs);

/** Waits until the claim's workflow waits for `what` (assessment, information, supervisor…). */
export const waitForWaiting = (api: Api, claimId: string, what: string, timeoutMs = 20_000) =>
  waitForClaim(api, claimId, `waiting for ${what}`, (c) => c?.waitingFor === what, timeoutMs);
