import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoIdentity, type IdentityProvider } from '../../lambdas/adapters/identity.ts';
import { getUserByUsername, putUser } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { decideAdminChange } from '../../lambdas/app/admin-changes.ts';
import type { ProductConfig } from '../../lambdas/core/products.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { fileClaim, getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { approvedBy, secondAdmin } from '../helpers/four-eyes.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { type Api, apiAs, eventually, sentEmails, useStack } from '../helpers/stack.ts';

/**
 * Administration against the running local stack: staff accounts (profile + the Cognito stand-in),
 * product configuration and the calendar (validated, versioned, in force at once because the stack
 * sets CONFIG_CACHE_SECONDS=0), and the admin audit chain. Every configuration changed here is put
 * back at the end so the other suites see the shipped defaults.
 */
const stack = useStack();
const identityUrl = stack.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;

let admin: Api;
let hai: Api;
let dung: Api;
let an: Api;
let adminId: string;
/** The second administrator: approves what `admin` proposes (core/admin-changes.ts). */
let admin2: Api;
let admin2Id: string;

const put = (api: Api, path: string, body: unknown) =>
  api.raw(path, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

interface IdentityUser {
  username: string;
  sub: string;
  attributes: Record<string, string>;
  groups: string[];
  enabled: boolean;
  signedOutAt?: string;
}
const identityUsers = async () =>
  ((await (await fetch(`${identityUrl}/local/users`)).json()) as { users: IdentityUser[] }).users;

/** An.nguyen's motor policies of this suite's own, removed after it. */
const policies = suitePolicies('MOT-ADM');
afterAll(() => policies.removeAll());

const suffix = randomUUID().slice(0, 8);
const newAdjuster = {
  displayName: 'Trương Văn Kiểm Thử',
  email: `kiem.thu.${suffix}@insurer.example.vn`,
  roles: ['adjuster'],
  skills: ['motor'],
  regions: ['Hà Nội'],
  authorityLimit: 20_000_000,
  active: true,
};

beforeAll(async () => {
  [admin, hai, dung, an] = await Promise.all([
    apiAs(stack.apiUrl, 'admin'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
    apiAs(stack.apiUrl, 'an.nguyen'),
  ]);
  adminId = (await admin.get('/me')).body.userId;
  ({ api: admin2, userId: admin2Id } = await secondAdmin(stack.apiUrl));
});

const post = (api: Api, path: string, body: unknown) =>
  api.raw(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
/** A PUT by `admin`, approved by the second administrator when it awaits one. */
const putApproved = async (path: string, body: unknown) => approvedBy(admin2, await put(admin, path, body));

describe('who may administer', () => {
  const adminRoutes = ROUTES.filter((r) => r.tag === 'admin');
  const callers = [
    { name: 'hai.do', roles: ['supervisor', 'adjuster'], api: () => hai },
    { name: 'dung.pham', roles: ['adjuster'], api: () => dung },
    { name: 'an.nguyen', roles: ['customer'], api: () => an },
  ];
  const cases = adminRoutes.flatMap((r) => callers.map((c) => [r.id, r.method, c.name, r, c] as const));

  it('covers every admin route, including the calendar', () => {
    expect(adminRoutes.map((r) => r.id).sort()).toEqual(
      [
        'AdminAuditLog',
        'DecideAdminChange',
        'GetPolicyImport',
        'ListAdminChanges',
        'ListPolicyImports',
        'ListProductConfigs',
        'ListStaff',
        'ListTemplates',
        'PreviewTemplate',
        'UpdateCalendar',
        'UpdateProductConfig',
        'UpdateQuotas',
        'UpdateStaff',
        'UpdateTemplate',
      ].sort(),
    );
  });

  it.each(cases)(
    '%s (%s) as %s: 403 unless the route names one of the roles',
    async (_id, method, _name, route, caller) => {
      const path = route.path
        .replace('{userId}', 'new')
        .replace('{productCode}', 'MOTOR_OD')
        .replace('{templateName}', 'acknowledgement')
        .replace('{importId}', '0'.repeat(26))
        .replace('{changeId}', '0'.repeat(26));
      const r =
        method === 'GET'
          ? await caller.api().get(path)
          : await caller.api().raw(path, {
              method,
              body: JSON.stringify({ expectedVersion: 0, config: {}, calendar: {}, template: {} }),
              headers: { 'content-type': 'application/json' },
            });
      const allowed = caller.roles.some((role) => (route.roles as readonly string[]).includes(role));
      if (allowed) {
        // A policy import that never existed: let in, and told so.
        expect(r.status).toBe(route.id === 'GetPolicyImport' ? 404 : 200);
      } else {
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('FORBIDDEN');
      }
    },
  );

  it('lets a supervisor read staff and configuration, and a customer neither', async () => {
    expect((await hai.get('/staff')).status).toBe(200);
    expect((await hai.get('/admin/products')).status).toBe(200);
    expect((await an.get('/staff')).status).toBe(403);
    expect((await an.get('/admin/products')).status).toBe(403);
  });
});

describe('staff accounts', () => {
  let created: { userId: string; username: string };

  it('creates an adjuster once a second admin approves: in GET /staff with no workload, in the identity provider, able to sign in', async () => {
    const proposed = await put(admin, '/admin/staff/new', newAdjuster);
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body.pending).toMatchObject({ kind: 'staff', loosens: ['roles', 'authorityLimit'] });
    // Nothing exists yet, at the identity provider or in the staff list.
    expect((await identityUsers()).some((u) => u.attributes.email === newAdjuster.email)).toBe(false);
    const r = await approvedBy(admin2, proposed);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.username).toBe(`kiem.thu.${suffix}`);
    expect(r.body.roles).toEqual(['adjuster']);
    created = r.body;

    const listed = await eventually(async () => {
      const staff = await admin.get('/staff');
      return staff.body.items.find((s: { userId: string }) => s.userId === created.userId);
    });
    expect(listed).toMatchObject({
      username: created.username,
      roles: ['adjuster'],
      active: true,
      openClaims: 0,
    });

    const account = (await identityUsers()).find((u) => u.sub === created.userId);
    expect(account).toMatchObject({ enabled: true, groups: ['adjuster'] });
    expect(account?.attributes).toMatchObject({
      email: newAdjuster.email,
      email_verified: 'true',
      'custom:locale': 'vi',
    });

    const me = await (await apiAs(stack.apiUrl, created.username)).get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: created.userId,
      username: created.username,
      roles: ['adjuster'],
    });
  });

  it('counts open claims assigned to a staff member', async () => {
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      cause: 'collision',
      lossAt: hoursAgo(20),
    });
    const parkedClaim = await until(hai, claimId, parked(), 20_000);
    const staff = async () =>
      (await hai.get('/staff')).body.items as {
        userId: string;
        roles: string[];
        active: boolean;
        openClaims: number;
      }[];
    const openOf = async (userId: string) => (await staff()).find((s) => s.userId === userId)?.openClaims;
    // Two active adjusters other than whoever the workflow picked: the claim goes to one, then the other.
    const [first, second] = (await staff()).filter(
      (s) => s.active && s.roles.includes('adjuster') && s.userId !== parkedClaim.assignee?.staffId,
    );
    if (!first || !second) throw new Error('the demo data has fewer than two other active adjusters');
    const reassign = async (staffId: string) => {
      const c = await getClaim(hai, claimId);
      const r = await hai.post(`/claims/${claimId}/assignment`, {
        expectedVersion: c.version,
        staffId,
        reason: 'Kiểm thử đếm hồ sơ đang xử lý',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    const before = await openOf(first.userId);
    await reassign(first.userId);
    expect(await openOf(first.userId)).toBe((before ?? 0) + 1);
    await reassign(second.userId);
    expect(await openOf(first.userId)).toBe(before);
  });

  it('changes roles and deactivates: the groups follow, a deactivated account cannot sign in', async () => {
    const r = await putApproved(`/admin/staff/${created.userId}`, {
      ...newAdjuster,
      roles: ['adjuster', 'supervisor'],
      active: false,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      roles: ['adjuster', 'supervisor'],
      active: false,
      version: 2,
      changed: true,
    });
    const account = (await identityUsers()).find((u) => u.sub === created.userId);
    expect(account?.groups.sort()).toEqual(['adjuster', 'supervisor']);
    expect(account?.enabled).toBe(false);
    const token = await fetch(`${stack.apiUrl}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: created.username }),
    });
    expect(token.status).toBe(404);

    // Enabled again: its roles come back with it, so a second admin approves.
    const back = await putApproved(`/admin/staff/${created.userId}`, newAdjuster);
    expect(back.status).toBe(200);
    expect((await identityUsers()).find((u) => u.sub === created.userId)).toMatchObject({
      groups: ['adjuster'],
      enabled: true,
    });
    const me = await (await apiAs(stack.apiUrl, created.username)).get('/me');
    expect(me.body.roles).toEqual(['adjuster']);
  });

  it('shows a staff member their own limits and account masked, never its fingerprint or the session cut-off', async () => {
    // A staff member with a bank account on record and a session cut-off (a contact change).
    const dung = (await getUserByUsername('dung.pham'))!;
    const stored = {
      ...dung.staff!,
      bankAccount: {
        bankName: 'ACB',
        accountHolder: 'PHAM DUNG',
        accountMask: '•••• 4321',
        accountFingerprint: 'fp-test',
      },
      sessionsFrom: '2020-01-01T00:00:00.000Z',
    };
    await putUser({ ...dung, staff: stored });
    try {
      const me = await (await apiAs(stack.apiUrl, 'dung.pham')).get('/me');
      expect(me.status).toBe(200);
      expect(me.body.staff).toMatchObject({ authorityLimit: dung.staff!.authorityLimit, active: true });
      expect(me.body.staff.bankAccount).toEqual({
        bankName: 'ACB',
        accountHolder: 'PHAM DUNG',
        accountMask: '•••• 4321',
      });
      expect(me.body.staff).not.toHaveProperty('sessionsFrom');
    } finally {
      await putUser(dung);
    }
  });

  it('writes nothing for a request that changes nothing', async () => {
    const r = await put(admin, `/admin/staff/${created.userId}`, newAdjuster);
    expect(r.status).toBe(200);
    expect(r.body.changed).toBe(false);
  });

  it("changes a colleague's e-mail only once a second admin approves, and ends their sessions", async () => {
    // Password reset goes to the e-mail: one administrator alone could otherwise take the account.
    const email = `kiem.thu.moi.${suffix}@insurer.example.vn`;
    const session = await apiAs(stack.apiUrl, created.username);
    expect((await session.get('/me')).status).toBe(200);
    const proposed = await put(admin, `/admin/staff/${created.userId}`, { ...newAdjuster, email });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body.pending.loosens).toEqual(['email']);
    const pool = async () => (await identityUsers()).find((u) => u.sub === created.userId);
    expect((await pool())?.attributes.email).toBe(newAdjuster.email);
    expect((await pool())?.signedOutAt).toBeUndefined();
    const r = await approvedBy(admin2, proposed);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.email).toBe(email);
    expect((await pool())?.attributes.email).toBe(email);
    expect((await pool())?.signedOutAt).toEqual(expect.any(String));
    // The token they held is refused from now on (an ID token outlives Cognito's sign-out)…
    const ended = await session.get('/me');
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('UNAUTHENTICATED');
    // …and a new sign-in works (token times are whole seconds: one after the cut-off's second).
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await (await apiAs(stack.apiUrl, created.username)).get('/me')).status).toBe(200);
    // The holder is told at the address they had, where reset codes no longer go.
    const told = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(newAdjuster.email) && m.subject.includes('Thông tin liên hệ'),
      ),
    );
    expect(told.body?.text).toContain(email);
    expect(told.body?.text).toContain(`kiem.thu.${suffix}`);
    const back = await putApproved(`/admin/staff/${created.userId}`, newAdjuster);
    expect(back.status).toBe(200);
    expect((await pool())?.attributes.email).toBe(newAdjuster.email);
  });

  it('puts the identity provider back when an approved contact change cannot be recorded', async () => {
    const email = `kiem.thu.rut.${suffix}@insurer.example.vn`;
    const proposed = await put(admin, `/admin/staff/${created.userId}`, { ...newAdjuster, email });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    const { changeId } = proposed.body.pending;
    // The proposer withdraws it while the approval is changing the identity provider: the approval's
    // transaction (which closes the pending change) then fails.
    const racing: IdentityProvider = {
      ...cognitoIdentity,
      async updateAttributes(sub, a) {
        await cognitoIdentity.updateAttributes(sub, a);
        const w = await post(admin, `/admin/changes/${changeId}`, { action: 'withdraw' });
        expect(w.status, JSON.stringify(w.body)).toBe(200);
      },
    };
    const approver = {
      userId: admin2Id,
      username: 'phuong.le',
      roles: ['admin' as const],
      locale: 'vi' as const,
    };
    await expect(
      decideAdminChange(approver, changeId, { action: 'approve' }, systemClock, racing),
    ).rejects.toThrow();
    const inPool = (await identityUsers()).find((u) => u.sub === created.userId);
    expect(inPool?.attributes.email).toBe(newAdjuster.email);
    const listed = ((await admin.get('/staff')).body.items as { userId: string; email: string }[]).find(
      (u) => u.userId === created.userId,
    );
    expect(listed?.email).toBe(newAdjuster.email);
  });

  /** The seeded adjuster giang.hoang as listed, and her account as the demo data seeds it. */
  const seededGiang = async () => {
    const staff = (await admin.get('/staff')).body.items as {
      userId: string;
      username: string;
      authorityLimit: number;
      version: number;
    }[];
    const giang = staff.find((s) => s.username === 'giang.hoang')!;
    const body = {
      displayName: 'Hoàng Thu Giang',
      email: 'giang.hoang@insurer.example.vn',
      roles: ['adjuster'],
      skills: ['motor', 'property'],
      regions: ['Hồ Chí Minh'],
      authorityLimit: giang.authorityLimit,
      active: true,
    };
    return { giang, body };
  };

  it('updates a seeded staff member, whose account the identity provider already has', async () => {
    const { giang, body: seeded } = await seededGiang();
    const body = { ...seeded, authorityLimit: giang.authorityLimit + 5_000_000 };
    const r = await putApproved(`/admin/staff/${giang.userId}`, body);
    expect(r.status).toBe(200);
    expect(r.body.authorityLimit).toBe(giang.authorityLimit + 5_000_000);
    const restored = await put(admin, `/admin/staff/${giang.userId}`, {
      ...body,
      authorityLimit: giang.authorityLimit,
    });
    expect(restored.status).toBe(200);
  });

  it('does not let an administrator working from an older read overwrite a change made since', async () => {
    const { giang, body } = await seededGiang();
    // Admin A deactivates her (she has left) from the list she read…
    const first = await put(admin, `/admin/staff/${giang.userId}`, {
      ...body,
      active: false,
      expectedVersion: giang.version,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // …admin B, with the same older list open, saves a region change that still says active.
    const stale = await put(admin, `/admin/staff/${giang.userId}`, {
      ...body,
      regions: ['Hà Nội'],
      expectedVersion: giang.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: giang.version + 1 });
    const now = (await admin.get('/staff')).body.items.find(
      (s: { userId: string }) => s.userId === giang.userId,
    );
    expect(now).toMatchObject({ active: false, regions: ['Hồ Chí Minh'] });
    // Put back as it was, from the version now stored (enabled again: approved by a second admin).
    const restored = await putApproved(`/admin/staff/${giang.userId}`, {
      ...body,
      expectedVersion: now.version,
    });
    expect(restored.status).toBe(200);
  });

  it('refuses a second account with the same username', async () => {
    const r = await put(admin, '/admin/staff/new', {
      ...newAdjuster,
      email: `kiem.thu.${suffix}@other.example.vn`,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([
      expect.objectContaining({ path: 'username', code: 'username_taken' }),
    ]);
  });

  it('refuses the customer role, an unknown id and a malformed body', async () => {
    const customer = await put(admin, '/admin/staff/new', {
      ...newAdjuster,
      roles: ['customer'],
      username: `x${suffix}`,
    });
    expect(customer.status).toBe(400);
    expect(customer.body.error.fields[0]).toMatchObject({ path: 'roles', code: 'customer_role' });
    const unknown = await put(admin, `/admin/staff/${randomUUID()}`, newAdjuster);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
    const malformed = await put(admin, '/admin/staff/new', {
      ...newAdjuster,
      authorityLimit: -1,
      email: 'nope',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(malformed.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'authorityLimit',
      'email',
    ]);
  });

  it('does not let an admin remove their own admin role or deactivate themselves', async () => {
    const self = {
      displayName: 'Quản trị hệ thống',
      email: 'admin@insurer.example.vn',
      roles: ['supervisor'],
      skills: [],
      regions: [],
      authorityLimit: 0,
      active: true,
    };
    const demote = await put(admin, `/admin/staff/${adminId}`, self);
    expect(demote.status).toBe(403);
    expect(demote.body.error.code).toBe('FORBIDDEN');
    const deactivate = await put(admin, `/admin/staff/${adminId}`, {
      ...self,
      roles: ['admin'],
      active: false,
    });
    expect(deactivate.status).toBe(403);
    expect((await admin.get('/me')).body.roles).toEqual(['admin']);
    expect((await admin.get('/admin/audit')).status).toBe(200);
  });

  it('does not let an admin give themselves what another admin must grant, nor a second account of their own', async () => {
    const me = (await admin.get('/me')).body as { email: string; displayName: string; phone?: string };
    const self = {
      displayName: me.displayName,
      email: me.email,
      roles: ['admin'],
      skills: [],
      regions: [],
      authorityLimit: 0,
      active: true,
    };
    // A supervisor's role and a 500-million limit on one's own account: approving alone next request.
    const escalate = await put(admin, `/admin/staff/${adminId}`, {
      ...self,
      roles: ['admin', 'supervisor'],
      authorityLimit: 500_000_000,
    });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.code).toBe('SOD_OWN_ACCOUNT');
    expect(escalate.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'authorityLimit',
      'roles',
    ]);
    const ownBank = await put(admin, `/admin/staff/${adminId}`, {
      ...self,
      bankAccount: { bankName: 'Vietcombank', accountNumber: '0011009988776', accountHolder: 'QUAN TRI' },
    });
    expect(ownBank.body.error?.code).toBe('SOD_OWN_ACCOUNT');
    expect((await admin.get('/me')).body.roles).toEqual(['admin']);
    // A second account with one's own e-mail would hold those roles instead.
    const twin = await put(admin, '/admin/staff/new', {
      ...self,
      username: `twin${suffix}`,
      roles: ['supervisor'],
      authorityLimit: 500_000_000,
    });
    expect(twin.status).toBe(403);
    expect(twin.body.error).toMatchObject({
      code: 'SOD_OWN_ACCOUNT',
      fields: [expect.objectContaining({ path: 'email' })],
    });
    // The same mailbox written another way (a sub-address, capitals) is still one's own.
    const [local, domain] = me.email.split('@');
    const tagged = { ...self, email: `${local?.toUpperCase()}+ops@${domain}`, roles: ['supervisor'] };
    const subAddressed = await put(admin, '/admin/staff/new', { ...tagged, username: `twin2${suffix}` });
    expect(subAddressed.status).toBe(403);
    expect(subAddressed.body.error.code).toBe('SOD_OWN_ACCOUNT');
    // Nor can another account be given it: its sign-in and reset codes would reach this admin.
    const other = await putApproved('/admin/staff/new', {
      ...newAdjuster,
      email: `khac.${suffix}@insurer.example.vn`,
    });
    expect(other.status).toBe(201);
    const adopted = await put(admin, `/admin/staff/${other.body.userId}`, {
      ...newAdjuster,
      ...tagged,
      roles: ['adjuster'],
    });
    expect(adopted.status).toBe(403);
    expect(adopted.body.error).toMatchObject({
      code: 'SOD_OWN_ACCOUNT',
      fields: [expect.objectContaining({ path: 'email' })],
    });
    const renamedOther = await put(admin, `/admin/staff/${other.body.userId}`, {
      ...newAdjuster,
      email: `khac.${suffix}@insurer.example.vn`,
      displayName: 'Tên Khác',
    });
    expect(renamedOther.status).toBeLessThan(300);
    // The name shown is one's own to change.
    const renamed = await put(admin, `/admin/staff/${adminId}`, {
      ...self,
      displayName: `${me.displayName} `,
    });
    expect(renamed.status).toBeLessThan(300);
    expect((await put(admin, `/admin/staff/${adminId}`, self)).status).toBeLessThan(300);
  });
});

/** What an audit event's before/after holds, as far as these tests look. */
interface Snapshot {
  config?: ProductConfig;
  email?: string;
  roles?: string[];
  active?: boolean;
}

interface ConfigItem {
  code: string;
  version: number;
  config: ProductConfig;
  updatedBy?: string;
  history: { version: number }[];
}

describe('product configuration and calendar', () => {
  const inForce = async () =>
    (await admin.get('/admin/products')).body as {
      items: ConfigItem[];
      calendar: {
        version: number;
        calendar: { weekend: number[]; holidays: string[]; workingWeekends: string[] };
      };
    };
  const product = async (code: string) => (await inForce()).items.find((i) => i.code === code)!;
  let motor: ConfigItem;
  let originals: Map<string, Record<string, unknown>>;
  let originalCalendar: Record<string, unknown>;

  beforeAll(async () => {
    const all = await inForce();
    originals = new Map(all.items.map((i) => [i.code, i.config]));
    originalCalendar = all.calendar.calendar;
    motor = all.items.find((i) => i.code === 'MOTOR_OD')!;
  });

  afterAll(async () => {
    const all = await inForce();
    for (const item of all.items) {
      const r = await putApproved(`/admin/products/${item.code}`, {
        expectedVersion: item.version,
        config: originals.get(item.code),
      });
      expect(r.status).toBe(200);
    }
    const cal = await putApproved('/admin/calendar', {
      expectedVersion: all.calendar.version,
      calendar: originalCalendar,
    });
    expect(cal.status).toBe(200);
  });

  it('lists every product with its version, and the calendar', async () => {
    const all = await inForce();
    expect(all.items.map((i) => i.code).sort()).toEqual([
      'HEALTH',
      'MOTOR_OD',
      'MOTOR_TPL',
      'PROPERTY_FIRE',
      'TRAVEL',
    ]);
    expect(motor.config.code).toBe('MOTOR_OD');
    expect(Number.isInteger(motor.version)).toBe(true);
    expect(all.calendar.calendar.weekend).toEqual([0, 6]);
  });

  it('refuses a quorum the departments cannot reach', async () => {
    const config = { ...motor.config, jointDecision: { ...motor.config.jointDecision, quorum: 5 } };
    const r = await put(admin, '/admin/products/MOTOR_OD', { expectedVersion: motor.version, config });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CONFIG_INVALID');
    expect(r.body.error.fields).toEqual([
      expect.objectContaining({ path: 'jointDecision.quorum', code: 'quorum_exceeds_departments' }),
    ]);
  });

  it('refuses a payment deadline beyond the 15 days of Art. 31', async () => {
    const deadlines = motor.config.deadlines.map((d: { kind: string }) =>
      d.kind === 'payment' ? { ...d, amount: 20 } : d,
    );
    const index = deadlines.findIndex((d: { kind: string }) => d.kind === 'payment');
    const r = await put(admin, '/admin/products/MOTOR_OD', {
      expectedVersion: motor.version,
      config: { ...motor.config, deadlines },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CONFIG_INVALID');
    expect(r.body.error.fields).toEqual([
      expect.objectContaining({ path: `deadlines.${index}.amount`, code: 'exceeds_legal_maximum' }),
    ]);
  });

  it('answers CONFIG_INVALID for shape errors and a body for another product too', async () => {
    const shape = await put(admin, '/admin/products/MOTOR_OD', {
      expectedVersion: motor.version,
      config: { ...motor.config, noticeDays: -1, surprise: true },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe('CONFIG_INVALID');
    expect(shape.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'noticeDays',
      'surprise',
    ]);
    const other = await put(admin, '/admin/products/HEALTH', { expectedVersion: 0, config: motor.config });
    expect(other.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'code', code: 'code_mismatch' })]),
    );
    const unknown = await put(admin, '/admin/products/BOAT', { expectedVersion: 0, config: motor.config });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('puts a valid change in force at once and bumps the version', async () => {
    const noticeDays = motor.config.noticeDays + 7;
    const r = await put(admin, '/admin/products/MOTOR_OD', {
      expectedVersion: motor.version,
      config: { ...motor.config, noticeDays },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 'MOTOR_OD', version: motor.version + 1, changed: true });
    expect(r.headers.get('etag')).toBe(`"${motor.version + 1}"`);

    const products = await an.get('/products');
    expect(products.body.items.find((p: { code: string }) => p.code === 'MOTOR_OD').noticeDays).toBe(
      noticeDays,
    );
    const now = await product('MOTOR_OD');
    expect(now).toMatchObject({ version: motor.version + 1, updatedBy: adminId });
    expect(now.history[0]?.version).toBe(motor.version + 1);
  });

  it('refuses a change based on a stale version', async () => {
    const current = await product('MOTOR_OD');
    const r = await put(admin, '/admin/products/MOTOR_OD', {
      expectedVersion: current.version - 1,
      config: { ...current.config, noticeDays: 3 },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('VERSION_CONFLICT');
    expect(r.body.error.currentVersion).toBe(current.version);
    expect((await product('MOTOR_OD')).config.noticeDays).toBe(current.config.noticeDays);
  });

  it('changes the calendar, validated the same way', async () => {
    const { calendar } = await inForce();
    const bad = await put(admin, '/admin/calendar', {
      expectedVersion: calendar.version,
      calendar: { ...calendar.calendar, workingWeekends: ['2026-05-04'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([
      expect.objectContaining({ path: 'workingWeekends.0', code: 'not_a_weekend_day' }),
    ]);
    // Sixty days off in a row (December and January): every working-day deadline pushed back months.
    const winter = Array.from({ length: 61 }, (_, i) =>
      new Date(Date.parse('2026-12-02T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
    );
    const long = await put(admin, '/admin/calendar', {
      expectedVersion: calendar.version,
      calendar: { ...calendar.calendar, holidays: [...new Set([...calendar.calendar.holidays, ...winter])] },
    });
    expect(long.status).toBe(400);
    expect(long.body.error.fields.map((f: { code: string }) => f.code)).toContain(
      'too_many_days_off_in_a_row',
    );
    // A holiday added pushes deadlines back: it waits for a second administrator.
    const proposed = await put(admin, '/admin/calendar', {
      expectedVersion: calendar.version,
      calendar: { ...calendar.calendar, holidays: [...calendar.calendar.holidays, '2027-12-31'] },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body.pending).toMatchObject({ kind: 'calendar', loosens: ['holidays'] });
    expect((await inForce()).calendar).toMatchObject({ version: calendar.version });
    expect((await inForce()).calendar.calendar.holidays).not.toContain('2027-12-31');
    const own = await post(admin, `/admin/changes/${proposed.body.pending.changeId}`, { action: 'approve' });
    expect(own.body.error?.code).toBe('SOD_OWN_PROPOSAL');
    const ok = await approvedBy(admin2, proposed);
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(calendar.version + 1);
    expect((await inForce()).calendar.calendar.holidays).toContain('2027-12-31');
    // Taking it out again brings deadlines forward only: at once.
    const back = await put(admin, '/admin/calendar', {
      expectedVersion: calendar.version + 1,
      calendar: calendar.calendar,
    });
    expect(back.status).toBe(200);
    expect(back.body.version).toBe(calendar.version + 2);
  });

  it('keeps one unbroken chain when two admins change different things at once', async () => {
    const [tpl, health] = await Promise.all([product('MOTOR_TPL'), product('HEALTH')]);
    const results = await Promise.all([
      put(admin, '/admin/products/MOTOR_TPL', {
        expectedVersion: tpl.version,
        config: { ...tpl.config, noticeDays: 6 },
      }),
      put(admin, '/admin/products/HEALTH', {
        expectedVersion: health.version,
        config: { ...health.config, noticeDays: 31 },
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const audit = await admin.get('/admin/audit');
    expect(audit.body.verdict.ok).toBe(true);
  });

  it('records every change in a verified admin audit chain, newest first, with before and after', async () => {
    const r = await admin.get('/admin/audit');
    expect(r.status).toBe(200);
    expect(r.body.verdict).toEqual({ ok: true, length: expect.any(Number) });
    const items = r.body.items as {
      seq: number;
      type: string;
      actor: unknown;
      data: { code?: string; version?: number; created?: boolean; userId?: string };
      before?: Snapshot;
      after?: Snapshot;
    }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(200);
    expect(items.map((e) => e.seq)).toEqual([...items.map((e) => e.seq)].sort((a, b) => b - a));

    const change = items.find(
      (e) =>
        e.type === 'ProductConfigChanged' &&
        e.data.code === 'MOTOR_OD' &&
        e.data.version === motor.version + 1,
    );
    expect(change?.actor).toEqual({ kind: 'staff', role: 'admin', id: adminId });
    expect(change?.before?.config?.noticeDays).toBe(motor.config.noticeDays);
    expect(change?.after?.config?.noticeDays).toBe(motor.config.noticeDays + 7);

    const createdStaff = items.find(
      (e) => e.type === 'StaffChanged' && e.data.created && e.after?.email === newAdjuster.email,
    );
    expect(createdStaff?.before).toBeUndefined();
    expect(createdStaff?.after).toMatchObject({
      roles: ['adjuster'],
      authorityLimit: 20_000_000,
      active: true,
    });
    const roleChange = items.find(
      (e) =>
        e.type === 'StaffChanged' && e.data.userId === createdStaff?.data.userId && e.after?.active === false,
    );
    expect(roleChange?.before).toMatchObject({ roles: ['adjuster'], active: true });
    expect(roleChange?.after).toMatchObject({ roles: ['adjuster', 'supervisor'], active: false });
    expect(items.some((e) => e.type === 'CalendarChanged')).toBe(true);
    // Nothing secret is recorded.
    expect(JSON.stringify(items)).not.toMatch(/password|token/i);
  });
});

describe('four eyes on money controls and staff authority', () => {
  const travel = async () =>
    ((await admin.get('/admin/products')).body.items as ConfigItem[]).find((i) => i.code === 'TRAVEL')!;
  const pendingList = async () =>
    (await admin2.get('/admin/changes')).body.items as {
      changeId: string;
      kind: string;
      target: string;
      proposedBy: string;
      loosens: string[];
      before?: { straightThroughMax?: number };
      after: { straightThroughMax?: number };
    }[];

  it('keeps a PUT that loosens a money control pending until a second admin approves; the proposer cannot', async () => {
    const before = await travel();
    const raised = before.config.straightThroughMax + 1_000_000;
    const proposed = await put(admin, '/admin/products/TRAVEL', {
      expectedVersion: before.version,
      config: { ...before.config, straightThroughMax: raised },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body).toMatchObject({ changed: false, version: before.version });
    const { changeId } = proposed.body.pending;
    // Not in force: the configuration, its version and what customers and the workflow read.
    expect(await travel()).toMatchObject({ version: before.version });
    expect((await travel()).config.straightThroughMax).toBe(before.config.straightThroughMax);
    const listed = (await pendingList()).find((c) => c.changeId === changeId);
    expect(listed).toMatchObject({ kind: 'product', target: 'TRAVEL', proposedBy: adminId });
    expect(listed?.loosens).toEqual(['straightThroughMax']);
    expect(listed?.before?.straightThroughMax).toBe(before.config.straightThroughMax);
    expect(listed?.after.straightThroughMax).toBe(raised);

    const own = await post(admin, `/admin/changes/${changeId}`, { action: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('SOD_OWN_PROPOSAL');
    // One open change per product: a second proposal waits for the first to be decided.
    const second = await put(admin, '/admin/products/TRAVEL', {
      expectedVersion: before.version,
      config: { ...before.config, straightThroughMax: raised + 1 },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('CHANGE_PENDING');
    expect((await travel()).config.straightThroughMax).toBe(before.config.straightThroughMax);

    const approved = await post(admin2, `/admin/changes/${changeId}`, { action: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ decision: 'approved', result: { version: before.version + 1 } });
    expect(await travel()).toMatchObject({ version: before.version + 1, updatedBy: admin2Id });
    expect((await travel()).config.straightThroughMax).toBe(raised);
    expect((await pendingList()).some((c) => c.changeId === changeId)).toBe(false);

    const audit = (await admin.get('/admin/audit')).body;
    expect(audit.verdict.ok).toBe(true);
    const ofChange = (audit.items as { type: string; actor: { id: string }; data: Record<string, unknown> }[])
      .filter((e) => e.data.changeId === changeId)
      .map((e) => [e.type, e.actor.id, e.data.decision]);
    expect(ofChange).toEqual([
      ['ProductConfigChanged', admin2Id, undefined],
      ['AdminChangeDecided', admin2Id, 'approved'],
      ['AdminChangeProposed', adminId, undefined],
    ]);

    // Tightening takes effect at once, from one admin.
    const lowered = await put(admin, '/admin/products/TRAVEL', {
      expectedVersion: before.version + 1,
      config: { ...before.config, straightThroughMax: before.config.straightThroughMax },
    });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect(lowered.body).toMatchObject({ changed: true, version: before.version + 2 });
    expect(lowered.body.pending).toBeUndefined();
    expect((await travel()).config.straightThroughMax).toBe(before.config.straightThroughMax);
  });

  it('puts nothing in force when the second admin rejects or the proposer withdraws', async () => {
    const before = await travel();
    const looser = {
      ...before.config,
      approvalControls: { singleAssessorMax: 150_000_000 },
      straightThrough: { ...before.config.straightThrough, postAuditShareBps: 0 },
    };
    const first = await put(admin, '/admin/products/TRAVEL', {
      expectedVersion: before.version,
      config: looser,
    });
    expect(first.status).toBe(202);
    expect(first.body.pending.loosens).toEqual([
      'approvalControls.singleAssessorMax',
      'straightThrough.postAuditShareBps',
    ]);
    const rejected = await post(admin2, `/admin/changes/${first.body.pending.changeId}`, {
      action: 'reject',
      note: 'No reason given',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decision).toBe('rejected');
    const again = await post(admin2, `/admin/changes/${first.body.pending.changeId}`, { action: 'approve' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('CHANGE_NOT_FOUND');

    const next = await put(admin, '/admin/products/TRAVEL', {
      expectedVersion: before.version,
      config: looser,
    });
    expect(next.status).toBe(202);
    const notTheirs = await post(admin2, `/admin/changes/${next.body.pending.changeId}`, {
      action: 'withdraw',
    });
    expect(notTheirs.status).toBe(403);
    const withdrawn = await post(admin, `/admin/changes/${next.body.pending.changeId}`, {
      action: 'withdraw',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.decision).toBe('withdrawn');
    expect(await travel()).toEqual(before);
  });

  it('keeps a grant of authority pending, never approved by the one it grants to', async () => {
    const staff = (await admin.get('/staff')).body.items as {
      userId: string;
      displayName: string;
      email: string;
      roles: string[];
      authorityLimit: number;
      active: boolean;
      version: number;
    }[];
    const two = staff.find((s) => s.userId === admin2Id)!;
    const body = {
      displayName: two.displayName,
      email: two.email,
      roles: two.roles,
      skills: [],
      regions: [],
      authorityLimit: two.authorityLimit,
      active: true,
    };
    // A friend's limit raised to a trillion, and a supervisor's role with it.
    const raise = await put(admin, `/admin/staff/${admin2Id}`, {
      ...body,
      roles: ['admin', 'supervisor'],
      authorityLimit: 1_000_000_000_000,
    });
    expect(raise.status).toBe(202);
    expect(raise.body.pending.loosens).toEqual(['roles', 'authorityLimit']);
    expect((await admin2.get('/me')).body.roles).toEqual(['admin']);
    const self = await post(admin2, `/admin/changes/${raise.body.pending.changeId}`, { action: 'approve' });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SOD_OWN_ACCOUNT');
    expect(
      (await post(admin, `/admin/changes/${raise.body.pending.changeId}`, { action: 'withdraw' })).status,
    ).toBe(200);
    expect(
      (await admin.get('/staff')).body.items.find((s: { userId: string }) => s.userId === admin2Id),
    ).toMatchObject({ roles: ['admin'], authorityLimit: two.authorityLimit, version: two.version });
  });

  it('does not let an admin demote or deactivate the last other active admin', async () => {
    const staff = (await admin.get('/staff')).body.items as {
      userId: string;
      displayName: string;
      email: string;
      roles: string[];
      authorityLimit: number;
      active: boolean;
    }[];
    // The stack's administrators are the seeded one and the second one, no other.
    expect(
      staff
        .filter((s) => s.roles.includes('admin') && s.active)
        .map((s) => s.userId)
        .sort(),
    ).toEqual([adminId, admin2Id].sort());
    const two = staff.find((s) => s.userId === admin2Id)!;
    const body = {
      displayName: two.displayName,
      email: two.email,
      roles: two.roles,
      skills: [],
      regions: [],
      authorityLimit: two.authorityLimit,
      active: true,
    };
    const off = await put(admin, `/admin/staff/${admin2Id}`, { ...body, active: false });
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('SOD_LAST_OTHER_ADMIN');
    const demoted = await put(admin, `/admin/staff/${admin2Id}`, { ...body, roles: ['supervisor'] });
    expect(demoted.status).toBe(403);
    expect(demoted.body.error.code).toBe('SOD_LAST_OTHER_ADMIN');
    expect((await admin2.get('/me')).body.roles).toEqual(['admin']);
  });
});
