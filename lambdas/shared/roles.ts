/** Cognito groups, one per role. Staff may hold several; customers hold only `customer`. */
export const ROLES = [
  'customer',
  'adjuster',
  'supervisor',
  'underwriting',
  'legal',
  'finance',
  'siu',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'customer');
export const CLAIM_HANDLERS: readonly Role[] = ['adjuster', 'supervisor'];
/** Everyone on the insurer's side who may read a claim file. */
export const CLAIM_READERS: readonly Role[] = [
  'adjuster',
  'supervisor',
  'underwriting',
  'legal',
  'finance',
  'siu',
  'admin',
];
