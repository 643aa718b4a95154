/**
 * Synthetic claim histories for tests, the benchmark and the default model: shaped like the public
 * vehicle-insurance fraud data (mostly categorical, ordinal bands as text, ~5% positives, '?' for
 * missing), with planted signals (main effects, a non-monotone band, an interaction, a numeric
 * threshold) and pure-noise columns (including a many-level one and an id). Each row's true fraud
 * probability is returned so a test can compare the model with the best possible ranking.
 */
import type { RawRow } from './columns.ts';
import { rng } from './gbdt.ts';

/** Columns that carry signal, and columns that are pure noise, in the generated data. */
export const PLANTED_COLUMNS = [
  'Fault',
  'Days_Policy_Accident',
  'AddressChange_Claim',
  'AccidentArea',
  'PoliceReportFiled',
  'ClaimAmount',
  'VehiclePrice',
  'BasePolicy',
  'PastNumberOfClaims',
  'Make',
] as const;
export const NOISE_COLUMNS = ['NoiseCategory', 'NoiseNumber', 'RepNumber', 'GarageCode', 'Sex'] as const;

export interface SyntheticHistory {
  rows: Record<string, string | number | null>[];
  /** True probability of fraud of each row. */
  truth: number[];
}

function pick<T>(r: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let u = r() * total;
  for (const [v, w] of items) {
    u -= w;
    if (u <= 0) return v;
  }
  return items[items.length - 1]![0];
}

const MAKES = [
  'Pontiac',
  'Toyota',
  'Honda',
  'Mazda',
  'Chevrolet',
  'Accura',
  'Ford',
  'VW',
  'Dodge',
  'Saab',
  'Mercury',
  'Saturn',
  'Nisson',
  'BMW',
  'Jaguar',
  'Porche',
  'Mecedes',
  'Ferrari',
  'Lexus',
] as const;
const RISKY_MAKES = new Set(['Accura', 'Saab', 'Mecedes']);

/**
 * Generates `n` labelled claims in time order (Year and Month rise with the row index); `seed`
 * makes it reproducible. About 5% are positive. `interactions` adds two strong three- and two-way
 * categorical interactions (Fault × BasePolicy × VehiclePrice, Make × MaritalStatus).
 */
export function syntheticHistory(
  n: number,
  seed = 1,
  options: { interactions?: boolean } = {},
): SyntheticHistory {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const rows: SyntheticHistory['rows'] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const make = MAKES[Math.min(MAKES.length - 1, Math.floor(MAKES.length * r() ** 2.2))]!;
    const area = r() < 0.12 ? 'Rural' : 'Urban';
    const fault = r() < 0.72 ? 'Policy Holder' : 'Third Party';
    const base = pick(r, [
      ['Collision', 40],
      ['Liability', 32],
      ['All Perils', 28],
    ] as const);
    const price = pick(r, [
      ['less than 20000', 7],
      ['20000 to 29000', 52],
      ['30000 to 39000', 23],
      ['40000 to 59000', 3],
      ['60000 to 69000', 1],
      ['more than 69000', 14],
    ] as const);
    const days = pick(r, [
      ['none', 1],
      ['1 to 7', 1],
      ['8 to 15', 1],
      ['15 to 30', 1],
      ['more than 30', 96],
    ] as const);
    const past = pick(r, [
      ['none', 28],
      ['1', 23],
      ['2 to 4', 36],
      ['more than 4', 13],
    ] as const);
    const address = pick(r, [
      ['no change', 92],
      ['under 6 months', 1.5],
      ['1 year', 1.5],
      ['2 to 3 years', 4],
      ['4 to 8 years', 1],
    ] as const);
    const police = r() < 0.97 ? 'No' : 'Yes';
    const vehicleAge = pick(r, [
      ['new', 2],
      ['2 years', 1],
      ['3 years', 1],
      ['4 years', 2],
      ['5 years', 9],
      ['6 years', 22],
      ['7 years', 38],
      ['more than 7', 25],
    ] as const);
    const holderAge = pick(r, [
      ['16 to 17', 1],
      ['18 to 20', 1],
      ['21 to 25', 4],
      ['26 to 30', 4],
      ['31 to 35', 36],
      ['36 to 40', 26],
      ['41 to 50', 18],
      ['51 to 65', 9],
      ['over 65', 1],
    ] as const);
    const amountMissing = r() < 0.04;
    const amount = Math.round(Math.exp(16 + 0.8 * gauss()) / 1000) * 1000;

    let z = -5.1;
    if (fault === 'Policy Holder') z += 1.6;
    if (days === 'none' || days === '1 to 7') z += 1.4;
    if (address === 'under 6 months') z += 1.8;
    if (area === 'Rural' && police === 'No') z += 1.3; // interaction: neither alone
    if (!amountMissing && amount > 20_000_000) z += 1.0; // threshold on a numeric
    if (amountMissing) z += 0.6;
    if (price === 'more than 69000') z += 0.7;
    if (price === 'less than 20000') z += 0.5; // non-monotone band
    if (base === 'All Perils') z += 0.6;
    if (base === 'Liability') z -= 0.9;
    z += { none: 0.45, '1': 0.15, '2 to 4': -0.1, 'more than 4': -0.45 }[past];
    if (RISKY_MAKES.has(make)) z += 0.8;
    const marital = pick(r, [
      ['Married', 69],
      ['Single', 30],
      ['Divorced', 1],
    ] as const);
    if (options.interactions) {
      // categorical interactions no additive model can express
      if (fault === 'Policy Holder' && base === 'All Perils' && price === '30000 to 39000') z += 2;
      if (make === 'Toyota' && marital === 'Single') z += 1.5;
    }
    const p = 1 / (1 + Math.exp(-z));
    const year = 1994 + Math.floor((3 * i) / n);
    rows.push({
      PolicyNumber: `P${String(i + 1).padStart(7, '0')}`,
      Year: year,
      Month: 1 + (Math.floor((36 * i) / n) % 12),
      Make: make,
      AccidentArea: area,
      Sex: r() < 0.84 ? 'Male' : 'Female',
      MaritalStatus: marital,
      Fault: fault,
      BasePolicy: base,
      VehiclePrice: price,
      Days_Policy_Accident: days,
      PastNumberOfClaims: past,
      AgeOfVehicle: vehicleAge,
      AgeOfPolicyHolder: holderAge,
      PoliceReportFiled: police,
      WitnessPresent: r() < 0.995 ? 'No' : 'Yes',
      AddressChange_Claim: address,
      ClaimAmount: amountMissing ? '?' : amount,
      DriverRating: 1 + Math.floor(r() * 4),
      RepNumber: 1 + Math.floor(r() * 16),
      NoiseCategory: ['A', 'B', 'C', 'D', 'E', 'F'][Math.floor(r() * 6)]!,
      NoiseNumber: Math.round(gauss() * 1000) / 100,
      GarageCode: `G${Math.floor(r() ** 1.5 * 400)}`,
      FraudFound_P: r() < p ? 1 : 0,
    });
    truth.push(p);
  }
  return { rows, truth };
}

/** Convenience for typed callers. */
export const asRawRows = (h: SyntheticHistory): RawRow[] => h.rows;
