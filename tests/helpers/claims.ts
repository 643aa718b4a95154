import { randomUUID } from 'node:crypto';
import { pdfBytes, pngBytes, presignedPost } from './files.ts';
import { makeClaimRequest } from './factories.ts';
import { type Api, eventually } from './api.ts';
import type { SubmitClaimInput } from '../../lambdas/core/claim.ts';
import { userIdFor } from '../../local/demo-data.ts';

/** Scenario helpers over the real API: file a claim, send its documents, wait for the workflow. */
export const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3600_000).toISOString().replace('Z', '+00:00');

export async function fileClaim(api: Api, overrides: Partial<SubmitClaimInput> = {}) {
  const r = await api.post('/claims', makeClaimRequest({ lossAt: hoursAgo(3), ...overrides }), {
    'idempotency-key': randomUUID(),
  });
  if (r.status !== 201) throw new Error(`filing failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { claimId: string; claimNumber: string };
}

export async function getClaim(api: Api, claimId: string) {
  const r = await api.get(`/claims/${claimId}`);
  if (r.status !== 200) throw new Error(`get failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Waits until the claim satisfies `ready` (e.g. the workflow parked it). */
export async function until(api: Api, claimId: string, ready: (c: any) => boolean, timeoutMs = 10_000) {
  let last: any;
  try {
    return await eventually(async () => {
      last = await getClaim(api, claimId);
      return ready(last) ? last : undefined;
    }, timeoutMs);
  } catch (e) {
    // Say where the claim stood, so a timeout in CI can be diagnosed from the log alone.
    const seen = last && {
      status: last.status,
      waitingFor: last.waitingFor,
      siu: last.siu?.status,
      score: last.fraud?.score,
      flags: last.fraudIndicators?.map((f: { code: string }) => f.code),
      straightThrough: last.straightThrough?.reasons,
      missing: last.missingDocuments,
      timeline: last.timeline?.slice(-6).map((t: { type: string }) => t.type),
    };
    throw new Error(`${(e as Error).message}; last seen ${JSON.stringify(seen)}`);
  }
}

export const parked =
  (waitingFor = 'assessment') =>
  (c: any) =>
    c.waitingFor === waitingFor;

/** Files a claim as `customer` and waits until the workflow parks it for assessment (as `staff` sees it). */
export async function fileParked(
  customer: Api,
  staff: Api,
  overrides: Partial<SubmitClaimInput> = {},
  timeoutMs?: number,
) {
  const filed = await fileClaim(customer, overrides);
  await until(staff, filed.claimId, parked(), timeoutMs);
  return filed;
}

/** `by` (a supervisor) assigns the claim, at its current version, to the demo user `username`. */
export async function assignTo(by: Api, claimId: string, username: string, reason = 'Đúng địa bàn') {
  const c = await getClaim(by, claimId);
  return by.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdFor(username),
    reason,
  });
}

/** The rejection the suites decide with: a motor policy's licence clause. */
export const LICENCE_REJECTION = [
  { clause: 'Điều 12.3 Quy tắc bảo hiểm xe cơ giới', text: 'Lái xe không có giấy phép hợp lệ.' },
];

/** Once the claim is parked in `handler`'s hands, they reject it (LICENCE_REJECTION); the API's answer. */
export async function rejectClaim(handler: Api, claimId: string) {
  const c = await until(handler, claimId, parked());
  return handler.post(`/claims/${claimId}/decision`, {
    outcome: 'reject',
    expectedVersion: c.version,
    reasons: LICENCE_REJECTION,
  });
}

/**
 * Uploads one real file per missing required document and waits until each is verified: a PNG,
 * or for the types in `declared` a PDF naming the claim (unique bytes) with that declared amount.
 */
export async function uploadMissingDocuments(
  api: Api,
  claimId: string,
  seed = 1,
  declared: Partial<Record<string, number>> = {},
) {
  const c = await getClaim(api, claimId);
  let i = 0;
  for (const docType of c.missingDocuments as string[]) {
    i += 1;
    const amount = declared[docType];
    const pdf = amount !== undefined;
    const bytes = pdf ? pdfBytes(`${docType} ${claimId}`) : pngBytes(3, 3, [seed % 255, i * 20, 90]);
    const contentType = pdf ? 'application/pdf' : 'image/png';
    const fileName = `${docType}.${pdf ? 'pdf' : 'png'}`;
    const r = await api.post(`/claims/${claimId}/documents`, {
      docType,
      fileName,
      contentType,
      size: bytes.length,
      ...(pdf ? { declaredAmount: amount } : {}),
    });
    if (r.status !== 201) throw new Error(`upload intent failed: ${r.status} ${JSON.stringify(r.body)}`);
    const up = await presignedPost(r.body.upload, bytes, contentType, fileName);
    if (up.status >= 300) throw new Error(`upload failed: ${up.status} ${await up.text()}`);
  }
  return until(api, claimId, (x) => x.missingDocuments.length === 0);
}
