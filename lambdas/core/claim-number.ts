/**
 * Human-friendly claim numbers: `BT-<year>-<6-digit sequence>` ("BT" = bồi thường, indemnity). The
 * sequence restarts every business year and comes from an atomic counter in the table.
 */
export function formatClaimNumber(year: number, seq: number): string {
  return `BT-${year}-${String(seq).padStart(6, '0')}`;
}

export const CLAIM_NUMBER_PATTERN = /^BT-\d{4}-\d{6,}$/;
