import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../lambdas/core/time.ts';
import { fileClaim, getClaim, uploadMissingDocuments } from '../helpers/claims.ts';
import { startInProcessApi } from '../helpers/in-process-api.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * Staff read what their role needs of a claim file (lambdas/app/claim-view.ts `forRoles`,
 * `policyView`): GET /claims/{id} as admin, finance and an adjuster, on a health claim and on a
 * motor claim with another party, both under policies that carry the holder's citizen id; and
 * GET /claims/{id}/documents/{docId} on the health claim's medical report and hospital invoice.
 */
useStack();
const policies = suitePolicies('SCV');
const DAY = 86_400_000;
const CITIZEN_ID = `0010${String(randomInt(10 ** 7, 10 ** 8))}`; // 12 digits, unique to this run
const DIAGNOSIS = `Viêm ruột thừa cấp ${randomUUID().slice(0, 8)}`;
const OTHER_PHONE = `098${String(randomInt(10 ** 6, 10 ** 7))}`;
const DESCRIPTION = `Nhập viện cấp cứu, mổ ruột thừa, nằm viện ba ngày ${randomUUID().slice(0, 8)}.`;

let stop: () => Promise<void>;
let api: Record<'an' | 'em' | 'finance' | 'admin', Api>;
let healthClaim: string;
let motorClaim: string;

beforeAll(async () => {
  const gateway = await startInProcessApi();
  stop = gateway.stop;
  const [an, em, finance, admin] = await Promise.all([
    apiAs(gateway.url, 'an.nguyen'),
    apiAs(gateway.url, 'em.vo'),
    apiAs(gateway.url, 'minh.dang'),
    apiAs(gateway.url, 'admin'),
  ]);
  api = { an, em, finance, admin };
  const running = {
    effectiveFrom: `${businessDate(new Date(Date.now() - 200 * DAY))}T00:00:00+07:00`,
    effectiveTo: `${businessDate(new Date(Date.now() + 200 * DAY))}T23:59:59+07:00`,
    holderIdNumber: CITIZEN_ID,
  };
  const healthPolicy = await policies.put({
    ...running,
    productCode: 'HEALTH',
    insuredValue: undefined,
    covers: [
      {
        code: 'INPATIENT',
        name: { vi: 'Nội trú', en: 'Inpatient' },
        causes: ['illness'],
        sumInsured: 200_000_000,
      },
    ],
    insuredObject: { insuredPersons: ['Nguyễn Văn An'] },
  });
  ({ claimId: healthClaim } = await fileClaim(an, {
    policyNumber: healthPolicy,
    cause: 'illness',
    description: DESCRIPTION,
    facts: {
      kind: 'health',
      patientName: 'Nguyễn Văn An',
      hospital: 'Bệnh viện Bạch Mai',
      diagnosis: DIAGNOSIS,
      admittedOn: businessDate(new Date(Date.now() - 3 * DAY)),
    },
  }));
  // The claim letter, the medical report and the hospital invoice, verified.
  await uploadMissingDocuments(an, healthClaim, 41);
  ({ claimId: motorClaim } = await fileClaim(an, {
    policyNumber: await policies.put(running),
    facts: {
      kind: 'motor',
      vehiclePlate: '30A-123.45',
      policeAttended: true,
      otherParty: {
        name: 'Trần Văn Bảo',
        phone: OTHER_PHONE,
        vehiclePlate: '29C-456.78',
        insurer: 'Bảo Việt',
      },
    },
  }));
});

afterAll(async () => {
  await stop?.();
  await policies.removeAll();
});

describe('what each staff role reads of a claim', () => {
  it("admin and finance get neither the holder's citizen id nor the medical details", async () => {
    for (const who of [api.admin, api.finance]) {
      const claim = await getClaim(who, healthClaim);
      expect(claim.policy.policyNumber).toBe(claim.policyNumber);
      expect(claim.policy).not.toHaveProperty('holderIdNumber');
      expect(claim.report.facts).toEqual({ kind: 'health' });
      expect(claim.report).not.toHaveProperty('description');
      expect(claim.withheld).toEqual(['health_details', 'description', 'health_documents']);
      const json = JSON.stringify(claim);
      expect(json).not.toContain(CITIZEN_ID);
      expect(json).not.toContain(DIAGNOSIS); // nor in the timeline's copy of the report as filed
      expect(json).not.toContain(DESCRIPTION);
      expect(json).not.toContain('Bạch Mai');
    }
  });

  it("admin and finance get the other party's plate and insurer, not their name and phone", async () => {
    for (const who of [api.admin, api.finance]) {
      const claim = await getClaim(who, motorClaim);
      expect(claim.report.facts.otherParty).toEqual({ vehiclePlate: '29C-456.78', insurer: 'Bảo Việt' });
      expect(claim.withheld).toEqual(['other_party_contact']);
      expect(JSON.stringify(claim)).not.toContain(OTHER_PHONE);
    }
  });

  it('admin and finance may not open the medical report; they open the hospital invoice', async () => {
    const { documents } = await getClaim(api.em, healthClaim);
    const medical = documents.find((d: { docType: string }) => d.docType === 'medical_report');
    const invoice = documents.find((d: { docType: string }) => d.docType === 'hospital_invoice');
    for (const who of [api.admin, api.finance]) {
      const listed = (await getClaim(who, healthClaim)).documents.find(
        (d: { documentId: string }) => d.documentId === medical.documentId,
      );
      expect(listed).toMatchObject({ docType: 'medical_report', status: 'VERIFIED', withheld: true });
      expect(listed).not.toHaveProperty('fileName');
      const refused = await who.get(`/claims/${healthClaim}/documents/${medical.documentId}`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('HEALTH_DATA_NOT_FOR_ROLE');
      expect(JSON.stringify(refused.body)).not.toContain('X-Amz-Signature');
      const paid = await who.get(`/claims/${healthClaim}/documents/${invoice.documentId}`);
      expect(paid.status).toBe(200);
    }
    const opened = await api.em.get(`/claims/${healthClaim}/documents/${medical.documentId}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ docType: 'medical_report', fileName: 'medical_report.png' });
    expect(opened.body.url).toMatch(/^https?:/);
  });

  it('the adjuster reads the medical details and the other party, still not the citizen id', async () => {
    const health = await getClaim(api.em, healthClaim);
    expect(health.report.facts).toMatchObject({ kind: 'health', diagnosis: DIAGNOSIS });
    expect(health.report.description).toBe(DESCRIPTION);
    expect(health).not.toHaveProperty('withheld');
    expect(JSON.stringify(health)).not.toContain(CITIZEN_ID);
    const motor = await getClaim(api.em, motorClaim);
    expect(motor.report.facts.otherParty).toMatchObject({ name: 'Trần Văn Bảo', phone: OTHER_PHONE });
  });

  it('the customer reads her own claim as she filed it', async () => {
    const own = await getClaim(api.an, healthClaim);
    expect(own.report.facts).toMatchObject({ diagnosis: DIAGNOSIS, hospital: 'Bệnh viện Bạch Mai' });
    expect(own).not.toHaveProperty('policy');
  });
});
