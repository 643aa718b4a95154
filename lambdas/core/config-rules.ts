import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { HolidayCalendar } from './calendar.ts';
import type { FieldIssue } from './errors.ts';
import { DEFAULT_APPEAL_WINDOW } from './appeal.ts';
import { singleAssessorMax } from './controls.ts';
import { AMOUNT_DOCUMENT_TYPES, DEFAULT_PRODUCTS, type DeadlineRule, ProductConfig } from './products.ts';

/**
 * Rules a product configuration must satisfy before an admin's change takes effect, beyond the
 * shape the zod schema describes. Each broken rule is a field issue with a stable code the console
 * translates. Pure: the admin use case runs the schema, then these.
 */

/** Law on Insurance Business 08/2022/QH15 Art. 31: pay within 15 days of a complete dossier. */
export const LEGAL_MAX_PAYMENT_DAYS = 15;

/**
 * {@link ProductConfig} without its cross-field refinements, so that a config with increasing bands
 * or quorum wrong still parses and {@link productConfigIssues} can say precisely which field is wrong.
 */
export const ProductConfigShape = /* @__PURE__ */ defineSchema(() =>
  z.extend(ProductConfig, {
    severityBands: z.strictObject(ProductConfig.shape.severityBands.shape),
    jointDecision: z.strictObject(ProductConfig.shape.jointDecision.shape),
  }),
);
export type ProductConfigShape = z.infer<typeof ProductConfigShape>;

const issue = (path: string, code: string, message: string): FieldIssue => ({ path, code, message });

function duplicates<T>(values: readonly T[], path: (i: number) => string, what: string): FieldIssue[] {
  const seen = new Set<T>();
  const out: FieldIssue[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) out.push(issue(path(i), 'duplicate', `${what} ${String(v)} is listed twice`));
    seen.add(v);
  });
  return out;
}

/** A deadline's length in calendar days, or undefined when it depends on the holiday calendar. */
function calendarDays(d: DeadlineRule): number | undefined {
  if (d.unit === 'calendar_days') return d.amount;
  if (d.unit === 'hours') return d.amount / 24;
  return undefined;
}

