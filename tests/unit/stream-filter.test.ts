import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { OWN_EVENTS } from '../../lambdas/app/claim-events.ts';
import { QUIET_EVENT_TYPES } from '../../lambdas/shared/table-definition.ts';
import { isStreamedInsert } from '../../local/stream-poller.ts';

const record = (eventName: 'INSERT' | 'MODIFY', image: Record<string, string>): _Record => ({
  eventName,
  dynamodb: { NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) },
});

describe('table-stream filter (one definition for CDK and the local poller)', () => {
  it('passes claim events the processor reacts to, and workflow signals', () => {
    expect(isStreamedInsert(record('INSERT', { entity: 'ClaimEvent', type: 'ClaimSubmitted' }))).toBe(true);
    expect(isStreamedInsert(record('INSERT', { entity: 'ClaimEvent', type: 'DossierCompleted' }))).toBe(true);
    expect(isStreamedInsert(record('INSERT', { entity: 'WorkflowSignal' }))).toBe(true);
  });

  it('passes a calendar change (the administration event that owes the deadlines their re-planning)', () => {
    expect(isStreamedInsert(record('INSERT', { entity: 'AdminEvent', type: 'CalendarChanged' }))).toBe(true);
  });

  it('drops the deadline bookkeeping the processor writes itself, updates and other items', () => {
    for (const type of QUIET_EVENT_TYPES) {
      expect(isStreamedInsert(record('INSERT', { entity: 'ClaimEvent', type })), type).toBe(false);
    }
    expect(isStreamedInsert(record('MODIFY', { entity: 'ClaimEvent', type: 'ClaimSubmitted' }))).toBe(false);
    expect(isStreamedInsert(record('INSERT', { entity: 'Claim', type: 'ClaimSubmitted' }))).toBe(false);
    expect(isStreamedInsert(record('INSERT', {}))).toBe(false);
  });

  it('drops only events the processor ignores; of its own events only breaches come through (to be counted)', () => {
    const own = [...OWN_EVENTS];
    expect(own).toEqual(expect.arrayContaining([...QUIET_EVENT_TYPES]));
    expect(own.filter((t) => !(QUIET_EVENT_TYPES as readonly string[]).includes(t))).toEqual([
      'DeadlineBreached',
    ]);
    expect(isStreamedInsert(record('INSERT', { entity: 'ClaimEvent', type: 'DeadlineBreached' }))).toBe(true);
  });
});
