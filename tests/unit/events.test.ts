import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, sealEvents, verifyChain } from '../../lambdas/core/events.ts';

const at = new Date('2026-11-21T02:00:00Z');

describe('event hash chain', () => {
  const chain = sealEvents(
    'c1',
    0,
    GENESIS_HASH,
    [
      { type: 'ClaimSubmitted', actor: { kind: 'customer', id: 'u1' }, data: { amount: 1 } },
      { type: 'ClaimChecked', actor: { kind: 'system' }, data: { passed: true } },
      { type: 'ClaimClassified', actor: { kind: 'system' }, data: { band: 'low' } },
    ],
    at,
  );

  it('links each event to the previous one', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(verifyChain(chain)).toEqual({ ok: true, length: 3 });
  });

  it('continues a chain across appends', () => {
    const more = sealEvents(
      'c1',
      3,
      chain[2]!.hash,
      [{ type: 'NoteAdded', actor: { kind: 'staff', role: 'adjuster', id: 's1' } }],
      at,
    );
    expect(verifyChain([...chain, ...more])).toEqual({ ok: true, length: 4 });
  });

  it('reports the first altered event', () => {
    const tampered = chain.map((e) => (e.seq === 2 ? { ...e, data: { passed: false } } : e));
    expect(verifyChain(tampered)).toEqual({ ok: false, brokenAt: 2, reason: 'CONTENT_ALTERED' });
  });

  it('reports a deleted event as a gap', () => {
    expect(verifyChain([chain[0]!, chain[2]!])).toEqual({ ok: false, brokenAt: 3, reason: 'SEQUENCE_GAP' });
  });

  it('reports a re-hashed event by the broken link after it', () => {
    const { hash: _h, ...body } = chain[1]!;
    const forged = { ...body, data: { passed: false } };
    const rehashed = { ...forged, hash: sealEvents('c1', 1, chain[0]!.hash, [forged], at)[0]!.hash };
    expect(verifyChain([chain[0]!, rehashed, chain[2]!])).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
  });

  it('reports the newest events removed, which only the head recorded on the owner tells', () => {
    const head = { lastSeq: 3, lastHash: chain[2]!.hash };
    expect(verifyChain(chain, head)).toEqual({ ok: true, length: 3 });
    // Shorter but unbroken: fine on its own, not against the head.
    expect(verifyChain(chain.slice(0, 2))).toEqual({ ok: true, length: 2 });
    expect(verifyChain(chain.slice(0, 2), head)).toEqual({ ok: false, brokenAt: 3, reason: 'TAIL_MISSING' });
    // The last event replaced by a re-sealed one: the chain verifies, the head's hash does not match.
    const resealed = sealEvents(
      'c1',
      2,
      chain[1]!.hash,
      [{ type: 'ClaimClassified', actor: { kind: 'system' } }],
      at,
    );
    expect(verifyChain([chain[0]!, chain[1]!, ...resealed], head)).toEqual({
      ok: false,
      brokenAt: 3,
      reason: 'HEAD_MISMATCH',
    });
    // Events whose owner records no head at all: the head was removed.
    expect(verifyChain(chain, { lastSeq: 0 })).toEqual({ ok: false, brokenAt: 1, reason: 'HEAD_MISSING' });
    expect(verifyChain([], { lastSeq: 0 })).toEqual({ ok: true, length: 0 });
    // Events appended after the head was read are not a break.
    const more = sealEvents('c1', 3, chain[2]!.hash, [{ type: 'NoteAdded', actor: { kind: 'system' } }], at);
    expect(verifyChain([...chain, ...more], head)).toEqual({ ok: true, length: 4 });
  });

  it('hashes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}',
    );
  });
});
