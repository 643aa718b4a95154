/**
 * Single-table keys, derived from domain attributes. docs/access-patterns.md lists each access
 * pattern with the key or index it uses; the query functions in this folder are named after them.
 */
export const keys = {
  claim: (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' }),
  claimNumber: (claimNumber: string) => ({ pk: `CLAIMNO#${claimNumber}`, sk: 'CLAIMNO' }),
  event: (claimId: string, seq: number) => ({
    pk: `CLAIM#${claimId}`,
    sk: `EVENT#${String(seq).padStart(8, '0')}`,
  }),
  document: (claimId: string, documentId: string) => ({ pk: `CLAIM#${claimId}`, sk: `DOC#${documentId}` }),
  /** A workflow signal owed by a claim change (the outbox), keyed by the revision that wrote it. */
  signal: (claimId: string, revision: number, index: number) => ({
    pk: `CLAIM#${claimId}`,
    sk: `SIGNAL#${String(revision).padStart(8, '0')}#${String(index).padStart(2, '0')}`,
  }),
  policy: (policyNumber: string) => ({ pk: `POLICY#${policyNumber}`, sk: 'POLICY' }),
  /** One immutable item per version of a policy (its history; claims pin the version they were checked against). */
  policyVersion: (policyNumber: string, version: number) => ({
    pk: `POLICY#${policyNumber}`,
    sk: `V#${String(version).padStart(8, '0')}`,
  }),
  /** A policy file import (counts, checkpoint) and its error report lines. */
  policyImport: (importId: string) => ({ pk: `POLICYIMPORT#${importId}`, sk: 'IMPORT' }),
  policyImportError: (importId: string, line: number, index: number) => ({
    pk: `POLICYIMPORT#${importId}`,
    sk: `ERR#${String(line).padStart(10, '0')}#${String(index).padStart(2, '0')}`,
  }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /**
   * A member of staff's open workload counter, beside the profile (not on it: an audited staff
   * change rewrites the profile item whole, which would reset a counter kept there).
   */
  workload: (staffId: string) => ({ pk: `USER#${staffId}`, sk: 'WORKLOAD' }),
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  /** One item per claim under "same policy, same loss day, same cause": the duplicate check reads it consistently. */
  sameLoss: (policyNumber: string, lossDate: string, cause: string, claimId?: string) => ({
    pk: `SAMELOSS#${policyNumber}#${lossDate}#${cause}`,
    sk: claimId ? `CLAIM#${claimId}` : 'CLAIM#',
  }),
  /** Configuration (`PRODUCT#<code>`, `CALENDAR`, `TEMPLATE#<name>`): one immutable item per version… */
  configVersion: (scope: string, version: number) => ({
    pk: `CONFIG#${scope}`,
    sk: `V#${String(version).padStart(8, '0')}`,
  }),
  /** …and a pointer to the version in force, moved with a condition on the version it replaces. */
  configCurrent: (scope: string) => ({ pk: `CONFIG#${scope}`, sk: 'CURRENT' }),
  /** The admin audit chain (configuration and staff changes) and its head (lastSeq, lastHash, version). */
  adminEvent: (seq: number) => ({ pk: 'AUDIT#ADMIN', sk: `EVENT#${String(seq).padStart(8, '0')}` }),
  adminChainHead: () => ({ pk: 'AUDIT#ADMIN', sk: 'HEAD' }),
  /**
   * A chain's KMS anchor (seq, hash, mac; lambdas/core/audit-anchor.ts), beside the chain it
   * vouches for: a claim's under the claim, the administration chain's beside its head.
   */
  claimAnchor: (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'ANCHOR' }),
  adminChainAnchor: () => ({ pk: 'AUDIT#ADMIN', sk: 'ANCHOR' }),
  /**
   * One lookup item per searchable value of a claim (policy, customer, phone, plate; normalised),
   * newest first: written in the claim's creating transaction, holds only the claim id.
   */
  claimLookup: (kind: string, value: string, submittedAt?: string, claimId?: string) => ({
    pk: `LOOKUP#${kind.toUpperCase()}#${value}`,
    sk: submittedAt && claimId ? `CLAIM#${submittedAt}#${claimId}` : 'CLAIM#',
  }),
  /** One item per e-invoice (seller tax code, template+series, number): the first claim to file it. */
  invoice: (sellerTaxCode: string, series: string, number: string) => ({
    pk: `INVOICE#${sellerTaxCode}#${series}#${number}`,
    sk: 'INVOICE',
  }),
  /** A notification of a claim being or having been sent (one per occasion, channel and recipient). */
  notice: (claimId: string, key: string) => ({ pk: `NOTICE#${claimId}`, sk: key }),
  /** A straight-through payment sampled for post-audit; its GSI2 keys put it in the review queue. */
  postAudit: (claimId: string) => ({ pk: `POSTAUDIT#${claimId}`, sk: 'POSTAUDIT' }),
  /**
   * One item per shared attribute value (`DOC` file SHA-256, `BANK` account fingerprint,
   * `PHONE` / `EMAIL` / `PLATE` SHA-256 of the normalised value), holding the claims that share it
   * (one attribute `c_<claimId>` each): the fraud links across customers, read for all of a
   * claim's values in one BatchGet.
   */
  claimLinks: (kind: string, value: string) => ({ pk: `LINKS#${kind}#${value}`, sk: 'LINKS' }),
  /**
   * The call centre's directory: one pointer per customer under a normalised phone, policy number,
   * plate, e-mail or full name (lambdas/core/customer-directory.ts).
   */
  customerDirectory: (kind: string, value: string, customerId?: string) => ({
    pk: `FIND#${kind.toUpperCase()}#${value}`,
    sk: customerId ? `CUSTOMER#${customerId}` : 'CUSTOMER#',
  }),
  /** A claim referred to the SIU; its GSI2 keys put it in the SIU queue of its status. */
  siuCase: (claimId: string) => ({ pk: `SIUCASE#${claimId}`, sk: 'SIUCASE' }),
} as const;

/** Configuration scopes under `CONFIG#`. */
export const configScopes = {
  product: (code: string) => `PRODUCT#${code}`,
  calendar: 'CALENDAR',
  template: (name: string) => `TEMPLATE#${name}`,
  /** Per-caller write quotas (core/quotas.ts). */
  quotas: 'QUOTAS',
} as const;

/** GSI2 attributes of a customer's profile: byCustomerId (the registered contact of a claim's customer). */
export const customerProfileIndexKeys = (customerId: string) => ({
  gsi2pk: `CUSTOMERPROFILE#${customerId}`,
  gsi2sk: 'USER',
});

/** GSI1 attributes of a user profile: byUsername (the local token endpoint signs in by username). */
export const usernameIndexKeys = (username: string) => ({ gsi1pk: `USERNAME#${username}`, gsi1sk: 'USER' });

export const prefixes = {
  event: 'EVENT#',
  signal: 'SIGNAL#',
  document: 'DOC#',
  customerClaim: 'CLAIM#',
  customerPolicy: 'POLICY#',
  configVersion: 'V#',
  adminEvent: 'EVENT#',
  policyVersion: 'V#',
  policyImportError: 'ERR#',
} as const;

/** GSI1 attributes of a policy import: the console's list, newest first. */
export const policyImportIndexKeys = (startedAt: string, importId: string) => ({
  gsi1pk: 'POLICYIMPORTS',
  gsi1sk: `${startedAt}#${importId}`,
});

/** GSI attributes of a claim: byCustomer, byQueue (status + deadline), byAssignee, byPolicy. */
export function claimIndexKeys(c: {
  claimId: string;
  customerId: string;
  policyNumber: string;
  status: string;
  submittedAt: string;
  lossAt: string;
  nextDeadline?: { dueAt: string };
  assignee?: { staffId: string };
}) {
  const due = c.nextDeadline?.dueAt ?? '9999-12-31T00:00:00.000Z';
  return {
    gsi1pk: `CUSTOMER#${c.customerId}`,
    gsi1sk: `CLAIM#${c.submittedAt}#${c.claimId}`,
    gsi2pk: `STATUS#${c.status}`,
    gsi2sk: `${due}#${c.claimId}`,
    ...(c.assignee ? { gsi3pk: `ASSIGNEE#${c.assignee.staffId}`, gsi3sk: `${due}#${c.claimId}` } : {}),
    gsi4pk: `POLICY#${c.policyNumber}`,
    gsi4sk: `CLAIM#${c.lossAt}#${c.claimId}`,
  };
}

export const policyIndexKeys = (p: { customerId: string; policyNumber: string }) => ({
  gsi1pk: `CUSTOMER#${p.customerId}`,
  gsi1sk: `POLICY#${p.policyNumber}`,
});

export const documentHashKeys = (sha256: string, claimId: string, documentId: string) => ({
  gsi3pk: `DOCHASH#${sha256}`,
  gsi3sk: `CLAIM#${claimId}#DOC#${documentId}`,
});

/**
 * GSI2 attributes of a signal not yet delivered (a sparse index entry, removed on delivery): the
 * operator's list of claims whose workflow is behind what the claim says, oldest first.
 */
export const pendingSignalIndexKeys = (
  createdAt: string,
  claimId: string,
  revision: number,
  index: number,
) => ({
  gsi2pk: 'SIGNAL#PENDING',
  gsi2sk: `${createdAt}#${claimId}#${String(revision).padStart(8, '0')}#${String(index).padStart(2, '0')}`,
});

/** GSI2 attributes of a post-audit item: the queue of one status, oldest sample first. */
export const postAuditIndexKeys = (status: string, sampledAt: string, claimId: string) => ({
  gsi2pk: `POSTAUDIT#${status.toUpperCase()}`,
  gsi2sk: `${sampledAt}#${claimId}`,
});

/** GSI2 attributes of an SIU case: the SIU queue of one status, oldest referral first. */
export const siuIndexKeys = (status: string, referredAt: string, claimId: string) => ({
  gsi2pk: `SIU#${status.toUpperCase()}`,
  gsi2sk: `${referredAt}#${claimId}`,
});

const KEY_ATTRS = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'entity',
];

