import { commitWithAudit, type GuardedWrite } from '../adapters/dynamo/admin-audit-repo.ts';
import { calendarLoosening, type PendingAdminChange, productLoosening } from '../core/admin-changes.ts';
import { configChangeWrites, configHistory, currentConfigs } from '../adapters/dynamo/config-repo.ts';
import { configScopes } from '../adapters/dynamo/keys.ts';
import { HolidayCalendar, VN_DEFAULT_CALENDAR } from '../core/calendar.ts';
import { calendarIssues, ProductConfigShape, productConfigIssues } from '../core/config-rules.ts';
import { DomainError, type FieldIssue, VersionConflictError } from '../core/errors.ts';
import { canonicalJson, type EventType, type NewEvent } from '../core/events.ts';
import { DEFAULT_PRODUCTS, ProductConfig, productByCode } from '../core/products.ts';
import { DEFAULT_QUOTAS, QuotaLimits } from '../core/quotas.ts';
import type { Clock } from '../core/time.ts';
import { zodFieldIssues } from '../core/field-issues.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { invalidateConfigCache } from './products.ts';
import { proposeChange } from './pending-changes.ts';
import { adminActor } from './staff-context.ts';

/**
 * Product configuration, the holiday calendar and the quotas, as admins change them: validated
 * (schema, then the semantic rules in core/config-rules.ts) before anything is written, stored as a
 * new version under optimistic locking, and recorded in the admin audit chain in the same
 * transaction. Notification templates go the same way (`changeConfig`) from
 * app/template-configuration.ts, apart so that only the template functions bundle Mustache, the
 * template rules and the shipped template texts.
 */

export const invalid = (fields: FieldIssue[]) =>
  new DomainError('CONFIG_INVALID', 'The configuration is not valid', { fields });

/**
 * The product config an admin sent, or CONFIG_INVALID with every issue found: the shape first, then
 * the semantic rules (precise paths and codes), then the full schema as a backstop.
 */
export function validateProductConfig(pathCode: string, raw: unknown): ProductConfig {
  const shape = ProductConfigShape.safeParse(raw);
  if (!shape.success) throw invalid(zodFieldIssues(shape.error));
  const issues = productConfigIssues(pathCode, shape.data);
  if (issues.length > 0) throw invalid(issues);
  const full = ProductConfig.safeParse(raw);
  if (!full.success) throw invalid(zodFieldIssues(full.error));
  return full.data;
}

export function validateCalendar(raw: unknown): HolidayCalendar {
  const parsed = HolidayCalendar.safeParse(raw);
  if (!parsed.success) throw invalid(zodFieldIssues(parsed.error));
  const issues = calendarIssues(parsed.data);
  if (issues.length > 0) throw invalid(issues);
  return parsed.data;
}

export interface ConfigChanged {
  version: number;
  updatedAt: string;
  /** False when the value sent equals the one in force: nothing was written. */
  changed: boolean;
  /**
   * Set when the change loosens a money control: it is stored as pending and nothing is in force
   * until another administrator approves it (core/admin-changes.ts).
   */
  pending?: PendingAdminChange;
}

export interface Change<T> {
  scope: string;
  type: EventType;
  /** Name of the value in the audit event's before/after (`config`, `calendar`). */
  field: string;
  value: T;
  /** What is in force while nothing is stored. */
  fallback: T;
  expectedVersion: number;
  data: Record<string, unknown>;
  /**
   * Written and recorded with the change, all or nothing: the approval of a pending change (its
   * close and its decision event), so an approved change is in force exactly when it is decided.
   */
  also?: { writes: GuardedWrite[]; events: NewEvent[] };
}