function deadlineIssues(deadlines: readonly DeadlineRule[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  deadlines.forEach((d, i) => {
    const key = `${d.from}/${d.kind}`;
    if (seen.has(key)) {
      out.push(
        issue(
          `deadlines.${i}.kind`,
          'duplicate_deadline',
          `A ${d.kind} deadline from ${d.from} is already set`,
        ),
      );
    }
    seen.add(key);
    if (d.kind !== 'payment') return;
    // Every payment clock starts no earlier than the complete dossier would, so the cap applies to
    // each of them. Working days are refused: around Tết 3 working days can already be 12 calendar days.
    const days = calendarDays(d);
    if (days === undefined) {
      out.push(
        issue(
          `deadlines.${i}.unit`,
          'unit_not_allowed',
          'The payment deadline is counted in calendar days (Art. 31)',
        ),
      );
    } else if (days > LEGAL_MAX_PAYMENT_DAYS) {
      out.push(
        issue(
          `deadlines.${i}.amount`,
          'exceeds_legal_maximum',
          `Payment is due at most ${LEGAL_MAX_PAYMENT_DAYS} calendar days after the dossier is complete (Law 08/2022/QH15 Art. 31)`,
        ),
      );
    }
  });
  if (!deadlines.some((d) => d.kind === 'payment' && d.from === 'dossier_complete')) {
    out.push(
      issue(
        'deadlines',
        'payment_deadline_required',
        'A payment deadline from dossier_complete is required (Art. 31)',
      ),
    );
  }
  return out;
}

/** A basis that cites a decree or the Law on Insurance Business (either language): a legal deadline. */
const LEGAL_BASIS = /decree|nghị định|law on insurance|luật kinh doanh/i;

/**
 * Deadlines a shipped product has by law stay, no longer than shipped, counted the same way; and the
 * customer's own time (to answer before the claim lapses, to appeal) is never cut below what ships.
 */
function shippedDeadlineIssues(c: ProductConfigShape, shipped: ProductConfig): FieldIssue[] {
  const out: FieldIssue[] = [];
  const find = (d: Pick<DeadlineRule, 'kind' | 'from'>) =>
    c.deadlines.findIndex((x) => x.kind === d.kind && x.from === d.from);
  // The payment deadline has its own rule (Art. 31, above): at most 15 days, in days or hours.
  for (const legal of shipped.deadlines.filter((d) => LEGAL_BASIS.test(d.basis) && d.kind !== 'payment')) {
    const i = find(legal);
    const d = c.deadlines[i];
    if (!d) {
      out.push(
        issue(
          'deadlines',
          'legal_deadline_required',
          `The ${legal.kind} deadline from ${legal.from} is required by ${legal.basis}`,
        ),
      );
    } else if (d.unit !== legal.unit) {
      out.push(
        issue(`deadlines.${i}.unit`, 'unit_changed', `Counted in ${legal.unit}, as ${legal.basis} counts it`),
      );
    } else if (d.amount > legal.amount) {
      out.push(
        issue(
          `deadlines.${i}.amount`,
          'exceeds_statutory_deadline',
          `At most ${legal.amount} ${legal.unit} (${legal.basis})`,
        ),
      );
    }
  }
  const floors: DeadlineRule[] = [
    ...shipped.deadlines.filter((d) => d.kind === 'no_response_close'),
    shipped.deadlines.find((d) => d.kind === 'appeal_window') ?? DEFAULT_APPEAL_WINDOW,
  ];
  for (const floor of floors) {
    const i = find(floor);
    const d = c.deadlines[i];
    if (!d) continue;
    const days = calendarDays(d);
    const min = calendarDays(floor);
    // Working days and calendar days do not compare without the calendar: keep the shipped unit.
    if (d.unit !== floor.unit && (days === undefined || min === undefined)) {
      out.push(issue(`deadlines.${i}.unit`, 'unit_changed', `Counted in ${floor.unit}, as shipped`));
      continue;
    }
    const shorter = d.unit === floor.unit ? d.amount < floor.amount : (days ?? 0) < (min ?? 0);
    if (shorter)
      out.push(
        issue(
          `deadlines.${i}.amount`,
          'below_minimum',
          `The customer has at least ${floor.amount} ${floor.unit} here`,
        ),
      );
  }
  return out;
}

/**
 * Semantic rules of a product configuration (the shape is already valid):
 * - the code matches the product being edited, and the line is the product's own;
 * - severity bands increase (low < medium < high, low positive);
 * - the joint-decision quorum is reachable (≤ the distinct departments listed);
 * - straight-through processing stays below the joint-decision threshold;
 * - each deadline kind appears at most once per anchor (`from`);
 * - a payment deadline from `dossier_complete` exists and no payment deadline exceeds 15 calendar
 *   days (Art. 31 is a legal maximum, not a default);
 * - the checklist asks for the claim letter, unconditionally, and lists each document once;
 * - reserve overrides only name covered causes;
 * - straight-through evidence types are on the checklist, each listed once, and only invoice/receipt
 *   types accept the e-invoice XML.
 */
export function productConfigIssues(pathCode: string, c: ProductConfigShape): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (c.code !== pathCode) {
    out.push(issue('code', 'code_mismatch', `The body is for ${c.code}, the path for ${pathCode}`));
  }
  const shipped = DEFAULT_PRODUCTS.find((p) => p.code === c.code);
  if (shipped && shipped.line !== c.line) {
    out.push(issue('line', 'line_changed', `${c.code} is a ${shipped.line} product; its line cannot change`));
  }
  // Compulsory insurance is so by law (Decree 67/2023), not by configuration.
  if (shipped?.compulsory && !c.compulsory)
    out.push(issue('compulsory', 'compulsory_fixed', `${c.code} is compulsory insurance by law`));
  if (shipped) out.push(...shippedDeadlineIssues(c, shipped));

  const b = c.severityBands;
  if (b.low < 1) out.push(issue('severityBands.low', 'too_small', 'Bands start above zero'));
  if (b.medium <= b.low)
    out.push(issue('severityBands.medium', 'not_increasing', 'medium must be above low'));
  if (b.high <= b.medium)
    out.push(issue('severityBands.high', 'not_increasing', 'high must be above medium'));

  const j = c.jointDecision;
  out.push(...duplicates(j.departments, (i) => `jointDecision.departments.${i}`, 'Department'));
  const departments = new Set(j.departments).size;
  if (j.quorum > departments) {
    out.push(
      issue(
        'jointDecision.quorum',
        'quorum_exceeds_departments',
        `A quorum of ${j.quorum} cannot be reached by ${departments} department(s)`,
      ),
    );
  }
  if (c.straightThroughMax > j.threshold) {
    out.push(
      issue(
        'straightThroughMax',
        'exceeds_joint_threshold',
        'Straight-through payouts must stay at or below the joint-decision threshold',
      ),
    );
  } else if (c.straightThroughMax > singleAssessorMax(c)) {
    // Nobody approves a straight-through payment: it stays within what one assessor may approve alone.
    out.push(
      issue(
        'straightThroughMax',
        'exceeds_single_assessor',
        'Straight-through payouts must stay at or below what one assessor may approve alone',
      ),
    );
  }

  out.push(...deadlineIssues(c.deadlines));

  const letter = c.documentChecklist.find((d) => d.type === 'claim_letter');
  if (!letter?.required || letter.requiredWhen || letter.exceptCauses) {
    out.push(
      issue(
        'documentChecklist',
        'claim_letter_required',
        'The checklist must always require the claim letter',
      ),
    );
  }
  out.push(
    ...duplicates(
      c.documentChecklist.map((d) => d.type),
      (i) => `documentChecklist.${i}.type`,
      'Document',
    ),
  );
  out.push(...duplicates(c.coveredCauses, (i) => `coveredCauses.${i}`, 'Cause'));
  out.push(...straightThroughIssues(c));
  for (const cause of Object.keys(c.reserve.byCauseBps)) {
    if (!(c.coveredCauses as readonly string[]).includes(cause)) {
      out.push(
        issue(
          `reserve.byCauseBps.${cause}`,
          'cause_not_covered',
          `${cause} is not a covered cause of this product`,
        ),
      );
    }
  }
  // A checklist rule for a cause the product does not cover could never apply: a typo, said so.
  c.documentChecklist.forEach((d, i) => {
    for (const field of ['exceptCauses', 'requiredForCauses'] as const) {
      (d[field] ?? []).forEach((cause, j) => {
        if (!(c.coveredCauses as readonly string[]).includes(cause)) {
          out.push(
            issue(
              `documentChecklist.${i}.${field}.${j}`,
              'cause_not_covered',
              `${cause} is not a covered cause of this product`,
            ),
          );
        }
      });
    }
  });
  return out;
}