/** Removes storage-only attributes before an item leaves the adapter. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.includes(k)) out[k] = v;
  return out as T;
}

/**
 * Finance: payout lines, payment batches and bank reconciliations. A payout's GSI4 entry says where
 * it is: `PAYOUTS#AWAITING` (sparse queue, oldest first) until a batch takes it, then `BATCH#<id>`.
 */
export const financeKeys = {
  /** The final payout of a claim (`sk = PAYOUT`) or its n-th advance (`sk = ADVANCE#<n>`). */
  payout: (claimId: string, advance?: number) => ({
    pk: `PAYOUT#${claimId}`,
    sk: advance === undefined ? 'PAYOUT' : `ADVANCE#${String(advance).padStart(3, '0')}`,
  }),
  payoutsAwaiting: (queuedAt: string, payoutId: string) => ({
    gsi4pk: 'PAYOUTS#AWAITING',
    gsi4sk: `${queuedAt}#${payoutId}`,
  }),
  payoutInBatch: (batchId: string, payoutId: string) => ({ gsi4pk: `BATCH#${batchId}`, gsi4sk: payoutId }),
  batch: (batchId: string) => ({ pk: `BATCH#${batchId}`, sk: 'BATCH' }),
  batchesByDate: (createdAt: string, batchId: string) => ({
    gsi1pk: 'BATCHES',
    gsi1sk: `${createdAt}#${batchId}`,
  }),
  reconciliation: (reconId: string) => ({ pk: `RECON#${reconId}`, sk: 'RECON' }),
  reconciliationLine: (reconId: string, line: number) => ({
    pk: `RECON#${reconId}`,
    sk: `LINE#${String(line).padStart(6, '0')}`,
  }),
  reconciliationsByDate: (createdAt: string, reconId: string) => ({
    gsi1pk: 'RECONCILIATIONS',
    gsi1sk: `${createdAt}#${reconId}`,
  }),
} as const;

