import { describe, expect, it } from 'vitest';
import {
  documentsForCause,
  judgeUpload,
  missingDocuments,
  requiredDocuments,
} from '../../lambdas/core/dossier.ts';
import { DEFAULT_PRODUCTS } from '../../lambdas/core/products.ts';

const tpl = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_TPL')!;

describe('document checklist', () => {
  it('asks for the police conclusion only when police attended (Decree 67/2023 Art. 13)', () => {
    const without = requiredDocuments(tpl, {
      cause: 'collision',
      facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: false },
    });
    const withPolice = requiredDocuments(tpl, {
      cause: 'collision',
      facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: true },
    });
    expect(without).not.toContain('police_report');
    expect(withPolice).toContain('police_report');
    expect(without).toEqual([
      'claim_letter',
      'vehicle_registration',
      'driving_licence',
      'insurance_certificate',
      'damage_photos',
      'repair_invoice',
    ]);
  });

  it('follows the cause: a stolen car needs the police report, not damage photos or a repair invoice', () => {
    const od = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!;
    const facts = { kind: 'motor' as const, vehiclePlate: '30A-123.45', policeAttended: false };
    const theft = requiredDocuments(od, { cause: 'theft', facts });
    expect(theft).toContain('police_report');
    expect(theft).not.toContain('damage_photos');
    expect(theft).not.toContain('repair_invoice');
    expect(theft).toContain('claim_letter');
    const collision = requiredDocuments(od, { cause: 'collision', facts });
    expect(collision).toEqual(expect.arrayContaining(['damage_photos', 'repair_invoice']));
    expect(collision).not.toContain('police_report');
    // A burglary at home: the police report too, and no fire brigade report.
    const home = DEFAULT_PRODUCTS.find((p) => p.code === 'PROPERTY_FIRE')!;
    const burglary = requiredDocuments(home, {
      cause: 'theft',
      facts: { kind: 'property', propertyAddress: '12 Hàng Bông, Hà Nội', policeAttended: true } as never,
    });
    expect(burglary).toContain('police_report');
    expect(burglary).not.toContain('fire_brigade_report');
  });

  it('on the form, promises only what the cause always needs', () => {
    const od = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!;
    expect(documentsForCause(od, 'theft')).toEqual([
      'claim_letter',
      'vehicle_registration',
      'driving_licence',
      'insurance_certificate',
      'police_report',
    ]);
    expect(documentsForCause(od, 'collision')).not.toContain('police_report');
    expect(documentsForCause(od, undefined)).toContain('damage_photos');
  });

  it('lists what is still missing', () => {
    expect(missingDocuments(['a', 'b', 'c'] as never, ['b'] as never)).toEqual(['a', 'c']);
  });
});

describe('judging an upload by its real bytes', () => {
  it('accepts a PDF that is a PDF', () =>
    expect(judgeUpload('application/pdf', 'application/pdf', 1000)).toEqual({ ok: true }));
  it('rejects an empty file', () =>
    expect(judgeUpload('image/png', 'image/png', 0)).toEqual({ ok: false, reason: 'FILE_EMPTY' }));
  it('rejects an oversize file', () =>
    expect(judgeUpload('image/png', 'image/png', 16 * 1024 * 1024)).toEqual({
      ok: false,
      reason: 'FILE_TOO_LARGE',
    }));
  it('rejects an executable declared as an image', () =>
    expect(judgeUpload('image/png', 'application/x-msdownload', 100)).toEqual({
      ok: false,
      reason: 'FILE_TYPE_NOT_ALLOWED',
    }));
  it('rejects unknown bytes', () =>
    expect(judgeUpload('image/png', undefined, 100)).toEqual({ ok: false, reason: 'FILE_TYPE_NOT_ALLOWED' }));
  it('rejects a JPEG declared as PNG', () =>
    expect(judgeUpload('image/png', 'image/jpeg', 100)).toEqual({ ok: false, reason: 'TYPE_MISMATCH' }));
  it('treats HEIF and HEIC as one family', () =>
    expect(judgeUpload('image/heic', 'image/heif', 100)).toEqual({ ok: true }));
});
