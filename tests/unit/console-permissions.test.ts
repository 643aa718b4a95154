import { describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/shared/roles.ts';
import { departmentsOf, votableDepartments } from '../../web/console/src/permissions.ts';

describe('the console offers the votes the API takes', () => {
  const round = {
    route: 'joint' as const,
    round: 1,
    status: 'open' as const,
    requestedBy: { id: 'adj-1', role: 'adjuster' as const },
    departments: ['claims', 'underwriting', 'legal'] as const,
    votes: [],
  };
  const claim = { status: 'JOINT_REVIEW' as const, approvals: [round] } as never;

  it('offers a member of staff placed in a voting department that department only', () => {
    const both: { userId: string; roles: Role[] } = { userId: 'u1', roles: ['supervisor', 'legal'] };
    expect(
      departmentsOf({ ...both, staff: { authorityLimit: 0, active: true, department: 'legal' } }),
    ).toEqual(['legal']);
    expect(
      votableDepartments({ ...both, staff: { authorityLimit: 0, active: true, department: 'legal' } }, claim),
    ).toEqual(['legal']);
    // No department on the profile (or one that does not vote): the roles decide, as before.
    expect(departmentsOf({ roles: ['supervisor', 'legal'] })).toEqual(['claims', 'legal']);
    expect(
      departmentsOf({
        roles: ['supervisor', 'legal'],
        staff: { authorityLimit: 0, active: true, department: 'siu' },
      }),
    ).toEqual(['claims', 'legal']);
  });
});
