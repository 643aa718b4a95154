import { createHash } from 'node:crypto';
import type { UserProfile } from '../lambdas/adapters/dynamo/users-repo.ts';
import type { Cover, PolicyInput } from '../lambdas/core/policy.ts';
import { toBusinessIso } from '../lambdas/core/time.ts';

/**
 * Demo data for the local stack: customers with policies across every product, and staff in every
 * role. Policy periods are placed around "now" so the demo keeps working whatever the date.
 */
export const userIdFor = (username: string) => {
  const h = createHash('sha256').update(`demo-user:${username}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

type Demo = Omit<UserProfile, 'userId'>;

const CUSTOMERS: Demo[] = [
  {
    username: 'an.nguyen',
    displayName: 'Nguyễn Văn An',
    email: 'an.nguyen@example.vn',
    phone: '0912345678',
    locale: 'vi',
    roles: ['customer'],
    customerId: 'CUS-0001',
  },
  {
    username: 'binh.tran',
    displayName: 'Trần Thị Bình',
    email: 'binh.tran@example.vn',
    phone: '0987654321',
    locale: 'vi',
    roles: ['customer'],
    customerId: 'CUS-0002',
  },
  {
    username: 'chi.le',
    displayName: 'Lê Minh Chi',
    email: 'chi.le@example.com',
    phone: '0901234567',
    locale: 'en',
    roles: ['customer'],
    customerId: 'CUS-0003',
  },
];

const staff = (
  username: string,
  displayName: string,
  roles: UserProfile['roles'],
  s: Partial<NonNullable<UserProfile['staff']>> = {},
): Demo => ({
  username,
  displayName,
  email: `${username}@insurer.example.vn`,
  locale: 'vi',
  roles,
  staff: { skills: [], regions: [], authorityLimit: 0, active: true, ...s },
});

const STAFF: Demo[] = [
  staff('dung.pham', 'Phạm Văn Dũng', ['adjuster'], {
    skills: ['motor'],
    regions: ['Hà Nội'],
    authorityLimit: 50_000_000,
  }),
  staff('giang.hoang', 'Hoàng Thu Giang', ['adjuster'], {
    skills: ['motor', 'property'],
    regions: ['Hồ Chí Minh'],
    authorityLimit: 30_000_000,
  }),
  staff('em.vo', 'Võ Thị Em', ['adjuster'], {
    skills: ['health', 'travel', 'property'],
    regions: ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng'],
    authorityLimit: 100_000_000,
  }),
  staff('hai.do', 'Đỗ Minh Hải', ['supervisor', 'adjuster'], {
    skills: ['motor', 'property', 'health', 'travel'],
    regions: ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng'],
    authorityLimit: 1_000_000_000,
    department: 'claims',
  }),
  staff('khanh.bui', 'Bùi Quốc Khánh', ['underwriting'], { department: 'underwriting' }),
  staff('lan.ngo', 'Ngô Thị Lan', ['legal'], { department: 'legal' }),
  staff('minh.dang', 'Đặng Văn Minh', ['finance'], { department: 'finance' }),
  // A second finance user: payment batches need a maker and a different checker.
  staff('oanh.vu', 'Vũ Thị Oanh', ['finance'], { department: 'finance' }),
  staff('nam.ly', 'Lý Hoàng Nam', ['siu'], { department: 'siu' }),
  staff('admin', 'Quản trị hệ thống', ['admin']),
  // A second administrator: a change that loosens a money control or grants authority takes effect
  // only when an administrator other than its proposer approves it (core/admin-changes.ts).
  staff('phuong.le', 'Lê Thu Phương', ['admin']),
];

export const DEMO_USERS: UserProfile[] = [...CUSTOMERS, ...STAFF].map((u) => ({
  ...u,
  userId: userIdFor(u.username),
}));

const cover = (
  code: string,
  vi: string,
  en: string,
  causes: Cover['causes'],
  sumInsured: number,
  extra: Partial<Cover> = {},
): Cover => ({
  code,
  name: { vi, en },
  causes,
  sumInsured,
  ...extra,
});

export function demoPolicies(now: Date): PolicyInput[] {
  const day = 86_400_000;
  const from = toBusinessIso(new Date(now.getTime() - 300 * day)).slice(0, 10);
  const to = toBusinessIso(new Date(now.getTime() + 65 * day)).slice(0, 10);
  const period = { effectiveFrom: `${from}T00:00:00+07:00`, effectiveTo: `${to}T23:59:59+07:00` };
  const lapsedTo = toBusinessIso(new Date(now.getTime() - 30 * day)).slice(0, 10);
  return [
    {
      policyNumber: 'MOT-2026-0001',
      productCode: 'MOTOR_OD',
      customerId: 'CUS-0001',
      holderName: 'Nguyễn Văn An',
      ...period,
      status: 'in_force',
      premium: 9_800_000,
      insuredValue: 650_000_000,
      addOns: ['new_for_old'],
      covers: [
        cover(
          'OD',
          'Vật chất xe',
          'Own damage',
          ['collision', 'theft', 'fire', 'flood', 'storm', 'glass_breakage', 'vandalism', 'explosion'],
          650_000_000,
          { deductible: { percentBps: 1000, minimum: 500_000, waivedOnTotalLoss: true } },
        ),
      ],
      insuredObject: { vehiclePlate: '30A-123.45', vehicleMakeModel: 'Toyota Vios 2023' },
    },
    {
      policyNumber: 'TPL-2026-0001',
      productCode: 'MOTOR_TPL',
      customerId: 'CUS-0001',
      holderName: 'Nguyễn Văn An',
      ...period,
      status: 'in_force',
      premium: 480_700,
      addOns: [],
      // Decree 67/2023: 150 million VND per person for injury; 100 million VND per accident for property (cars).
      covers: [
        cover(
          'TPL_INJURY',
          'Thiệt hại về người',
          'Bodily injury',
          ['third_party_injury', 'collision'],
          150_000_000,
        ),
        cover(
          'TPL_PROPERTY',
          'Thiệt hại về tài sản',
          'Property damage',
          ['third_party_property', 'collision'],
          100_000_000,
        ),
      ],
      insuredObject: { vehiclePlate: '30A-123.45', vehicleMakeModel: 'Toyota Vios 2023' },
    },
    {
      policyNumber: 'HLT-2026-0001',
      productCode: 'HEALTH',
      customerId: 'CUS-0001',
      holderName: 'Nguyễn Văn An',
      ...period,
      status: 'in_force',
      premium: 6_500_000,
      addOns: [],
      covers: [
        cover('INPATIENT', 'Điều trị nội trú', 'Inpatient', ['illness', 'accident'], 200_000_000, {
          subLimit: 100_000_000,
        }),
        cover('MATERNITY', 'Thai sản', 'Maternity', ['maternity'], 30_000_000),
      ],
      insuredObject: { insuredPersons: ['Nguyễn Văn An'] },
    },
    {
      policyNumber: 'PRO-2026-0001',
      productCode: 'PROPERTY_FIRE',
      customerId: 'CUS-0002',
      holderName: 'Trần Thị Bình',
      ...period,
      status: 'in_force',
      premium: 3_200_000,
      insuredValue: 2_500_000_000,
      addOns: [],
      covers: [
        cover(
          'BUILDING',
          'Nhà và vật kiến trúc',
          'Building',
          ['fire', 'explosion', 'lightning', 'flood', 'storm'],
          2_000_000_000,
          // Each cover's own value: the policy's 2.5 billion is building and contents together.
          { insuredValue: 2_000_000_000, deductible: { fixed: 2_000_000, waivedOnTotalLoss: false } },
        ),
        cover(
          'CONTENTS',
          'Tài sản bên trong',
          'Contents',
          ['fire', 'explosion', 'lightning', 'flood', 'storm', 'theft'],
          500_000_000,
          { insuredValue: 500_000_000, deductible: { fixed: 1_000_000, waivedOnTotalLoss: false } },
        ),
      ],
      insuredObject: { address: '12 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh' },
    },
    {
      policyNumber: 'TRV-2026-0001',
      productCode: 'TRAVEL',
      customerId: 'CUS-0002',
      holderName: 'Trần Thị Bình',
      ...period,
      status: 'in_force',
      premium: 850_000,
      addOns: [],
      covers: [
        cover('MEDICAL', 'Chi phí y tế', 'Medical expenses', ['medical_abroad', 'accident'], 1_000_000_000),
        cover('BAGGAGE', 'Hành lý', 'Baggage', ['baggage_loss'], 30_000_000),
        cover('DELAY', 'Chuyến bay chậm', 'Flight delay', ['flight_delay', 'trip_cancellation'], 10_000_000),
      ],
      insuredObject: { destination: 'Japan', insuredPersons: ['Trần Thị Bình'] },
    },
    {
      policyNumber: 'MOT-2025-0042',
      productCode: 'MOTOR_OD',
      customerId: 'CUS-0003',
      holderName: 'Lê Minh Chi',
      effectiveFrom: `${from}T00:00:00+07:00`,
      effectiveTo: `${lapsedTo}T23:59:59+07:00`,
      status: 'lapsed',
      premium: 7_200_000,
      insuredValue: 480_000_000,
      addOns: [],
      covers: [
        cover(
          'OD',
          'Vật chất xe',
          'Own damage',
          ['collision', 'theft', 'fire', 'flood', 'storm', 'glass_breakage'],
          480_000_000,
          { deductible: { percentBps: 1000, minimum: 500_000, waivedOnTotalLoss: true } },
        ),
      ],
      insuredObject: { vehiclePlate: '51G-678.90', vehicleMakeModel: 'Mazda 3 2021' },
    },
    {
      policyNumber: 'HLT-2026-0007',
      productCode: 'HEALTH',
      customerId: 'CUS-0003',
      holderName: 'Lê Minh Chi',
      ...period,
      status: 'in_force',
      premium: 5_100_000,
      addOns: [],
      covers: [cover('INPATIENT', 'Điều trị nội trú', 'Inpatient', ['illness', 'accident'], 150_000_000)],
      insuredObject: { insuredPersons: ['Lê Minh Chi'] },
    },
  ];
}