export async function changeConfig<T>(
  principal: Principal,
  clock: Clock,
  c: Change<T>,
): Promise<ConfigChanged> {
  const current = (await currentConfigs([c.scope])).get(c.scope);
  const currentVersion = current?.version ?? 0;
  // Checked again by the transaction's condition; this early answer just saves a write.
  if (c.expectedVersion !== currentVersion) throw new VersionConflictError(currentVersion);
  const before = current?.value ?? c.fallback;
  if (canonicalJson(before) === canonicalJson(c.value)) {
    // An approved change that is already in force still closes, with its decision on the chain.
    if (c.also) await commitWithAudit(c.also.writes, c.also.events, clock.now());
    return { version: currentVersion, updatedAt: current?.updatedAt ?? '', changed: false };
  }
  const now = clock.now();
  const version = currentVersion + 1;
  const writes = configChangeWrites(
    { scope: c.scope, value: c.value, updatedAt: now.toISOString(), updatedBy: principal.userId },
    currentVersion,
  );
  await commitWithAudit(
    [...(c.also?.writes ?? []), ...writes],
    [
      ...(c.also?.events ?? []),
      {
        type: c.type,
        actor: adminActor(principal),
        data: { ...c.data, version },
        before: { version: currentVersion, [c.field]: before },
        after: { version, [c.field]: c.value },
      },
    ],
    now,
  );
  invalidateConfigCache();
  return { version, updatedAt: now.toISOString(), changed: true };
}

/** Puts a new version of a product's configuration in force (PUT /admin/products/{productCode}). */
export async function changeProductConfig(
  principal: Principal,
  code: string,
  body: { expectedVersion: number; config: unknown },
  clock: Clock,
): Promise<ConfigChanged & { code: string }> {
  const shipped = productByCode(DEFAULT_PRODUCTS, code);
  if (!shipped) throw new DomainError('PRODUCT_NOT_FOUND', `No product ${code}`);
  const config = validateProductConfig(code, body.config);
  const scope = configScopes.product(code);
  // Four eyes: a change that loosens a money control waits for another administrator.
  const current = await inForce<ProductConfig>(scope, shipped, body.expectedVersion);
  const loosens = productLoosening(current.value, config);
  if (loosens.length > 0) {
    const pending = await proposeChange(principal, clock, {
      kind: 'product',
      target: code,
      baseVersion: current.version,
      before: current.value,
      after: config,
      loosens,
      field: 'config',
      auditBefore: current.value,
      auditAfter: config,
    });
    return { code, version: current.version, updatedAt: current.updatedAt, changed: false, pending };
  }
  const r = await changeConfig(principal, clock, {
    scope,
    type: 'ProductConfigChanged',
    field: 'config',
    value: config,
    fallback: shipped,
    expectedVersion: body.expectedVersion,
    data: { code },
  });
  return { code, ...r };
}

/**
 * The value in force for `scope` with its version, refused (VERSION_CONFLICT) when the admin worked
 * from another version: a proposal is made against what they saw.
 */
async function inForce<T>(scope: string, fallback: T, expectedVersion: number) {
  const current = (await currentConfigs([scope])).get(scope);
  const version = current?.version ?? 0;
  if (expectedVersion !== version) throw new VersionConflictError(version);
  return {
    version,
    value: (current?.value as T | undefined) ?? fallback,
    updatedAt: current?.updatedAt ?? '',
  };
}

/**
 * Puts an approved product change in force (app/admin-changes.ts): checked again against today's
 * rules, made against the version it was proposed on, closed and recorded in the same transaction.
 */
export async function applyProductChange(
  approver: Principal,
  change: PendingAdminChange,
  decision: { writes: GuardedWrite[]; events: NewEvent[] },
  clock: Clock,
): Promise<ConfigChanged & { code: string }> {
  const code = change.target;
  const shipped = productByCode(DEFAULT_PRODUCTS, code);
  if (!shipped) throw new DomainError('PRODUCT_NOT_FOUND', `No product ${code}`);
  const r = await changeConfig(approver, clock, {
    scope: configScopes.product(code),
    type: 'ProductConfigChanged',
    field: 'config',
    value: validateProductConfig(code, change.after),
    fallback: shipped,
    expectedVersion: change.baseVersion,
    data: { code, changeId: change.changeId, proposedBy: change.proposedBy },
    also: decision,
  });
  return { code, ...r };
}

/** Puts an approved calendar change in force, as {@link applyProductChange} does a product's. */
export async function applyCalendarChange(
  approver: Principal,
  change: PendingAdminChange,
  decision: { writes: GuardedWrite[]; events: NewEvent[] },
  clock: Clock,
): Promise<ConfigChanged> {
  return changeConfig(approver, clock, {
    scope: configScopes.calendar,
    type: 'CalendarChanged',
    field: 'calendar',
    value: validateCalendar(change.after),
    fallback: VN_DEFAULT_CALENDAR,
    expectedVersion: change.baseVersion,
    data: { changeId: change.changeId, proposedBy: change.proposedBy },
    also: decision,
  });
}

