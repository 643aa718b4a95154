import { describe, expect, it } from 'vitest';
import {
  AUDIT_ANCHOR_GRACE_MS,
  anchorMessage,
  claimAuditChain,
  judgeAnchor,
  nextAnchor,
} from '../../lambdas/core/audit-anchor.ts';
import {
  type ClaimEvent,
  GENESIS_HASH,
  type NewEvent,
  sealEvents,
  verifyChain,
} from '../../lambdas/core/events.ts';

const at = new Date('2026-11-21T02:00:00Z');
const note = (text: string): NewEvent => ({ type: 'NoteAdded', actor: { kind: 'system' }, data: { text } });
const chain = sealEvents('c1', 0, GENESIS_HASH, [note('a'), note('b'), note('c'), note('d')], at);
const point = (e: ClaimEvent) => ({ seq: e.seq, hash: e.hash });
/** The chain rewritten from event 2 on, every hash recomputed (what a table-level rewrite does). */
const rewritten = [chain[0]!, ...sealEvents('c1', 1, chain[0]!.hash, [note('B'), note('c'), note('d')], at)];

describe('nextAnchor (how far the anchorer may move a chain’s anchor)', () => {
  it('anchors a new chain at its newest event', () => {
    expect(nextAnchor(undefined, chain.slice(0, 2))).toEqual({ kind: 'extend', head: point(chain[1]!) });
  });

  it('extends an anchor over events that continue it, and skips those already anchored (redelivery)', () => {
    expect(nextAnchor(point(chain[1]!), chain)).toEqual({ kind: 'extend', head: point(chain[3]!) });
    expect(nextAnchor(point(chain[3]!), chain)).toEqual({ kind: 'current' });
  });

  it('asks for the events between the anchor and those delivered', () => {
    expect(nextAnchor(point(chain[0]!), chain.slice(3))).toEqual({ kind: 'gap', fromSeq: 2, toSeq: 3 });
  });

  it('refuses to build on a rewritten chain, even one the application appended to since', () => {
    const appended = sealEvents('c1', 4, rewritten[3]!.hash, [note('e')], at);
    expect(nextAnchor(point(chain[3]!), appended)).toEqual({
      kind: 'refuse',
      seq: 5,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
    expect(nextAnchor(point(chain[0]!), rewritten)).toMatchObject({ kind: 'extend' });
    expect(nextAnchor(point(chain[1]!), rewritten.slice(2))).toMatchObject({ kind: 'refuse', seq: 3 });
  });

  it('refuses an event whose hash does not cover its content', () => {
    const edited = { ...chain[1]!, data: { text: 'x' } };
    expect(nextAnchor(point(chain[0]!), [edited])).toEqual({
      kind: 'refuse',
      seq: 2,
      reason: 'CONTENT_ALTERED',
    });
  });

  it('never anchors an existing chain that has no anchor (its anchor deleted, or older than anchoring)', () => {
    expect(nextAnchor(undefined, chain.slice(2))).toEqual({
      kind: 'refuse',
      seq: 3,
      reason: 'NO_ANCHOR_TO_EXTEND',
    });
  });
});

describe('judgeAnchor (verification with the anchor)', () => {
  const now = new Date(at.getTime() + 60_000);
  const later = new Date(at.getTime() + AUDIT_ANCHOR_GRACE_MS + 1);
  const ok = verifyChain(chain);

  it('keeps the chain’s verdict and says how far it is anchored', () => {
    const anchor = { ...point(chain[3]!), macValid: true };
    expect(judgeAnchor(chain, ok, anchor, later)).toEqual({ verdict: ok, anchoredSeq: 4 });
  });

  it('reports a forged anchor (KMS did not make its MAC)', () => {
    const anchor = { ...point(chain[3]!), macValid: false };
    expect(judgeAnchor(chain, ok, anchor, now).verdict).toEqual({
      ok: false,
      brokenAt: 4,
      reason: 'ANCHOR_INVALID',
    });
  });

  it('reports a rewrite the SHA-256 chain cannot see: the anchored event is not the one in the table', () => {
    const anchor = { ...point(chain[2]!), macValid: true };
    const verdict = verifyChain(rewritten);
    expect(verdict.ok).toBe(true);
    expect(judgeAnchor(rewritten, verdict, anchor, now).verdict).toEqual({
      ok: false,
      brokenAt: 3,
      reason: 'ANCHOR_MISMATCH',
    });
  });

  it('allows events after the anchor within the grace period, and no longer', () => {
    const anchor = { ...point(chain[1]!), macValid: true };
    expect(judgeAnchor(chain, ok, anchor, now)).toEqual({ verdict: ok, anchoredSeq: 2 });
    expect(judgeAnchor(chain, ok, anchor, later)).toEqual({
      verdict: { ok: false, brokenAt: 3, reason: 'UNANCHORED' },
      anchoredSeq: 2,
    });
    expect(judgeAnchor(chain, ok, undefined, later).verdict).toEqual({
      ok: false,
      brokenAt: 1,
      reason: 'UNANCHORED',
    });
  });

  it('does not let a time far in the future (or unreadable) keep an event out of the grace rule', () => {
    const future = new Date(at.getTime() - AUDIT_ANCHOR_GRACE_MS - 1);
    expect(judgeAnchor(chain, ok, undefined, future).verdict).toMatchObject({ reason: 'UNANCHORED' });
    const garbled = [{ ...chain[0]!, at: 'soon' }];
    expect(judgeAnchor(garbled, { ok: true, length: 1 }, undefined, now).verdict).toMatchObject({
      reason: 'UNANCHORED',
    });
  });

  it('reports a broken SHA-256 chain first, as before', () => {
    const tampered = chain.map((e) => (e.seq === 2 ? { ...e, data: { text: 'x' } } : e));
    const verdict = verifyChain(tampered);
    expect(judgeAnchor(tampered, verdict, { ...point(chain[3]!), macValid: true }, now).verdict).toEqual(
      verdict,
    );
  });
});

describe('anchorMessage', () => {
  it('binds the chain, the sequence and the hash under a version tag', () => {
    expect(anchorMessage(claimAuditChain('c1'), { seq: 4, hash: 'ab' })).toBe(
      'claims-audit-anchor/v1\nclaim/c1\n4\nab',
    );
    expect(anchorMessage('admin', { seq: 4, hash: 'ab' })).not.toBe(
      anchorMessage(claimAuditChain('c1'), { seq: 4, hash: 'ab' }),
    );
  });
});
