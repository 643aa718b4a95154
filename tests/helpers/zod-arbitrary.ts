import fc from 'fast-check';
import type * as z from 'zod';

/**
 * fast-check arbitraries read off zod (v4) schemas: values of the right shape, mostly within the
 * schema's bounds, so generated bodies get past the parser into the use cases. Types this does not
 * know fall back to any JSON value (that is fuzzing too).
 */
type Def = { type: string; [k: string]: any };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

interface Bounds {
  min?: number;
  max?: number;
  int: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
}

function boundsOf(def: Def): Bounds {
  const b: Bounds = { int: false };
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && /int/.test(d.format)) b.int = true;
    if (d.check === 'greater_than') b.min = d.value + (d.inclusive ? 0 : 1);
    if (d.check === 'less_than') b.max = d.value - (d.inclusive ? 0 : 1);
    if (d.check === 'min_length') b.minLength = d.minimum;
    if (d.check === 'max_length') b.maxLength = d.maximum;
    if (d.check === 'length_equals') b.minLength = b.maxLength = d.length;
    if (d.check === 'string_format' && d.pattern instanceof RegExp) b.pattern = d.pattern;
  }
  return b;
}

const isoDateTime = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
  .chain((d) =>
    fc.constantFrom(d.toISOString(), d.toISOString().replace('Z', '+07:00'), d.toISOString().slice(0, 19)),
  );

function stringArb(def: Def): fc.Arbitrary<string> {
  const b = boundsOf(def);
  if (def.format === 'datetime') return isoDateTime;
  if (def.format === 'date') return isoDateTime.map((s) => s.slice(0, 10));
  // fast-check's RFC addresses are wider than zod's email pattern: keep most of them parseable.
  if (def.format === 'email')
    return fc.oneof(
      fc
        .tuple(
          fc.stringMatching(/^[a-z0-9][a-z0-9._]{0,15}$/),
          fc.constantFrom('example.vn', 'mail.example.com'),
        )
        .map(([user, domain]) => `${user}@${domain}`),
      fc.emailAddress(),
    );
  if (def.format === 'uuid' || def.format === 'guid') return fc.uuid();
  const pattern = b.pattern ?? (def.pattern instanceof RegExp ? def.pattern : undefined);
  if (pattern) {
    // fast-check matches only some flags; without `i` the strings are a (case-sensitive) subset.
    const usable = new RegExp(pattern.source, pattern.flags.replace(/[^dgmsu]/g, ''));
    return fc.stringMatching(usable).filter((s) => s.length <= (b.maxLength ?? 4000));
  }
  const minLength = b.minLength ?? 0;
  const maxLength = Math.min(b.maxLength ?? 60, Math.max(minLength, 60));
  return fc.oneof(
    fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
  );
}

function numberArb(def: Def): fc.Arbitrary<number> {
  const b = boundsOf(def);
  const min = b.min ?? -1_000_000;
  const max = b.max ?? Math.max(min + 1_000_000, 1_000_000);
  if (b.int) {
    const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
    const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
    // Small values too (versions, counts), where the interesting cases are.
    return fc.oneof(fc.integer({ min: lo, max: Math.min(hi, lo + 20) }), fc.integer({ min: lo, max: hi }));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values shaped like `schema`'s input. */
export function arbitraryFor(schema: z.core.$ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > 8) return fc.constant(null);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const required = Object.keys(shape).filter((k) => {
        const t = defOf(shape[k]).type;
        return t !== 'optional' && t !== 'default';
      });
      const fields = Object.fromEntries(
        Object.entries(shape).map(([k, v]) => [k, arbitraryFor(v, depth + 1)]),
      );
      return fc.record(fields, { requiredKeys: required });
    }
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'int':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...(Object.values(def.entries) as (string | number)[]));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array': {
      const b = boundsOf(def);
      const minLength = b.minLength ?? 0;
      return fc.array(arbitraryFor(def.element, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(b.maxLength ?? 4, 4)),
      });
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return arbitraryFor(def.innerType, depth + 1);
    case 'nullable':
      return fc.option(arbitraryFor(def.innerType, depth + 1), { nil: null, freq: 5 });
    case 'union':
      return fc.oneof(...(def.options as z.core.$ZodType[]).map((o) => arbitraryFor(o, depth + 1)));
    case 'pipe':
      return arbitraryFor(def.in, depth + 1);
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}
