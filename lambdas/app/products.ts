import type * as z from 'zod/mini';
import { currentConfigs, currentConfigsWith, type StoredConfig } from '../adapters/dynamo/config-repo.ts';
import { type ItemRead, readItems } from '../adapters/dynamo/item-reads.ts';
import { configScopes } from '../adapters/dynamo/keys.ts';
import { currentInvocation, optionalEnv } from '../adapters/env.ts';
import { HolidayCalendar, VN_DEFAULT_CALENDAR } from '../core/calendar.ts';
import { PRODUCT_CODES } from '../core/product-codes.ts';
import { DEFAULT_PRODUCTS, ProductConfig, productByCode } from '../core/products.ts';
import { DEFAULT_QUOTAS, QuotaLimits } from '../core/quotas.ts';
import { MessageTemplate, TEMPLATE_NAMES, type TemplateName } from '../core/templates.ts';

/**
 * The product catalogue, working-day calendar, notification templates and write quotas in force: the admin-edited
 * versions stored in the table (CURRENT items) where there are any, the shipped defaults otherwise.
 * Read for every claim step, so each Lambda container keeps them for `CONFIG_CACHE_SECONDS`
 * (default 30 s): an admin's change reaches every container within that time; the local stack sets 0.
 */
interface InForce {
  /** The stored (admin-edited) versions as read, by scope. */
  stored: ReadonlyMap<string, StoredConfig>;
  /**
   * Each part checked and defaulted on first use, by its own `load…` function, so a function that
   * only reads a claim with the configuration (`readWithConfig`) bundles none of the configuration
   * schemas, and only the functions that render a message bundle the shipped templates' text.
   */
  products?: readonly ProductConfig[];
  calendar?: HolidayCalendar;
  templates: Map<TemplateName, MessageTemplate>;
  quotas?: QuotaLimits;
}

const DEFAULT_TTL_SECONDS = 30;
let cache: { at: number; value: Promise<InForce> } | undefined;

function ttlMs(): number {
  const s = Number(optionalEnv('CONFIG_CACHE_SECONDS', String(DEFAULT_TTL_SECONDS)));
  return Number.isFinite(s) && s >= 0 ? s * 1000 : DEFAULT_TTL_SECONDS * 1000;
}

/**
 * A stored version that no longer parses (a later release tightened the schema) falls back to the
 * shipped default rather than stopping every claim: the defaults keep the legal deadlines. Loud in
 * the logs so an admin re-saves it.
 */
function parsed<T>(stored: StoredConfig | undefined, schema: z.ZodMiniType<T>, fallback: T): T {
  if (!stored) return fallback;
  const r = schema.safeParse(stored.value);
  if (r.success) return r.data;
  console.error(
    JSON.stringify({
      level: 'ERROR',
      message: 'stored configuration is invalid; using the default',
      scope: stored.scope,
      version: stored.version,
    }),
  );
  return fallback;
}

const configScopeList = () => [
  ...PRODUCT_CODES.map((code) => configScopes.product(code)),
  configScopes.calendar,
  ...TEMPLATE_NAMES.map((n) => configScopes.template(n)),
  configScopes.quotas,
];

const inForceOf = (stored: Map<string, StoredConfig>): InForce => ({ stored, templates: new Map() });

// One BatchGet for everything (5 products, the calendar, 16 templates, the quotas: under its 100 keys).
async function readInForce(): Promise<InForce> {
  return inForceOf(await currentConfigs(configScopeList()));
}

/**
 * Without a container cache (`CONFIG_CACHE_SECONDS=0`, as the local stack runs so an admin's change
 * shows at once) the configuration is still read once per invocation, not at every step of it:
 * submission and the acknowledgement each read it twice otherwise.
 */
const perInvocation = new WeakMap<object, Promise<InForce>>();

/** The configuration this invocation may use without reading it (cached, or already being read). */
function known(): Promise<InForce> | undefined {
  const invocation = ttlMs() === 0 ? currentInvocation() : undefined;
  if (invocation) return perInvocation.get(invocation);
  return cache && Date.now() - cache.at < ttlMs() ? cache.value : undefined;
}

/** Keeps a configuration being read for this invocation, or for the container's cache time. */
function remember(value: Promise<InForce>): void {
  const invocation = ttlMs() === 0 ? currentInvocation() : undefined;
  if (invocation) {
    perInvocation.set(invocation, value);
    value.catch(() => perInvocation.delete(invocation));
    return;
  }
  cache = { at: Date.now(), value };
  // A failed read is not cached: the next call tries again.
  value.catch(() => {
    if (cache?.value === value) cache = undefined;
  });
}

function inForce(): Promise<InForce> {
  const existing = known();
  if (existing) return existing;
  const value = readInForce();
  remember(value);
  return value;
}

/**
 * Items a step needs (its claim, a policy, counters) read together with the configuration when
 * the configuration is not at hand yet: one BatchGetItem instead of two requests. When it is at
 * hand (cached, or read earlier in this invocation) only the items are read.
 */
export async function readWithConfig<T>(read: ItemRead<T>): Promise<T> {
  if (known()) return readItems(read);
  const both = currentConfigsWith(configScopeList(), read);
  remember(both.then((b) => inForceOf(b.configs)));
  return (await both).also;
}

/** Forgets the cached configuration (this container just changed it). */
export function invalidateConfigCache(): void {
  cache = undefined;
  const invocation = currentInvocation();
  if (invocation) perInvocation.delete(invocation);
}

export async function loadProducts(): Promise<readonly ProductConfig[]> {
  const config = await inForce();
  config.products ??= DEFAULT_PRODUCTS.map((p) =>
    parsed(config.stored.get(configScopes.product(p.code)), ProductConfig, p),
  );
  return config.products;
}

export async function loadProduct(code: string): Promise<ProductConfig | undefined> {
  return productByCode(await loadProducts(), code);
}

/** The working-day calendar in force (Vietnamese public holidays; admin-editable). */
export async function loadCalendar(): Promise<HolidayCalendar> {
  const config = await inForce();
  config.calendar ??= parsed(config.stored.get(configScopes.calendar), HolidayCalendar, VN_DEFAULT_CALENDAR);
  return config.calendar;
}

/**
 * The calendar in force and its version (0 while the shipped default is in force), read past the
 * container's cache: for work that must know which calendar change it runs under (re-planning).
 */
export async function calendarInForce(): Promise<{ calendar: HolidayCalendar; version: number }> {
  invalidateConfigCache();
  const config = await inForce();
  const stored = config.stored.get(configScopes.calendar);
  config.calendar ??= parsed(stored, HolidayCalendar, VN_DEFAULT_CALENDAR);
  return { calendar: config.calendar, version: stored?.version ?? 0 };
}

/**
 * The notification template in force: the admin-edited version, or `shipped` (its
 * lambdas/templates/<name>.json, which the caller names: DEFAULT_TEMPLATES[name], or one template
 * alone, core/templates.ts `ShippedTemplate`).
 */
export async function loadTemplate(name: TemplateName, shipped: MessageTemplate): Promise<MessageTemplate> {
  const config = await inForce();
  let template = config.templates.get(name);
  if (!template) {
    template = parsed(config.stored.get(configScopes.template(name)), MessageTemplate, shipped);
    config.templates.set(name, template);
  }
  return template;
}

/** The per-caller write quotas in force (admin-edited, or core/quotas.ts DEFAULT_QUOTAS). */
export async function loadQuotas(): Promise<QuotaLimits> {
  const config = await inForce();
  config.quotas ??= parsed(config.stored.get(configScopes.quotas), QuotaLimits, DEFAULT_QUOTAS);
  return config.quotas;
}
