import type { ErrorCode, FieldIssue } from '../../lambdas/core/errors.ts';
import { hasMessage } from '../../lambdas/core/i18n.ts';
import { ERROR_TEXT, type Locale, t } from '../../lambdas/core/messages.ts';
import { isApiError } from './api.ts';
import { ui } from './i18n.ts';

/**
 * zod issues → field issues with the same codes the API sends in `error.fields`: the one mapping
 * in lambdas/core/field-issues.ts. Parse with `{ reportInput: true }`.
 */
export { zodFieldIssues as fieldIssuesFromZod } from '../../lambdas/core/field-issues.ts';
import { fieldIssueText as issueSentence } from '../../lambdas/core/field-text.ts';

/** First issue per path, which is the one worth showing beside the field. */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const i of issues) map[i.path] ??= i.code;
  return map;
}

/**
 * The sentence for a field issue, naming the field's own rule (lambdas/core/field-issues.ts). A
 * bare code (a screen's own check) reads as that code's text.
 */
export function fieldIssueText(issue: FieldIssue | string, locale: Locale): string {
  return issueSentence(typeof issue === 'string' ? { path: '', code: issue } : issue, locale);
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