function straightThroughIssues(c: ProductConfigShape): FieldIssue[] {
  const out = duplicates(c.straightThrough.evidence, (i) => `straightThrough.evidence.${i}`, 'Evidence type');
  const listed = new Set(c.documentChecklist.map((d) => d.type));
  c.straightThrough.evidence.forEach((t, i) => {
    if (!listed.has(t)) {
      out.push(
        issue(
          `straightThrough.evidence.${i}`,
          'evidence_not_in_checklist',
          `${t} is not on this product's checklist, so nothing could be paid on it`,
        ),
      );
    }
  });
  c.documentChecklist.forEach((d, i) => {
    if (d.accepts?.includes('xml') && !(AMOUNT_DOCUMENT_TYPES as readonly string[]).includes(d.type)) {
      out.push(
        issue(
          `documentChecklist.${i}.accepts`,
          'xml_only_for_invoices',
          'Only invoices and receipts accept the e-invoice XML',
        ),
      );
    }
  });
  return out;
}

/** Vietnam's week has one or two days off. */
export const MAX_WEEKEND_DAYS = 2;
/** Vietnam's public holidays, Tết and the bridging days with it included, are some 20 days a year. */
export const MAX_HOLIDAYS_PER_YEAR = 30;
/**
 * The longest run of consecutive days off a calendar may have. Tết is the longest legal one: five
 * days off (Labour Code 45/2019/QH14 Art. 112) joined to the weekends around them and a swapped
 * bridging day make nine (25/01–02/02/2025). Ten leaves a day's margin; anything longer is not a
 * Vietnamese holiday but a way to stretch every working-day deadline (thirty holidays in December
 * and thirty more in January would make "3 working days" from 1 December fall in February).
 */
