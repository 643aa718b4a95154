/**
 * What one shared attribute value (a phone, an e-mail, a plate, a bank account, a document file)
 * records and shows of the claims filed under it: the rules behind the fraud links, apart from
 * the `LINKS#` items that store them (adapters/dynamo/fraud-repo.ts).
 */

/** A claim under a value, as far as these rules look at it. */
export interface LinkedClaim {
  claimId: string;
  customerId: string;
}

/**
 * Claims a value takes from any customer. Past it a value takes only claims of customers it does
 * not hold yet: a busy garage's phone stops growing with one customer's claims, but a customer new
 * to the value is still recorded, or a ring would hide behind one customer's 50 claims.
 */
export const CLAIMS_PER_LINK = 50;
/** The most claims a value ever holds (a `LINKS#` item stays well under DynamoDB's 400 KB). */
export const MAX_CLAIMS_PER_LINK = 200;
/** Other customers' claims shown per value (a busy garage's phone is not a ring). */
export const LINKS_PER_ATTRIBUTE = 20;

/** Whether `claim` is added under a value that holds `entries`. */
export function recordsClaim(entries: readonly LinkedClaim[], claim: LinkedClaim): boolean {
  if (entries.some((e) => e.claimId === claim.claimId)) return false; // already there
  if (entries.length < CLAIMS_PER_LINK) return true;
  return entries.length < MAX_CLAIMS_PER_LINK && !entries.some((e) => e.customerId === claim.customerId);
}

/**
 * Other customers' claims under a value, the first {@link LINKS_PER_ATTRIBUTE} in the order given
 * (claim-id order from the store): the customer's own claims are left out before the page is cut,
 * so they never crowd another customer's claim out of view.
 */
export function otherCustomersClaims<E extends LinkedClaim>(entries: readonly E[], customerId: string): E[] {
  return entries.filter((e) => e.customerId !== customerId).slice(0, LINKS_PER_ATTRIBUTE);
}
