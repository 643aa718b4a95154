import type { FieldIssue } from '../../lambdas/core/errors.ts';
import type { Locale } from '../../lambdas/core/messages.ts';
import { type SubmitClaimInput, SubmitClaimRequest } from '../../lambdas/core/requests.ts';
import { fieldIssuesFromZod } from './errors.ts';
import { nowTimeInVietnam, parseAmount, todayInVietnam, vietnamInstant } from './format.ts';
import type { Me, PolicyItem, ProductItem } from './types.ts';

/**
 * The first-notice-of-loss form as the person types it (strings everywhere), and its translation
 * into the shared `SubmitClaimRequest` — validated with the very schema the API uses.
 */
export interface PropertyItemState {
  key: number;
  description: string;
  amount: string;
}

export interface ClaimFormState {
  policyNumber: string;
  lossDate: string;
  lossTime: string;
  address: string;
  province: string;
  cause: string;
  description: string;
  amount: string;
  phone: string;
  email: string;
  bankName: string;
  accountNumber: string;
  accountHolder: string;
  motor: {
    vehiclePlate: string;
    driverName: string;
    policeAttended: boolean;
    hasOtherParty: boolean;
    other: { name: string; vehiclePlate: string; phone: string; insurer: string };
  };
  property: { policeAttended: boolean; items: PropertyItemState[] };
  health: {
    patientName: string;
    hospital: string;
    diagnosis: string;
    admittedOn: string;
    dischargedOn: string;
  };
  travel: { country: string; tripStart: string; tripEnd: string; carrier: string };
}

export function initialFormState(me: Me | null): ClaimFormState {
  return {
    policyNumber: '',
    lossDate: todayInVietnam(),
    lossTime: nowTimeInVietnam(),
    address: '',
    province: '',
    cause: '',
    description: '',
    amount: '',
    phone: me?.phone ?? '',
    email: me?.email ?? '',
    bankName: '',
    accountNumber: '',
    accountHolder: me?.displayName ?? '',
    motor: {
      vehiclePlate: '',
      driverName: me?.displayName ?? '',
      policeAttended: false,
      hasOtherParty: false,
      other: { name: '', vehiclePlate: '', phone: '', insurer: '' },
    },
    property: { policeAttended: false, items: [{ key: 1, description: '', amount: '' }] },
    health: {
      patientName: me?.displayName ?? '',
      hospital: '',
      diagnosis: '',
      admittedOn: '',
      dischargedOn: '',
    },
    travel: { country: '', tripStart: '', tripEnd: '', carrier: '' },
  };
}

/** Fills what the chosen policy already tells us, without overwriting what the person typed. */
export function applyPolicy(
  s: ClaimFormState,
  policy: PolicyItem,
  product: ProductItem | undefined,
): ClaimFormState {
  const causes: readonly string[] = product?.coveredCauses ?? [];
  const io = policy.insuredObject ?? {};
  return {
    ...s,
    policyNumber: policy.policyNumber,
    cause: causes.includes(s.cause) ? s.cause : causes.length === 1 ? (causes[0] ?? '') : '',
    address: s.address || (product?.line === 'property' ? (io.address ?? '') : ''),
    motor: { ...s.motor, vehiclePlate: s.motor.vehiclePlate || (io.vehiclePlate ?? '') },
    health: {
      ...s.health,
      patientName: s.health.patientName || (io.insuredPersons?.[0] ?? policy.holderName),
    },
    travel: { ...s.travel, country: s.travel.country || (io.destination ?? '') },
  };
}

/** Empty text means "not given": required fields then fail as `required`, optional ones are left out. */
const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

function facts(
  s: ClaimFormState,
  line: ProductItem['line'] | undefined,
): Record<string, unknown> | undefined {
  switch (line) {
    case 'motor': {
      const o = s.motor.other;
      const otherParty = s.motor.hasOtherParty
        ? {
            name: opt(o.name),
            vehiclePlate: opt(o.vehiclePlate),
            phone: opt(o.phone),
            insurer: opt(o.insurer),
          }
        : undefined;
      return {
        kind: 'motor',
        vehiclePlate: opt(s.motor.vehiclePlate),
        driverName: opt(s.motor.driverName),
        policeAttended: s.motor.policeAttended,
        otherParty,
      };
    }
    case 'property':
      return {
        kind: 'property',
        policeAttended: s.property.policeAttended,
        items: s.property.items.map((i) => ({
          description: opt(i.description),
          estimatedAmount: parseAmount(i.amount),
        })),
      };
    case 'health':
      return {
        kind: 'health',
        patientName: opt(s.health.patientName),
        hospital: opt(s.health.hospital),
        diagnosis: opt(s.health.diagnosis),
        admittedOn: opt(s.health.admittedOn),
        dischargedOn: opt(s.health.dischargedOn),
      };
    case 'travel':
      return {
        kind: 'travel',
        country: opt(s.travel.country),
        tripStart: opt(s.travel.tripStart),
        tripEnd: opt(s.travel.tripEnd),
        carrier: opt(s.travel.carrier),
      };
    default:
      return undefined;
  }
}

/** Drops `undefined` members so `.strict()` objects and optional fields behave as on the wire. */
function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, prune(v)]),
    ) as T;
  }
  return value;
}