/** Puts a new version of the working-day calendar in force (PUT /admin/calendar). */
export async function changeCalendar(
  principal: Principal,
  body: { expectedVersion: number; calendar: unknown },
  clock: Clock,
): Promise<ConfigChanged> {
  const calendar = validateCalendar(body.calendar);
  // Four eyes: a holiday or rest day added, or a make-up working day removed, pushes every
  // working-day deadline (legal ones included) back, so another administrator approves it.
  const current = await inForce<HolidayCalendar>(
    configScopes.calendar,
    VN_DEFAULT_CALENDAR,
    body.expectedVersion,
  );
  const loosens = calendarLoosening(current.value, calendar);
  if (loosens.length > 0) {
    const pending = await proposeChange(principal, clock, {
      kind: 'calendar',
      target: 'calendar',
      baseVersion: current.version,
      before: current.value,
      after: calendar,
      loosens,
      field: 'calendar',
      auditBefore: current.value,
      auditAfter: calendar,
    });
    return { version: current.version, updatedAt: current.updatedAt, changed: false, pending };
  }
  return changeConfig(principal, clock, {
    scope: configScopes.calendar,
    type: 'CalendarChanged',
    field: 'calendar',
    value: calendar,
    fallback: VN_DEFAULT_CALENDAR,
    expectedVersion: body.expectedVersion,
    data: {},
  });
}

/**
 * Puts new per-caller write quotas in force (PUT /admin/quotas; core/quotas.ts): validated,
 * versioned and audited like the calendar. The local test stack raises the claims quota this way
 * (tests/helpers/global-setup.ts).
 */
export async function changeQuotas(
  principal: Principal,
  body: { expectedVersion: number; quotas: unknown },
  clock: Clock,
): Promise<ConfigChanged> {
  const parsed = QuotaLimits.safeParse(body.quotas, { reportInput: true });
  if (!parsed.success) throw invalid(zodFieldIssues(parsed.error));
  return changeConfig(principal, clock, {
    scope: configScopes.quotas,
    type: 'QuotasChanged',
    field: 'quotas',
    value: parsed.data,
    fallback: DEFAULT_QUOTAS,
    expectedVersion: body.expectedVersion,
    data: {},
  });
}

/** The quotas in force now with their version (0 = core/quotas.ts defaults), read from the table. */
export async function quotasInForce() {
  const s = (await currentConfigs([configScopes.quotas])).get(configScopes.quotas);
  return { version: s?.version ?? 0, quotas: (s?.value as QuotaLimits | undefined) ?? DEFAULT_QUOTAS };
}

/**
 * Everything configurable, as in force now (version 0 = the shipped default), each with its recent
 * version history. Read straight from the table, not from the 30 s cache.
 */
export async function configurationInForce() {
  const productScopes = DEFAULT_PRODUCTS.map((p) => configScopes.product(p.code));
  const scopes = [...productScopes, configScopes.calendar, configScopes.quotas];
  const [stored, histories] = await Promise.all([
    currentConfigs(scopes),
    Promise.all(scopes.map((s) => configHistory(s))),
  ]);
  const entry = (scope: string, i: number, fallback: unknown) => {
    const s = stored.get(scope);
    return {
      version: s?.version ?? 0,
      value: s?.value ?? fallback,
      updatedAt: s?.updatedAt,
      updatedBy: s?.updatedBy,
      history: histories[i] ?? [],
    };
  };
  const calendar = entry(configScopes.calendar, scopes.length - 2, VN_DEFAULT_CALENDAR);
  const quotas = entry(configScopes.quotas, scopes.length - 1, DEFAULT_QUOTAS);
  return {
    items: DEFAULT_PRODUCTS.map((p, i) => {
      const { value, ...rest } = entry(productScopes[i] ?? '', i, p);
      return { code: p.code, config: value, ...rest };
    }),
    calendar: {
      version: calendar.version,
      calendar: calendar.value,
      updatedAt: calendar.updatedAt,
      updatedBy: calendar.updatedBy,
      history: calendar.history,
    },
    quotas: {
      version: quotas.version,
      quotas: quotas.value,
      updatedAt: quotas.updatedAt,
      updatedBy: quotas.updatedBy,
      history: quotas.history,
    },
  };
}
