import type { ErrorCode, FieldIssue } from '../../lambdas/core/errors.ts';
import { hasMessage } from '../../lambdas/core/i18n.ts';
import { ERROR_TEXT, FIELD_ISSUE_TEXT, type Locale, t } from '../../lambdas/core/messages.ts';
import { isApiError } from './api.ts';
import { ui } from './i18n.ts';

/**
 * zod issues → field issues with the same codes the API sends in `error.fields`: the one mapping
 * in lambdas/core/field-issues.ts. Parse with `{ reportInput: true }`.
 */
export { zodFieldIssues as fieldIssuesFromZod } from '../../lambdas/core/field-issues.ts';

/** First issue per path, which is the one worth showing beside the field. */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const i of issues) map[i.path] ??= i.code;
  return map;
}

export function fieldIssueText(code: string, locale: Locale): string {
  return hasMessage(`${FIELD_ISSUE_TEXT.prefix}.${code}`, locale)
    ? t(FIELD_ISSUE_TEXT, code, locale)
    : t(FIELD_ISSUE_TEXT, 'invalid_value', locale);
}

export function errorCodeText(code: string, locale: Locale): string {
  if (code === 'NETWORK') return ui('networkError', locale);
  return hasMessage(`${ERROR_TEXT.prefix}.${code}`, locale)
    ? t(ERROR_TEXT, code, locale)
    : ui('unknownError', locale, { code });
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
