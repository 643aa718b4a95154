import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../../lambdas/core/errors.ts';
import type { ApiError } from '../../../../shared/api.ts';
import { isApiError } from '../../../../shared/api.ts';
import { type FieldErrors, issuesByPath } from '../../../../shared/errors.ts';
import type { StaffClaim } from '../../types.ts';
import { normaliseIssue } from './assessment-model.ts';

/** What an action form on the claim page needs from the page. */
export interface ClaimActions {
  claim: StaffClaim;
  /** After a successful write: reload the claim, then show the message (computed from the fresh claim). */
  done: (message: string | ((fresh: StaffClaim) => string)) => void;
  /** 409 VERSION_CONFLICT: the claim changed under us; the page reloads and says so. */
  conflict: (err: ApiError) => void;
}

export const ClaimActionsContext = createContext<ClaimActions | null>(null);

export function useClaimActions(): ClaimActions {
  const ctx = useContext(ClaimActionsContext);
  if (!ctx) throw new Error('useClaimActions outside ClaimActionsContext');
  return ctx;
}

/**
 * One write from one form: busy flag, the error to show, field issues by path (from the client-side
 * schema check or the API's `error.fields`), and the page-level conflict handling.
 */
export function useWrite() {
  const actions = useClaimActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<FieldErrors>({});

  const showIssues = (issues: readonly FieldIssue[]) => {
    setFields(issuesByPath(issues.map(normaliseIssue)));
    requestAnimationFrame(() => {
      const first = issues[0];
      if (first) document.getElementById(`f-${first.path}`)?.focus();
    });
  };

  async function run<T>(
    call: () => Promise<T>,
    message: (result: T) => string | ((fresh: StaffClaim) => string),
  ) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const result = await call();
      actions.done(message(result));
    } catch (err) {
      if (isApiError(err) && err.code === 'VERSION_CONFLICT') actions.conflict(err);
      else {
        setError(err);
        if (isApiError(err) && err.fields.length > 0) showIssues(err.fields);
      }
    } finally {
      setBusy(false);
    }
  }

  const clearField = (path: string) =>
    setFields((f) => {
      if (!(path in f)) return f;
      const next = { ...f };
      delete next[path];
      return next;
    });

  /** An `onValue` that sets the value and clears that field's error. */
  const clearing =
    <T>(path: string, set: (value: T) => void) =>
    (value: T) => {
      set(value);
      clearField(path);
    };

  return { ...actions, busy, error, setError, fields, showIssues, clearField, clearing, run };
}
