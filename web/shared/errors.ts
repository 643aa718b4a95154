import type { z } from 'zod';
import type { ErrorCode, FieldIssue } from '../../lambdas/core/errors.ts';
import { ERROR_TEXT, FIELD_ISSUE_TEXT, type Locale } from '../../lambdas/core/messages.ts';
import { isApiError } from './api.ts';
import { ui } from './i18n.ts';

/** Format tags the shared schemas put in `.regex(…, 'phone')` and friends: they are issue codes. */
const FORMAT_TAGS = new Set(['phone', 'plate', 'account_number', 'file_name']);

/**
 * zod issues → field issues with the same codes the API sends in `error.fields` (the server's
 * mapping is `zodFieldIssues` in lambdas/http/body.ts), so a field error reads the same whether the
 * browser or the server caught it. Parse with `{ reportInput: true }` so a missing value of any type
 * is reported as `required`.
 */
export function fieldIssuesFromZod(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: path ? `${path}.${key}` : key, code: 'unrecognized_keys', message: key });
      continue;
    }
    let code: string = issue.code;
    // With `reportInput` the issue carries the value: nothing there means "required", whatever the
    // schema type (a missing enum otherwise reads as `invalid_value`).
    if ('input' in issue && issue.input === undefined) code = 'required';
    else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) code = 'required';
    else if (issue.code === 'invalid_type' && issue.expected === 'int') code = 'not_integer';
    else if (FORMAT_TAGS.has(issue.message)) code = issue.message;
    out.push({ path: path || '(body)', code, message: issue.message });
  }
  return out;
}

/** First issue per path, which is the one worth showing beside the field. */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const i of issues) map[i.path] ??= i.code;
  return map;
}

export function fieldIssueText(code: string, locale: Locale): string {
  return FIELD_ISSUE_TEXT[code]?.[locale] ?? FIELD_ISSUE_TEXT.invalid_value?.[locale] ?? code;
}

export function errorCodeText(code: string, locale: Locale): string {
  if (code === 'NETWORK') return ui('networkError', locale);
  const entry = (ERROR_TEXT as Record<string, { vi: string; en: string } | undefined>)[code];
  return entry ? entry[locale] : ui('unknownError', locale, { code });
}

/** What to tell a person about any failure, in their language. */
export function describeError(
  err: unknown,
  locale: Locale,
): { text: string; code: ErrorCode | string; ref?: string } {
  if (isApiError(err))
    return { text: errorCodeText(err.code, locale), code: err.code, ref: err.correlationId };
  return { text: errorCodeText('INTERNAL', locale), code: 'INTERNAL' };
}