/**
 * @param privacyNotice the version of the privacy notice the person was shown (the customer app:
 *   always, the line above its submit button) or had read to them (the phone form: once ticked)
 */
export function buildRequest(
  s: ClaimFormState,
  product: ProductItem | undefined,
  locale: Locale,
  privacyNotice?: string,
): SubmitClaimInput {
  const amount = parseAmount(s.amount);
  return prune({
    policyNumber: opt(s.policyNumber),
    lossAt: vietnamInstant(s.lossDate, s.lossTime),
    lossPlace: { address: opt(s.address), province: opt(s.province) },
    cause: opt(s.cause),
    description: opt(s.description),
    facts: facts(s, product?.line),
    estimatedAmount: amount === undefined ? undefined : { amount, currency: 'VND' },
    contact: { phone: opt(s.phone)?.replace(/[\s.-]/g, ''), email: opt(s.email) },
    payoutAccount: {
      bankName: opt(s.bankName),
      accountNumber: opt(s.accountNumber)?.replace(/\s/g, ''),
      accountHolder: opt(s.accountHolder),
    },
    locale,
    privacyNotice,
  } as unknown as SubmitClaimInput);
}

/**
 * Checks the request with the API's own schema and returns it with field issues. Also catches two
 * things the schema cannot know: a loss in the future and a discharge before admission.
 */
export function validateRequest(
  input: SubmitClaimInput,
): { ok: true; request: SubmitClaimRequest } | { ok: false; issues: FieldIssue[] } {
  const parsed = SubmitClaimRequest.safeParse(input, { reportInput: true });
  const issues = parsed.success ? [] : fieldIssuesFromZod(parsed.error);
  if (input.lossAt && Date.parse(input.lossAt) > Date.now() + 5 * 60_000) {
    issues.push({ path: 'lossAt', code: 'too_big', rule: 'not_future', message: 'loss in the future' });
  }
  const f = input.facts as Record<string, unknown> | undefined;
  if (
    f?.kind === 'travel' &&
    typeof f.tripStart === 'string' &&
    typeof f.tripEnd === 'string' &&
    f.tripEnd < f.tripStart
  ) {
    issues.push({
      path: 'facts.tripEnd',
      code: 'too_small',
      rule: 'not_before_start',
      message: 'trip ends before it starts',
    });
  }
  if (
    f?.kind === 'health' &&
    typeof f.admittedOn === 'string' &&
    typeof f.dischargedOn === 'string' &&
    f.dischargedOn < f.admittedOn
  ) {
    issues.push({
      path: 'facts.dischargedOn',
      code: 'too_small',
      rule: 'not_before_start',
      message: 'discharged before admitted',
    });
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, request: parsed.data };
}

/**
 * Where an issue is shown: the date and time inputs share `lossAt`; the money object's amount is the
 * amount input; a missing facts object (no policy chosen yet) belongs to the policy picker.
 */
export function displayPath(path: string): string {
  if (path === 'estimatedAmount' || path === 'estimatedAmount.amount') return 'estimatedAmount';
  if (path === 'facts' || path === 'facts.kind' || path === 'policyNumber') return 'policyNumber';
  if (path === 'lossPlace') return 'lossPlace.address';
  if (path === 'contact') return 'contact.phone';
  if (path === 'payoutAccount') return 'payoutAccount.bankName';
  return path;
}

/** Order of fields on screen, so focus goes to the first problem a person sees. */
export const FIELD_ORDER = [
  'policyNumber',
  'lossAt',
  'lossPlace.address',
  'lossPlace.province',
  'cause',
  'description',
  'facts',
  'estimatedAmount',
  'contact.phone',
  'contact.email',
  'payoutAccount.bankName',
  'payoutAccount.accountNumber',
  'payoutAccount.accountHolder',
];

export function firstIssuePath(paths: readonly string[]): string | undefined {
  const rank = (p: string) => {
    const i = FIELD_ORDER.findIndex((f) => p === f || p.startsWith(`${f}.`));
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b))[0];
}

/** The 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15). */
export const PROVINCES = [
  'Hà Nội',
  'TP. Hồ Chí Minh',
  'Hải Phòng',
  'Đà Nẵng',
  'Cần Thơ',
  'Huế',
  'An Giang',
  'Bắc Ninh',
  'Cà Mau',
  'Cao Bằng',
  'Đắk Lắk',
  'Điện Biên',
  'Đồng Nai',
  'Đồng Tháp',
  'Gia Lai',
  'Hà Tĩnh',
  'Hưng Yên',
  'Khánh Hòa',
  'Lai Châu',
  'Lạng Sơn',
  'Lào Cai',
  'Lâm Đồng',
  'Nghệ An',
  'Ninh Bình',
  'Phú Thọ',
  'Quảng Ngãi',
  'Quảng Ninh',
  'Quảng Trị',
  'Sơn La',
  'Tây Ninh',
  'Thái Nguyên',
  'Thanh Hóa',
  'Tuyên Quang',
  'Vĩnh Long',
];

export const BANKS = [
  'Vietcombank',
  'VietinBank',
  'BIDV',
  'Agribank',
  'Techcombank',
  'MB Bank',
  'ACB',
  'VPBank',
  'Sacombank',
  'TPBank',
  'HDBank',
  'VIB',
  'SHB',
  'OCB',
  'MSB',
  'SeABank',
  'Eximbank',
  'LPBank',
];
