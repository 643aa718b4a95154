import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createFieldCrypto,
  type DataKeySource,
  FieldDecryptionError,
} from '../../lambdas/adapters/field-crypto.ts';
import { claimView } from '../../lambdas/app/claim-view.ts';
import { canonicalJson } from '../../lambdas/core/events.ts';
import {
  type FieldContext,
  type FieldPurpose,
  maskAccountNumber,
  maskedReport,
  payoutAccountContext,
} from '../../lambdas/core/payout-account.ts';
import { makeClaim, makeStoredReport } from '../helpers/factories.ts';

/**
 * An in-memory data-key source that behaves like KMS where it matters: keys are wrapped under a
 * master key with the encryption context as AAD, so a wrong context fails to unwrap.
 */
function memoryKeys() {
  const master = randomBytes(32);
  const calls = { generate: 0, decrypt: 0 };
  const source: DataKeySource = {
    async generate(context) {
      calls.generate += 1;
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', master, iv);
      c.setAAD(Buffer.from(canonicalJson(context)));
      const sealed = Buffer.concat([c.update(plaintext), c.final()]);
      return { plaintext, encrypted: Buffer.concat([iv, c.getAuthTag(), sealed]) };
    },
    async decrypt(encrypted, context) {
      calls.decrypt += 1;
      const d = createDecipheriv('aes-256-gcm', master, encrypted.subarray(0, 12));
      d.setAAD(Buffer.from(canonicalJson(context)));
      d.setAuthTag(encrypted.subarray(12, 28));
      try {
        return Buffer.concat([d.update(encrypted.subarray(28)), d.final()]);
      } catch {
        throw Object.assign(new Error('bad context'), { name: 'InvalidCiphertextException' });
      }
    },
  };
  return { source, calls };
}

const NUMBER = '0011004455667';
const A = payoutAccountContext('claim-a');
const B = payoutAccountContext('claim-b');

describe('field crypto (AES-256-GCM envelope)', () => {
  it('round-trips a value and never stores it in clear', async () => {
    const crypto = createFieldCrypto(memoryKeys().source);
    const sealed = await crypto.seal(NUMBER, A);
    expect(JSON.stringify(sealed)).not.toContain(NUMBER);
    expect(Buffer.from(sealed.ct, 'base64').toString('utf8')).not.toContain(NUMBER);
    expect(sealed.alg).toBe('AES-256-GCM');
    expect(await crypto.open(sealed, A)).toBe(NUMBER);
    // A fresh IV per value: the same number sealed twice looks different.
    const again = await crypto.seal(NUMBER, A);
    expect(again.ct).not.toBe(sealed.ct);
    expect(await crypto.open(again, A)).toBe(NUMBER);
  });

  it('refuses to open a value under another claim (moved ciphertext)', async () => {
    const crypto = createFieldCrypto(memoryKeys().source);
    const sealed = await crypto.seal(NUMBER, A);
    await expect(crypto.open(sealed, B)).rejects.toBeInstanceOf(FieldDecryptionError);
  });

  it('refuses another purpose: the data key itself does not unwrap', async () => {
    const crypto = createFieldCrypto(memoryKeys().source);
    const sealed = await crypto.seal(NUMBER, A);
    const other = { claimId: 'claim-a', purpose: 'national-id' as FieldPurpose } satisfies FieldContext;
    await expect(crypto.open(sealed, other)).rejects.toBeInstanceOf(FieldDecryptionError);
  });

  it('detects tampering with the ciphertext or the tag', async () => {
    const crypto = createFieldCrypto(memoryKeys().source);
    const sealed = await crypto.seal(NUMBER, A);
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 1;
    await expect(crypto.open({ ...sealed, ct: ct.toString('base64') }, A)).rejects.toBeInstanceOf(
      FieldDecryptionError,
    );
    await expect(
      crypto.open({ ...sealed, tag: randomBytes(16).toString('base64') }, A),
    ).rejects.toBeInstanceOf(FieldDecryptionError);
  });

  it('caches the data key for a bounded number of uses and time; old values still open', async () => {
    const { source, calls } = memoryKeys();
    let now = 0;
    const crypto = createFieldCrypto(source, { maxKeyUses: 3, maxKeyAgeMs: 1000, now: () => now });
    const first = await Promise.all([1, 2, 3].map((i) => crypto.seal(`${NUMBER}${i}`, A)));
    expect(calls.generate).toBe(1);
    expect(new Set(first.map((s) => s.edk)).size).toBe(1);
    await crypto.seal(NUMBER, A); // fourth use: a new data key
    expect(calls.generate).toBe(2);
    now = 5000; // past the age limit
    const late = await crypto.seal(NUMBER, B);
    expect(calls.generate).toBe(3);
    expect(late.edk).not.toBe(first[0]?.edk);
    expect(await crypto.open(first[0]!, A)).toBe(`${NUMBER}1`);
    expect(await crypto.open(first[2]!, A)).toBe(`${NUMBER}3`);
    expect(calls.decrypt).toBe(1); // the opened data key is cached too
    expect(await crypto.open(late, B)).toBe(NUMBER);
  });
});

describe('masking', () => {
  it('shows the last four digits only', () => {
    expect(maskAccountNumber(NUMBER)).toBe('•••• 5667');
    expect(maskAccountNumber('123456')).toBe('•••• 3456');
  });

  it('drops the ciphertext from reports shown to anyone', () => {
    const report = makeStoredReport();
    const masked = maskedReport(report);
    expect(masked.payoutAccount).toEqual({
      bankName: 'Vietcombank',
      accountHolder: 'NGUYEN VAN AN',
      accountMask: '•••• 5667',
    });
    expect(JSON.stringify(masked)).not.toContain('accountNumberSealed');
  });

  it('claim views (customer and staff) carry the mask, never the number or the ciphertext', () => {
    const claim = makeClaim();
    for (const audience of ['customer', 'staff'] as const) {
      const view = claimView(claim, [], [], [], audience);
      expect(view.report.payoutAccount.accountMask).toBe('•••• 5667');
      expect(JSON.stringify(view)).not.toContain('accountNumberSealed');
      expect(JSON.stringify(view)).not.toContain(NUMBER);
    }
  });
});
