import type { FieldIssue } from './errors.ts';
import { format, hasMessage, type Locale } from './i18n.ts';

// Apart from ./field-issues.ts, which every API handler bundles: only what words an issue loads the catalogue.

/** `items.0.assessedAmount` → `items.assessedAmount` (the field) and 1 (the row people count). */
function fieldOf(path: string): { field: string; row?: number } {
  // The phone intake form wraps the customer's report: its fields are the report's fields.
  const parts = path.replace(/^report\./, '').split('.');
  const index = parts.find((p) => /^\d+$/.test(p));
  return {
    field: parts.filter((p) => !/^\d+$/.test(p)).join('.'),
    ...(index === undefined ? {} : { row: Number(index) + 1 }),
  };
}

/**
 * The sentence for a field issue in `locale`, naming the field's own rule: the field's sentence
 * (`field.at.<field>.<rule>`) if it has one, else the rule's sentence with the field's label
 * (`field.rule.<rule>` + `label.field.<field>`), else the issue code's text (`field.<code>`).
 */
export function fieldIssueText(
  issue: Pick<FieldIssue, 'path' | 'code' | 'rule' | 'params'>,
  locale: Locale,
): string {
  const { field, row } = fieldOf(issue.path);
  const rule = issue.rule ?? issue.code;
  // Years read as years ("1950"), other limits as numbers in the locale's way ("1.000.000").
  const limit = issue.params?.limit;
  const values = {
    ...issue.params,
    limit: /year/i.test(field) && limit !== undefined ? String(limit) : (limit ?? ''),
    n: row ?? '',
  };
  const own = `field.at.${field}.${rule}`;
  if (hasMessage(own, locale)) return format(locale, own, values);
  const label = `label.field.${field}`;
  const generic = `field.rule.${rule}`;
  if (hasMessage(label, locale) && hasMessage(generic, locale))
    return format(locale, generic, { ...values, field: format(locale, label, values) });
  const byCode = `field.${issue.code}`;
  return format(locale, hasMessage(byCode, locale) ? byCode : 'field.invalid_value');
}
