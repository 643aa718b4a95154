import { DEMO_USERS } from '../../local/demo-data.ts';
import { PRIVACY_NOTICE_VERSION } from '../../lambdas/core/privacy-notice.ts';
import type { UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { ROLES, type Role } from '../../lambdas/shared/roles.ts';
import { type Api, apiAs } from './api.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from './claims.ts';

/**
 * The world the security suites attack, built through the API only: two customers with a claim
 * each, the first one assigned to an adjuster, carrying a verified document, a proposed
 * inspection and an open information request, so every path parameter has a real value.
 */

/** One demo user per role (the first one holding it), and an adjuster who does not handle claim A. */
export function userFor(role: Role): UserProfile {
  const u = DEMO_USERS.find((x) => x.roles.includes(role));
  if (!u) throw new Error(`no demo user holds ${role}`);
  return u;
}

export const ROLE_USERS = Object.fromEntries(ROLES.map((r) => [r, userFor(r)])) as Record<Role, UserProfile>;

export const OWNER = ROLE_USERS.customer;
/** Another customer: owns claim B, never claim A. */
export const OTHER_CUSTOMER = DEMO_USERS.find(
  (u) => u.roles.includes('customer') && u.customerId && u.customerId !== OWNER.customerId,
) as UserProfile;
export const ASSIGNEE = ROLE_USERS.adjuster;
/** An adjuster without the supervisor role who is not claim A's assignee. */
export const UNASSIGNED_ADJUSTER = DEMO_USERS.find(
  (u) => u.roles.includes('adjuster') && !u.roles.includes('supervisor') && u.userId !== ASSIGNEE.userId,
) as UserProfile;

/** A valid property claim on the other customer's policy (claim B). */
export function otherCustomerReport() {
  return {
    policyNumber: 'PRO-2026-0001',
    cause: 'storm' as const,
    lossAt: hoursAgo(30),
    lossPlace: { address: '12 Nguyễn Huệ, Quận 1', province: 'Hồ Chí Minh' },
    description: 'Bão làm tốc mái tôn và hỏng trần thạch cao phòng khách.',
    facts: {
      kind: 'property' as const,
      policeAttended: false,
      items: [{ description: 'Mái tôn', estimatedAmount: 12_000_000 }],
    },
    estimatedAmount: { amount: 12_000_000, currency: 'VND' as const },
    contact: { phone: '0987654321', email: 'binh.tran@example.vn' },
    payoutAccount: {
      bankName: 'Techcombank',
      accountNumber: '19033344455566',
      accountHolder: 'TRAN THI BINH',
    },
    privacyNotice: PRIVACY_NOTICE_VERSION,
  };
}

export interface SecurityWorld {
  apiUrl: string;
  as: (username: string) => Promise<Api>;
  claimA: { claimId: string; claimNumber: string };
  claimB: { claimId: string; claimNumber: string };
  documentId: string;
  requestId: string;
  inspectionId: string;
}

const clients = new Map<string, Promise<Api>>();

export async function buildWorld(apiUrl: string): Promise<SecurityWorld> {
  const as = (username: string) => {
    let c = clients.get(`${apiUrl} ${username}`);
    if (!c) {
      c = apiAs(apiUrl, username);
      clients.set(`${apiUrl} ${username}`, c);
    }
    return c;
  };
  const [owner, other, supervisor, assignee] = await Promise.all([
    as(OWNER.username),
    as(OTHER_CUSTOMER.username),
    as(ROLE_USERS.supervisor.username),
    as(ASSIGNEE.username),
  ]);
  // A day and cause of its own, so the duplicate check of other suites stays quiet.
  const claimA = await fileClaim(owner, { cause: 'vandalism', lossAt: hoursAgo(80) });
  const b = await other.post('/claims', otherCustomerReport(), { 'idempotency-key': crypto.randomUUID() });
  if (b.status !== 201) throw new Error(`claim B: ${b.status} ${JSON.stringify(b.body)}`);
  const claimB = { claimId: b.body.claimId as string, claimNumber: b.body.claimNumber as string };

  await until(supervisor, claimA.claimId, parked(), 20_000);
  const withDocs = await uploadMissingDocuments(owner, claimA.claimId, 7);
  const documentId = (withDocs.documents as { documentId: string; status: string }[]).find(
    (d) => d.status === 'VERIFIED',
  )?.documentId;
  if (!documentId) throw new Error('no verified document on claim A');

  let c = await getClaim(supervisor, claimA.claimId);
  const assigned = await supervisor.post(`/claims/${claimA.claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: ASSIGNEE.userId,
    reason: 'Security suite fixture',
  });
  if (assigned.status !== 200) throw new Error(`assign: ${assigned.status} ${JSON.stringify(assigned.body)}`);

  c = await until(supervisor, claimA.claimId, parked(), 20_000);
  const at = new Date(Date.now() + 5 * 86_400_000);
  at.setUTCMinutes(0, 0, 0);
  const inspection = await assignee.post(`/claims/${claimA.claimId}/inspections`, {
    expectedVersion: c.version,
    at: at.toISOString(),
    place: 'Gara Thành Công, 120 Trường Chinh, Hà Nội',
  });
  if (inspection.status !== 201)
    throw new Error(`inspection: ${inspection.status} ${JSON.stringify(inspection.body)}`);

  c = await getClaim(supervisor, claimA.claimId);
  const ask = await assignee.post(`/claims/${claimA.claimId}/info-requests`, {
    expectedVersion: c.version,
    message: 'Vui lòng gửi ảnh toàn cảnh hiện trường.',
    documents: ['damage_photos'],
  });
  if (ask.status !== 201) throw new Error(`info request: ${ask.status} ${JSON.stringify(ask.body)}`);
  await until(supervisor, claimA.claimId, parked('information'), 20_000);

  return {
    apiUrl,
    as,
    claimA,
    claimB,
    documentId,
    requestId: ask.body.infoRequest.requestId,
    inspectionId: inspection.body.inspection.inspectionId,
  };
}
