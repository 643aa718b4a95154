import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { MAX_COVERS, type Policy, Policy as PolicySchema } from './policy.ts';

/**
 * Policy files from the insurer's policy administration system (docs/policy-import.md): CSV with
 * one row per cover, or JSON Lines with one policy version per line. Everything here is pure: the
 * adapter streams the file and hands rows in; this module turns them into validated policies or
 * coded row errors, and decides what a policy version does to the stored one.
 */
export const IMPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format a file's name says it is in, or undefined (the import then fails as UNSUPPORTED_FORMAT). */
export function importFormatOf(key: string): ImportFormat | undefined {
  const k = key.toLowerCase();
  if (k.endsWith('.csv')) return 'csv';
  if (k.endsWith('.jsonl') || k.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

/**
 * Why a row was not imported. Row reasons are data for the error report (what the policy system
 * must fix), not errors a client of the API receives, so they live here rather than in errors.ts.
 */
export const IMPORT_ROW_CODES = [
  /** The line is not CSV / JSON (broken quotes, wrong column count, invalid JSON). */
  'MALFORMED_LINE',
  /** A line longer than MAX_LINE_BYTES: skipped without being read into memory. */
  'LINE_TOO_LONG',
  /**
   * The line's bytes are not UTF-8: refused rather than read with U+FFFD in place of the bad bytes
   * (a name or an amount silently changed); the rest of the file is read as usual.
   */
  'INVALID_ENCODING',
  /** A JSON line names the same key twice (JSON.parse would keep the last one silently; `field` names it). */
  'DUPLICATE_KEY',
  /** A field is missing or has the wrong form (`field` names it). */
  'INVALID_FIELD',
  /** Cover rows of one policy version disagree on a policy-level column. */
  'COVER_ROWS_DISAGREE',
  /** More than MAX_COVERS cover rows for one policy version. */
  'TOO_MANY_COVERS',
  /** The same policy version was imported before with different content: versions are immutable. */
  'VERSION_CONFLICT',
  /** The policy number belongs to another customer in the stored version. */
  'CUSTOMER_MISMATCH',
  /**
   * The version skips numbers after the stored one (versions go up by one): the versions between
   * are missing, or the number is wrong (a version 99,999 would freeze the policy).
   */
  'VERSION_GAP',
  /** The version is older than the stored one and not stored already: it came too late to apply. */
  'VERSION_OUT_OF_ORDER',
  /**
   * The table refused this version's items as invalid (DynamoDB ValidationException: a key or an
   * item over its size limit): that one version is not stored, the rest of the file goes on.
   */
  'WRITE_REFUSED',
] as const;
export type ImportRowCode = (typeof IMPORT_ROW_CODES)[number];

/** File-level reasons: the import stops before any row is read. */
export const IMPORT_FILE_CODES = [
  'UNSUPPORTED_FORMAT',
  'MISSING_COLUMNS',
  'UNKNOWN_COLUMNS',
  /** The header names a column twice: which of the two a row means cannot be known. */
  'DUPLICATE_COLUMNS',
  'FILE_NOT_FOUND',
  /**
   * A step of the import failed for good (after the state machine's retries): the import stops at
   * its checkpoint; starting the execution again with the same input resumes from there.
   */
  'IMPORT_STEP_FAILED',
] as const;
export type ImportFileCode = (typeof IMPORT_FILE_CODES)[number];

export interface ImportRowError {
  /** 1-based line of the file (the first line of a multi-row policy for policy-level reasons). */
  line: number;
  code: ImportRowCode | ImportFileCode;
  field?: string;
  message: string;
  policyNumber?: string;
}

export { MAX_COVERS };
/** A CSV record or JSON line larger than this is rejected (LINE_TOO_LONG / MALFORMED_LINE). */
export const MAX_LINE_BYTES = 256 * 1024;

// ---- CSV -----------------------------------------------------------------------------------------

/** Policy-level columns: every cover row of one policy version repeats them. */
export const CSV_POLICY_COLUMNS = [
  'policy_number',
  'version',
  'change_type',
  'change_effective_at',
  'product_code',
  'customer_id',
  'holder_name',
  'holder_id_number',
  'effective_from',
  'effective_to',
  'status',
  'premium',
  'insured_value',
  'add_ons',
  'vehicle_plate',
  'vehicle_make_model',
  'address',
  'insured_persons',
  'destination',
] as const;
/** Contact columns: each row may carry one registered contact; the policy gets the distinct ones. */
export const CSV_CONTACT_COLUMNS = ['contact_name', 'contact_email', 'contact_phone'] as const;
export const CSV_COVER_COLUMNS = [
  'cover_code',
  'cover_name_vi',
  'cover_name_en',
  'cover_causes',
  'sum_insured',
  'sub_limit',
  'cover_insured_value',
  'deductible_fixed',
  'deductible_percent_bps',
  'deductible_minimum',
  'deductible_waived_on_total_loss',
] as const;
export const CSV_COLUMNS = [...CSV_POLICY_COLUMNS, ...CSV_CONTACT_COLUMNS, ...CSV_COVER_COLUMNS] as const;
const REQUIRED_CSV_COLUMNS = [
  'policy_number',
  'version',
  'product_code',
  'customer_id',
  'holder_name',
  'effective_from',
  'effective_to',
  'status',
  'premium',
  'cover_code',
  'cover_causes',
  'sum_insured',
] as const;

/** Checks a CSV header; the import fails as a whole on duplicate, unknown or missing columns. */
export function checkCsvHeader(header: readonly string[]): ImportRowError | undefined {
  const duplicates = [...new Set(header.filter((h, i) => header.indexOf(h) !== i))];
  if (duplicates.length > 0)
    return {
      line: 1,
      code: 'DUPLICATE_COLUMNS',
      message: `Columns named more than once: ${duplicates.join(', ')}`,
    };
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0)
    return { line: 1, code: 'UNKNOWN_COLUMNS', message: `Unknown columns: ${unknown.join(', ')}` };
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    return { line: 1, code: 'MISSING_COLUMNS', message: `Missing columns: ${missing.join(', ')}` };
  return undefined;
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';
const text = (v: string | undefined) => (blank(v) ? undefined : (v as string).trim());
/** Integers stay strings when they are not plain digits, so zod reports the field as invalid. */
const int = (v: string | undefined): number | string | undefined => {
  const t = text(v);
  return t === undefined ? undefined : /^-?\d{1,16}$/.test(t) ? Number(t) : t;
};
const list = (v: string | undefined) =>
  blank(v)
    ? undefined
    : (v as string)
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean);
/** Plain dates mean the Vietnamese business day: from 00:00, to 23:59:59 (UTC+7). */
const instant = (v: string | undefined, endOfDay = false) => {
  const t = text(v);
  if (t && /^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t}T${endOfDay ? '23:59:59' : '00:00:00'}+07:00`;
  return t;
};
const bool = (v: string | undefined): boolean | string | undefined => {
  const t = text(v)?.toLowerCase();
  if (t === undefined) return undefined;
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return t;
};
const compact = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export type CsvRecord = Record<string, string>;

/** The policy-level part of a cover row: cover rows of one version must agree on it. */
function csvPolicyPart(r: CsvRecord) {
  return compact({
    policyNumber: text(r.policy_number),
    version: int(r.version),
    changeType: text(r.change_type),
    changeEffectiveAt: instant(r.change_effective_at),
    productCode: text(r.product_code),
    customerId: text(r.customer_id),
    holderName: text(r.holder_name),
    holderIdNumber: text(r.holder_id_number),
    effectiveFrom: instant(r.effective_from),
    effectiveTo: instant(r.effective_to, true),
    status: text(r.status),
    premium: int(r.premium),
    insuredValue: int(r.insured_value),
    addOns: list(r.add_ons),
    insuredObject: compact({
      vehiclePlate: text(r.vehicle_plate),
      vehicleMakeModel: text(r.vehicle_make_model),
      address: text(r.address),
      insuredPersons: list(r.insured_persons),
      destination: text(r.destination),
    }),
  });
}

function csvCoverPart(r: CsvRecord) {
  const deductible = compact({
    fixed: int(r.deductible_fixed),
    percentBps: int(r.deductible_percent_bps),
    minimum: int(r.deductible_minimum),
    waivedOnTotalLoss: bool(r.deductible_waived_on_total_loss),
  });
  const code = text(r.cover_code);
  return compact({
    code,
    name: {
      vi: text(r.cover_name_vi) ?? code ?? '',
      en: text(r.cover_name_en) ?? text(r.cover_name_vi) ?? code ?? '',
    },
    causes: list(r.cover_causes),
    sumInsured: int(r.sum_insured),
    subLimit: int(r.sub_limit),
    insuredValue: int(r.cover_insured_value),
    deductible: Object.keys(deductible).length > 0 ? deductible : undefined,
  });
}

function csvContactPart(r: CsvRecord) {
  const c = compact({
    name: text(r.contact_name),
    email: text(r.contact_email),
    phone: text(r.contact_phone),
  });
  return c.email || c.phone ? c : undefined;
}

/** One policy version's cover rows, as read from the file. */
export interface CsvGroup {
  key: string;
  firstLine: number;
  lines: number[];
  records: CsvRecord[];
}

export type ParsedPolicy =
  | { ok: true; policy: Policy; lines: number[] }
  | { ok: false; errors: ImportRowError[] };

/** Turns one CSV group into a validated policy version, or row errors. */
export function policyFromCsvGroup(group: CsvGroup): ParsedPolicy {
  const first = group.records[0] as CsvRecord;
  const policyNumber = text(first.policy_number);
  if (group.records.length > MAX_COVERS) {
    return {
      ok: false,
      errors: [
        {
          line: group.firstLine,
          code: 'TOO_MANY_COVERS',
          message: `${group.records.length} cover rows; at most ${MAX_COVERS}`,
          ...(policyNumber ? { policyNumber } : {}),
        },
      ],
    };
  }
  const head = csvPolicyPart(first);
  const headJson = JSON.stringify(head);
  for (let i = 1; i < group.records.length; i++) {
    const other = JSON.stringify(csvPolicyPart(group.records[i] as CsvRecord));
    if (other !== headJson) {
      return {
        ok: false,
        errors: [
          {
            line: group.lines[i] as number,
            code: 'COVER_ROWS_DISAGREE',
            message: `Policy columns differ from line ${group.firstLine}`,
            ...(policyNumber ? { policyNumber } : {}),
          },
        ],
      };
    }
  }
  const contacts: ReturnType<typeof csvContactPart>[] = [];
  const seen = new Set<string>();
  for (const r of group.records) {
    const c = csvContactPart(r);
    if (!c) continue;
    const k = JSON.stringify(c);
    if (!seen.has(k)) {
      seen.add(k);
      contacts.push(c);
    }
  }
  const candidate = { ...head, contacts, covers: group.records.map(csvCoverPart) };
  return validatePolicy(candidate, group.firstLine, group.lines, (path) => {
    // Point a cover's problem at its own row.
    if (path[0] === 'covers' && typeof path[1] === 'number') return group.lines[path[1]] ?? group.firstLine;
    return group.firstLine;
  });
}

// ---- JSON Lines ----------------------------------------------------------------------------------

/** One JSON line: a policy version in the shape of {@link PolicySchema}. */
export function policyFromJsonLine(line: string, lineNumber: number): ParsedPolicy {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, errors: [{ line: lineNumber, code: 'MALFORMED_LINE', message: 'Not valid JSON' }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      errors: [{ line: lineNumber, code: 'MALFORMED_LINE', message: 'Not a JSON object' }],
    };
  const duplicate = duplicateJsonKey(line);
  if (duplicate !== undefined) {
    const policyNumber = (value as { policyNumber?: unknown }).policyNumber;
    return {
      ok: false,
      errors: [
        {
          line: lineNumber,
          code: 'DUPLICATE_KEY',
          field: duplicate,
          message: `Key "${duplicate}" appears twice in one object`,
          ...(typeof policyNumber === 'string' ? { policyNumber } : {}),
        },
      ],
    };
  }
  // Plain dates are business days, as in the CSV.
  const v = value as Record<string, unknown>;
  const dated = {
    ...v,
    ...(typeof v.effectiveFrom === 'string' ? { effectiveFrom: instant(v.effectiveFrom) } : {}),
    ...(typeof v.effectiveTo === 'string' ? { effectiveTo: instant(v.effectiveTo, true) } : {}),
    ...(typeof v.changeEffectiveAt === 'string' ? { changeEffectiveAt: instant(v.changeEffectiveAt) } : {}),
  };
  return validatePolicy(dated, lineNumber, [lineNumber], () => lineNumber);
}

/**
 * The path of the first key named twice in one object of a JSON text that JSON.parse accepted, or
 * undefined. JSON.parse keeps the last of two equal keys without a word, so `{"sumInsured": 1,
 * "sumInsured": 900000000}` would import the second whatever a reviewer of the file read first.
 * One pass over the text (a line is at most MAX_LINE_BYTES) with one key set per open object;
 * keys are compared after unescaping (`"a"` and `"\u0061"` are the same key).
 */
export function duplicateJsonKey(text: string): string | undefined {
  // One frame per open object or array: an object's keys so far, and the path it sits under.
  const frames: { keys?: Set<string>; path: string }[] = [];
  let lastKey: string | undefined; // the path of the key whose value comes next
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      i = j;
      let k = j + 1;
      while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r' || text[k] === '\n') k++;
      const top = frames.at(-1);
      if (text[k] === ':' && top?.keys) {
        const key = JSON.parse(raw) as string;
        const path = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) return path;
        top.keys.add(key);
        lastKey = path;
      }
    } else if (ch === '{' || ch === '[') {
      const top = frames.at(-1);
      const path = top?.keys ? (lastKey ?? top.path) : (top?.path ?? '');
      frames.push(ch === '{' ? { keys: new Set(), path } : { path });
    } else if (ch === '}' || ch === ']') {
      frames.pop();
    }
  }
  return undefined;
}

function validatePolicy(
  candidate: unknown,
  firstLine: number,
  lines: number[],
  lineOf: (path: readonly PropertyKey[]) => number,
): ParsedPolicy {
  const r = PolicySchema.safeParse(candidate);
  if (r.success) return { ok: true, policy: r.data, lines };
  const policyNumber =
    typeof (candidate as { policyNumber?: unknown }).policyNumber === 'string'
      ? ((candidate as { policyNumber: string }).policyNumber as string)
      : undefined;
  // One error per offending field, capped so a garbage line cannot flood the report.
  const errors = r.error.issues.slice(0, 5).map((i) => ({
    line: lineOf(i.path) ?? firstLine,
    code: 'INVALID_FIELD' as const,
    field: i.path.map(String).join('.') || '(row)',
    message: i.message,
    ...(policyNumber ? { policyNumber } : {}),
  }));
  return { ok: false, errors };
}

// ---- What a version does to the stored policy ----------------------------------------------------

/** A stable hash of a policy version's content: re-importing the same version is recognised by it. */
export function policyContentHash(p: Policy): string {
  return createHash('sha256').update(canonicalJson(p)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface StoredPolicyVersion {
  version: number;
  contentHash: string;
  customerId: string;
}

export type PolicyWritePlan =
  /** No stored policy: version becomes current. */
  | { kind: 'create' }
  /** The next version (stored + 1): it becomes current, the older stays in the history. */
  | { kind: 'replace' }
  /** The same version with the same content: nothing to write (idempotent re-import). */
  | { kind: 'unchanged' }
  | {
      kind: 'reject';
      code: 'VERSION_CONFLICT' | 'CUSTOMER_MISMATCH' | 'VERSION_GAP' | 'VERSION_OUT_OF_ORDER';
      message: string;
    };

/**
 * What an incoming policy version does given the stored current version. Versions are immutable
 * and go up by one: the same number with other content is rejected, never silently overwritten;
 * only the next number (stored + 1) replaces the current one. A jump (a gap, or a poisoned version
 * 99,999 that would make every real version after it "older") and an older version not stored
 * already are row errors a person sees in the import report, not writes: an older version stored
 * to the history only would leave a real cancellation without effect while the import reported
 * success. A policy never seen starts at whatever version the policy system gives it (policies
 * written before this system took them over). `olderHash` is the stored hash of the incoming
 * version number when it is older than current (undefined if absent).
 */
export function planPolicyWrite(
  current: StoredPolicyVersion | undefined,
  incoming: Policy,
  incomingHash: string,
  olderHash?: string,
): PolicyWritePlan {
  if (!current) return { kind: 'create' };
  if (current.customerId !== incoming.customerId)
    return {
      kind: 'reject',
      code: 'CUSTOMER_MISMATCH',
      message: `Policy ${incoming.policyNumber} belongs to another customer`,
    };
  const conflict = {
    kind: 'reject',
    code: 'VERSION_CONFLICT',
    message: `Version ${incoming.version} was imported before with other content`,
  } as const;
  if (incoming.version === current.version + 1) return { kind: 'replace' };
  if (incoming.version > current.version)
    return {
      kind: 'reject',
      code: 'VERSION_GAP',
      message: `Version ${incoming.version} does not follow the stored version ${current.version}: send version ${current.version + 1} first`,
    };
  if (incoming.version === current.version)
    return current.contentHash === incomingHash ? { kind: 'unchanged' } : conflict;
  if (olderHash === undefined)
    return {
      kind: 'reject',
      code: 'VERSION_OUT_OF_ORDER',
      message: `Version ${incoming.version} is older than the stored version ${current.version} and was never imported: it cannot apply any more`,
    };
  return olderHash === incomingHash ? { kind: 'unchanged' } : conflict;
}

/** One recorded difference between two versions of a policy (what the fraud features read). */
export interface PolicyChange {
  field:
    | 'status'
    | 'productCode'
    | 'sumInsured'
    | 'subLimit'
    | 'causes'
    | 'deductible'
    | 'cover'
    | 'address'
    | 'vehiclePlate'
    | 'insuredPersons'
    | 'effectiveFrom'
    | 'effectiveTo'
    | 'insuredValue'
    | 'addOns'
    | 'contacts'
    | 'holder';
  cover?: string;
  from?: string | number;
  to?: string | number;
}

/** A list as one value of a change (`a;b`), order kept as the policy system sent it. */
const joined = (xs: readonly string[] | undefined) => (xs && xs.length > 0 ? xs.join(';') : undefined);
/** A deductible as one comparable value, keys sorted (a stored map keeps no order): `fixed=…;minimum=…`. */
const deductibleText = (d: Policy['covers'][number]['deductible']) =>
  d
    ? Object.entries(d)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(';')
    : undefined;
const contactText = (cs: Policy['contacts']) =>
  joined(cs.map((c) => [c.name, c.email, c.phone].filter(Boolean).join(' ')));

/**
 * The differences that matter for claims and fraud: every field a payout depends on (the period,
 * status, product, per cover its sum insured, sub-limit, value, causes and deductible, covers added or
 * removed, the insured value, add-ons, insured persons), where the notices go (registered contacts),
 * and who and what is insured (holder, address, plate). Fields that change no payout (premium, make
 * and model, destination, the holder's id number) are left out.
 */
export function policyChanges(before: Policy | undefined, after: Policy): PolicyChange[] {
  if (!before) return [];
  const out: PolicyChange[] = [];
  const change = (
    field: PolicyChange['field'],
    from: string | number | undefined,
    to: string | number | undefined,
    cover?: string,
  ) => {
    if ((from ?? '') !== (to ?? ''))
      out.push({ field, ...(cover ? { cover } : {}), ...compact({ from, to }) });
  };
  change('status', before.status, after.status);
  change('productCode', before.productCode, after.productCode);
  change('effectiveFrom', before.effectiveFrom, after.effectiveFrom);
  change('effectiveTo', before.effectiveTo, after.effectiveTo);
  change('holder', before.holderName, after.holderName);
  const a = before.insuredObject;
  const b = after.insuredObject;
  change('address', a.address, b.address);
  change('vehiclePlate', a.vehiclePlate, b.vehiclePlate);
  change('insuredPersons', joined(a.insuredPersons), joined(b.insuredPersons));
  change('insuredValue', before.insuredValue, after.insuredValue);
  change('addOns', joined(before.addOns), joined(after.addOns));
  change('contacts', contactText(before.contacts), contactText(after.contacts));
  const old = new Map(before.covers.map((c) => [c.code, c]));
  for (const c of after.covers) {
    const o = old.get(c.code);
    if (!o) {
      out.push({ field: 'cover', cover: c.code, to: c.sumInsured });
      continue;
    }
    old.delete(c.code);
    change('sumInsured', o.sumInsured, c.sumInsured, c.code);
    change('subLimit', o.subLimit, c.subLimit, c.code);
    change('insuredValue', o.insuredValue, c.insuredValue, c.code);
    change('causes', joined(o.causes), joined(c.causes), c.code);
    change('deductible', deductibleText(o.deductible), deductibleText(c.deductible), c.code);
  }
  for (const o of old.values()) out.push({ field: 'cover', cover: o.code, from: o.sumInsured });
  return out;
}

/**
 * Each stored version with what changed from the version before it, in version order (the policy
 * system numbers its versions in the order it made them; an endorsement dated back still follows
 * the version it changes). Derived when read rather than stored when written, so versions that
 * arrive out of order (version 2's file before version 1's, or a missing version filled in later)
 * are each compared with their true predecessor, and the one after a late arrival is compared
 * with it instead of with what was stored before.
 */
export function withVersionChanges<V extends { policy: Policy }>(
  versions: readonly V[],
): (V & { changes: PolicyChange[] })[] {
  const sorted = [...versions].sort((a, b) => a.policy.version - b.policy.version);
  return sorted.map((v, k) => ({ ...v, changes: policyChanges(sorted[k - 1]?.policy, v.policy) }));
}

// ---- The import record ---------------------------------------------------------------------------

export const IMPORT_STATUSES = ['running', 'completed', 'failed'] as const;

export interface ImportCounts {
  /** Rows (CSV records or JSON lines) read, including bad ones. */
  rows: number;
  /**
   * Policy versions written as new policies / as the next version / into history only (no longer
   * done: a version older than the stored one is VERSION_OUT_OF_ORDER; kept for imports recorded
   * before).
   */
  created: number;
  replaced: number;
  historyOnly: number;
  /** Policy versions already stored with the same content. */
  unchanged: number;
  /** Rows that went to the error report. */
  rejected: number;
}

export const emptyCounts = (): ImportCounts => ({
  rows: 0,
  created: 0,
  replaced: 0,
  historyOnly: 0,
  unchanged: 0,
  rejected: 0,
});

export const addCounts = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  rows: a.rows + b.rows,
  created: a.created + b.created,
  replaced: a.replaced + b.replaced,
  historyOnly: a.historyOnly + b.historyOnly,
  unchanged: a.unchanged + b.unchanged,
  rejected: a.rejected + b.rejected,
});

/** An import is identified by the file (bucket, key and ETag): a re-delivered S3 event resumes it. */
export function importIdOf(bucket: string, key: string, etag: string): string {
  return createHash('sha256')
    .update(`${bucket}\u0000${key}\u0000${etag.replaceAll('"', '')}`)
    .digest('hex')
    .slice(0, 26);
}

export const ImportIdParam = /* @__PURE__ */ defineSchema(() => z.string().check(z.regex(/^[0-9a-f]{26}$/)));

/**
 * How long one invocation may keep reading before it checkpoints and hands over to the next
 * (the Step Functions loop): a fifth of the time it was given, at least 5 s and at most 60 s, is
 * kept in reserve to finish the batch in flight and write the checkpoint.
 */
export function readBudgetMs(remainingMs: number): number {
  const reserve = Math.min(60_000, Math.max(5_000, Math.floor(remainingMs / 5)));
  return Math.max(1_000, remainingMs - reserve);
}