export const MAX_DAYS_OFF_IN_A_ROW = 10;

const DAY_MS = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * Each run of consecutive non-working days that holds a holiday and is longer than
 * {@link MAX_DAYS_OFF_IN_A_ROW}: its first and last day and the index of its first holiday listed.
 * Runs of weekend days alone are at most two days ({@link MAX_WEEKEND_DAYS}).
 */
function longRunsOff(cal: HolidayCalendar): { from: string; to: string; days: number; index: number }[] {
  const holidays = new Set(cal.holidays);
  const working = new Set(cal.workingWeekends);
  const weekend = new Set(cal.weekend);
  const off = (n: number) => {
    const d = dateOf(n);
    if (holidays.has(d)) return true;
    return weekend.has(new Date(n * DAY_MS).getUTCDay()) && !working.has(d);
  };
  const out: { from: string; to: string; days: number; index: number }[] = [];
  const seen = new Set<number>();
  const days = [...holidays]
    .map(dayNumber)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  for (const h of days) {
    if (seen.has(h)) continue;
    let first = h;
    let last = h;
    // Bounded: every day of a run is a holiday or one of at most two weekend days between them.
    while (off(first - 1) && h - first < 3 * holidays.size + 3) first--;
    while (off(last + 1) && last - h < 3 * holidays.size + 3) last++;
    for (let n = first; n <= last; n++) seen.add(n);
    const length = last - first + 1;
    if (length > MAX_DAYS_OFF_IN_A_ROW) {
      const firstHoliday = cal.holidays.findIndex((d) => dayNumber(d) >= first && dayNumber(d) <= last);
      out.push({ from: dateOf(first), to: dateOf(last), days: length, index: firstHoliday });
    }
  }
  return out;
}

/**
 * Semantic rules of the holiday calendar: each holiday listed once, at most 30 a year and at most
 * {@link MAX_DAYS_OFF_IN_A_ROW} days off in a row, and every make-up working day is a weekend day
 * that is not also a holiday (a holiday would win and the declaration do nothing).
 */
export function calendarIssues(cal: HolidayCalendar): FieldIssue[] {
  const out = duplicates(cal.holidays, (i) => `holidays.${i}`, 'Holiday');
  // Working days are what legal deadlines are counted in: a calendar with no room for work would
  // stretch "3 working days" into years.
  if (new Set(cal.weekend).size > MAX_WEEKEND_DAYS)
    out.push(issue('weekend', 'too_many_weekend_days', `At most ${MAX_WEEKEND_DAYS} weekend days a week`));
  const perYear = new Map<string, number>();
  for (const h of new Set(cal.holidays)) perYear.set(h.slice(0, 4), (perYear.get(h.slice(0, 4)) ?? 0) + 1);
  for (const [year, n] of perYear)
    if (n > MAX_HOLIDAYS_PER_YEAR)
      out.push(
        issue(
          'holidays',
          'too_many_holidays',
          `${n} holidays in ${year}: at most ${MAX_HOLIDAYS_PER_YEAR} a year`,
        ),
      );
  for (const run of longRunsOff(cal))
    out.push(
      issue(
        `holidays.${run.index}`,
        'too_many_days_off_in_a_row',
        `${run.days} days off in a row (${run.from} to ${run.to}): at most ${MAX_DAYS_OFF_IN_A_ROW}, as long as Tết`,
      ),
    );
  out.push(...duplicates(cal.workingWeekends, (i) => `workingWeekends.${i}`, 'Working weekend'));
  const holidays = new Set(cal.holidays);
  cal.workingWeekends.forEach((d, i) => {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (!cal.weekend.includes(dow)) {
      out.push(issue(`workingWeekends.${i}`, 'not_a_weekend_day', `${d} is a working day already`));
    }
    if (holidays.has(d))
      out.push(issue(`workingWeekends.${i}`, 'also_a_holiday', `${d} is also listed as a holiday`));
  });
  return out;
}