/**
 * Claims by email: one item per received message, keyed by a hash of its Message-ID (written once,
 * conditionally: the same message delivered twice is processed once); open intake records are on
 * GSI2 `INTAKE#OPEN`, oldest first. Replies per sender and hour are counted under `REPLYRATE#`.
 * A message's content identity (what its sender signed, whatever Message-ID it carries) names the
 * first message that had it under `EMAILCONTENT#`.
 */
export const emailKeys = {
  message: (intakeId: string) => ({ pk: `EMAIL#${intakeId}`, sk: 'EMAIL' }),
  content: (identity: string) => ({ pk: `EMAILCONTENT#${identity}`, sk: 'EMAILCONTENT' }),
  openIntake: (receivedAt: string, intakeId: string) => ({
    gsi2pk: 'INTAKE#OPEN',
    gsi2sk: `${receivedAt}#${intakeId}`,
  }),
  /** Messages ignored as a machine's (auto-replies, bulk, bounces, loops), for staff to look through. */
  ignored: (receivedAt: string, intakeId: string) => ({
    gsi2pk: 'INTAKE#IGNORED',
    gsi2sk: `${receivedAt}#${intakeId}`,
  }),
  replyRate: (sender: string, hour: string) => ({ pk: `REPLYRATE#${sender}`, sk: `HOUR#${hour}` }),
} as const;

/** GSI4 attributes of a customer's profile: byContactEmail (who a received email is from). */
export const customerEmailIndexKeys = (email: string, userId: string) => ({
  gsi4pk: `CONTACT#EMAIL#${email.trim().toLowerCase()}`,
  gsi4sk: `USER#${userId}`,
});
