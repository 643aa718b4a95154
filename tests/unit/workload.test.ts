import { describe, expect, it } from 'vitest';
import { workloadChanges, workloadOwner } from '../../lambdas/core/lifecycle.ts';

/** The open-workload counters move exactly as the assignee index's on-desk count does. */
describe('workload changes of a claim change', () => {
  const on = (staffId: string, status = 'UNDER_ASSESSMENT' as const) => ({ status, assignee: { staffId } });

  it('counts a claim for its assignee only while it is on a desk', () => {
    expect(workloadOwner(on('a'))).toBe('a');
    expect(workloadOwner({ status: 'PAID', assignee: { staffId: 'a' } })).toBeUndefined();
    expect(workloadOwner({ status: 'SUBMITTED' })).toBeUndefined();
    expect(workloadOwner(undefined)).toBeUndefined();
  });

  it('moves one up on assignment, one down and one up on reassignment, one down when closed', () => {
    expect(workloadChanges({ status: 'SUBMITTED' }, on('a'))).toEqual([{ staffId: 'a', delta: 1 }]);
    expect(workloadChanges(on('a'), on('b'))).toEqual([
      { staffId: 'a', delta: -1 },
      { staffId: 'b', delta: 1 },
    ]);
    expect(workloadChanges(on('a'), { status: 'CLOSED', assignee: { staffId: 'a' } })).toEqual([
      { staffId: 'a', delta: -1 },
    ]);
    expect(workloadChanges({ status: 'CLOSED', assignee: { staffId: 'a' } }, on('a'))).toEqual([
      { staffId: 'a', delta: 1 },
    ]);
    expect(workloadChanges(on('a'), on('a'))).toEqual([]);
    expect(workloadChanges(undefined, { status: 'SUBMITTED' })).toEqual([]);
  });
});
