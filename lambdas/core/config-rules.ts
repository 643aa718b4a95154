import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { HolidayCalendar } from './calendar.ts';
import type { FieldIssue } from './errors.ts';
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

/**
 * Semantic rules of the holiday calendar: each holiday listed once, and every make-up working day
 * is a weekend day that is not also a holiday (a holiday would win and the declaration do nothing).
 */
export function calendarIssues(cal: HolidayCalendar): FieldIssue[] {
  const out = duplicates(cal.holidays, (i) => `holidays.${i}`, 'Holiday');
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
