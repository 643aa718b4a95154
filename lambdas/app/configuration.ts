import { commitWithAudit } from '../adapters/dynamo/admin-audit-repo.ts';
import { configChangeWrites, configHistory, currentConfigs } from '../adapters/dynamo/config-repo.ts';
import { configScopes } from '../adapters/dynamo/keys.ts';
import { HolidayCalendar, VN_DEFAULT_CALENDAR } from '../core/calendar.ts';
import { calendarIssues, ProductConfigShape, productConfigIssues } from '../core/config-rules.ts';
import { DomainError, type FieldIssue, VersionConflictError } from '../core/errors.ts';
import { canonicalJson, type EventType } from '../core/events.ts';
import { DEFAULT_PRODUCTS, ProductConfig, productByCode } from '../core/products.ts';
import { DEFAULT_QUOTAS, QuotaLimits } from '../core/quotas.ts';
import type { Clock } from '../core/time.ts';
import { zodFieldIssues } from '../core/field-issues.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { invalidateConfigCache } from './products.ts';
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
    return { version: currentVersion, updatedAt: current?.updatedAt ?? '', changed: false };
  }
  const now = clock.now();
  const version = currentVersion + 1;
  const writes = configChangeWrites(
    { scope: c.scope, value: c.value, updatedAt: now.toISOString(), updatedBy: principal.userId },
    currentVersion,
  );
  await commitWithAudit(
    writes,
    [
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
  const r = await changeConfig(principal, clock, {
    scope: configScopes.product(code),
    type: 'ProductConfigChanged',
    field: 'config',
    value: config,
    fallback: shipped,
    expectedVersion: body.expectedVersion,
    data: { code },
  });
  return { code, ...r };
}

/** Puts a new version of the working-day calendar in force (PUT /admin/calendar). */
export async function changeCalendar(
  principal: Principal,
  body: { expectedVersion: number; calendar: unknown },
  clock: Clock,
): Promise<ConfigChanged> {
  return changeConfig(principal, clock, {
    scope: configScopes.calendar,
    type: 'CalendarChanged',
    field: 'calendar',
    value: validateCalendar(body.calendar),
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
