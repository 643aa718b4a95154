import type * as z from 'zod/mini';
import type { FieldIssue } from './errors.ts';

/** Format tags the shared schemas put in `.regex(…, 'phone')` and friends: they are issue codes. */
const FORMAT_TAGS = new Set(['phone', 'plate', 'account_number', 'file_name']);

/**
 * zod issues → field issues with stable codes and the field's own rule (`min_length` with its
 * limit, `max`, …) that `fieldIssueText` (./field-text.ts) turns into a sentence. One mapping for the API and both
 * web apps, so a field error reads the same whichever side caught it. Parse with
 * `{ reportInput: true }` so a missing value of any type reads as `required`.
 */
export function zodFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: path ? `${path}.${key}` : key,
          code: 'unrecognized_keys',
          message: `Unknown field ${key}`,
        });
      }
      continue;
    }
    let code: string = issue.code;
    if ('input' in issue && issue.input === undefined) code = 'required';
    else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) code = 'required';
    else if (issue.code === 'invalid_type' && issue.expected === 'int') code = 'not_integer';
    else if (FORMAT_TAGS.has(issue.message)) code = issue.message;
    // Refinements (payout and configuration rules) put their stable tag in the message.
    else if (issue.code === 'custom' && /^[a-z][a-z_]*$/.test(issue.message)) code = issue.message;
    out.push({ path: path || '(body)', code, message: issue.message, ...ruleOf(issue, code) });
  }
  return out;
}

/** The rule behind a size issue: which bound, on what kind of value, and the limit. */
function ruleOf(issue: z.core.$ZodIssue, code: string): Pick<FieldIssue, 'rule' | 'params'> {
  if (code !== 'too_small' && code !== 'too_big') return {};
  const bound = code === 'too_small' ? 'min' : 'max';
  const limit = Number('minimum' in issue ? issue.minimum : 'maximum' in issue ? issue.maximum : Number.NaN);
  const origin = 'origin' in issue ? String(issue.origin) : '';
  // A trimmed text that must not be empty is simply required.
  if (origin === 'string' && bound === 'min' && limit === 1) return { rule: 'required' };
  const kind =
    origin === 'string'
      ? '_length'
      : origin === 'array' || origin === 'set'
        ? '_items'
        : origin === 'date'
          ? '_date'
          : '';
  // A positive amount (`> 0`) reads as "more than 0", a bound that includes its limit as "at least".
  const exclusive = 'inclusive' in issue && issue.inclusive === false ? '_exclusive' : '';
  return {
    rule: `${bound}${kind}${kind ? '' : exclusive}`,
    params: { limit: Number.isFinite(limit) ? limit : '' },
  };
}
