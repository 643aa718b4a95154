import { describe, expect, it } from 'vitest';
import { reportRows } from '../../web/shared/claim-ui.tsx';

/**
 * The report as the console lists it for a role the API withheld details from (app/claim-view.ts
 * forRoles: admin and finance get no medical details and no other party's contact): the list says
 * they are not shown, rather than rows with nothing in them.
 */
const tr = (key: string) => `‹${key}›`;
const report = (facts: Record<string, unknown>) => ({
  lossAt: '2026-12-01T03:00:00.000Z',
  lossPlace: { address: '1 Láng Hạ', province: 'Hà Nội' },
  cause: 'illness',
  description: 'Nằm viện',
  facts,
  estimatedAmount: { amount: 10_000_000, currency: 'VND' },
  contact: { phone: '0912345678', email: 'an@example.vn' },
  payoutAccount: { bankName: 'Vietcombank', accountMask: '•••• 6789', accountHolder: 'NGUYEN VAN AN' },
});
const rows = (facts: Record<string, unknown>, withheld?: string[]) =>
  reportRows(
    {
      report: report(facts),
      submittedAt: '2026-12-01T04:00:00.000Z',
      ...(withheld ? { withheld } : {}),
    } as never,
    'vi',
    tr as never,
    undefined,
  );

describe('the report list of a claim with details withheld for the role', () => {
  it('says the health details are not shown instead of listing empty rows', () => {
    const shown = rows({ kind: 'health' }, ['health_details']);
    expect(shown).toContainEqual(['‹withheldHealth›', '‹withheldForRole›']);
    expect(shown.map(([k]) => k)).not.toContain('‹diagnosis›');
    // A role that sees everything gets the rows.
    const full = rows({ kind: 'health', patientName: 'An', hospital: 'Bạch Mai', diagnosis: 'Viêm phổi' });
    expect(full).toContainEqual(['‹diagnosis›', 'Viêm phổi']);
    expect(full.map(([k]) => k)).not.toContain('‹withheldHealth›');
  });

  it('says the description is not shown where the API left it out of a health claim', () => {
    const { description: _, ...withoutDescription } = report({ kind: 'health' });
    const shown = reportRows(
      {
        report: withoutDescription,
        submittedAt: '2026-12-01T04:00:00.000Z',
        withheld: ['health_details', 'description'],
      } as never,
      'vi',
      tr as never,
      undefined,
    );
    expect(shown).toContainEqual(['‹description›', '‹withheldForRole›']);
    expect(rows({ kind: 'health' })).toContainEqual(['‹description›', 'Nằm viện']);
  });

  it('says the other party’s contact is not shown, keeping the plate and insurer', () => {
    const motor = { kind: 'motor', vehiclePlate: '30A-12345', policeAttended: false };
    const shown = rows({ ...motor, otherParty: { vehiclePlate: '29B-67890', insurer: 'PVI' } }, [
      'other_party_contact',
    ]);
    expect(shown).toContainEqual(['‹otherPartyTitle›', '29B-67890 · PVI · ‹withheldForRole›']);
    const full = rows({ ...motor, otherParty: { name: 'Bình', phone: '0901', vehiclePlate: '29B-67890' } });
    expect(full).toContainEqual(['‹otherPartyTitle›', 'Bình · 29B-67890 · 0901']);
  });
});
