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

/** A form's field issues by on-screen field path: the whole issue, so its text can name the rule. */
export type FieldErrors = Record<string, FieldIssue>;

/**
 * First issue per path, which is the one worth showing beside the field. `at` maps an issue's path
 * to the on-screen field that shows it; the issue keeps its own path, which picks its sentence.
 */
export function issuesByPath(
  issues: readonly FieldIssue[],
  at: (path: string) => string = (p) => p,
): FieldErrors {
  const map: FieldErrors = {};
  for (const i of issues) map[at(i.path)] ??= i;
  return map;
}

/** An issue a screen found itself (no schema behind it): `code` at `path`. */
export function screenIssue(path: string, code: string): FieldIssue {
  return { path, code, message: code };
}

/**
 * The sentence for a field issue, naming the field's own rule (lambdas/core/field-text.ts). A
 * bare code (a screen's own check) reads as that code's text.
 */
export function fieldIssueText(issue: FieldIssue | string | undefined, locale: Locale): string {
  if (issue === undefined) return '';
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
