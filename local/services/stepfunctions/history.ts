// What the API reads back: GetExecutionHistory in AWS event-type names from the library's event
// log, list paging, and the checks StartExecution makes on names and JSON.
import type { ExecutionEntry } from './types.ts';

/** Execution names: 1–80 chars, no whitespace, brackets, wildcards, punctuation AWS forbids or control chars. */
export function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name);
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function sameJson(a: string, b: string): boolean {
  return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
}

export function paginate<T>(items: T[], p: Record<string, unknown>): { page: T[]; nextToken?: string } {
  const max =
    typeof p['maxResults'] === 'number' && p['maxResults'] > 0 ? Math.min(p['maxResults'], 1000) : 100;
  const start = typeof p['nextToken'] === 'string' ? Number(p['nextToken']) || 0 : 0;
  const page = items.slice(start, start + max);
  return start + max < items.length ? { page, nextToken: String(start + max) } : { page };
}

/** A minimal GetExecutionHistory built from the library's event log, in AWS event-type names. */
export function toHistory(exec: ExecutionEntry, includeData: boolean): Array<Record<string, unknown>> {
  const data = (value: unknown) => (includeData ? JSON.stringify(value ?? null) : undefined);
  const out: Array<Record<string, unknown>> = [];
  const push = (type: string, timestamp: number, details: Record<string, unknown> = {}) => {
    const id = out.length + 1;
    out.push({ id, previousEventId: id - 1, timestamp: timestamp / 1000, type, ...details });
  };
  for (const e of exec.events) {
    switch (e.type) {
      case 'ExecutionStarted':
        push('ExecutionStarted', e.timestamp, {
          executionStartedEventDetails: { input: data(e.input), inputDetails: { truncated: false } },
        });
        break;
      case 'ExecutionSucceeded':
        push('ExecutionSucceeded', e.timestamp, {
          executionSucceededEventDetails: { output: data(e.output), outputDetails: { truncated: false } },
        });
        break;
      case 'ExecutionFailed':
        push('ExecutionFailed', e.timestamp, {
          executionFailedEventDetails: { error: e.Error, cause: String(e.Cause) },
        });
        break;
      case 'ExecutionAborted':
        push('ExecutionAborted', e.timestamp, { executionAbortedEventDetails: {} });
        break;
      case 'ExecutionTimeout':
        push('ExecutionTimedOut', e.timestamp, { executionTimedOutEventDetails: {} });
        break;
      case 'StateEntered':
        push(`${e.state.type}StateEntered`, e.timestamp, {
          stateEnteredEventDetails: { name: e.state.name, input: data(e.state.input) },
        });
        break;
      case 'StateExited':
        push(`${e.state.type}StateExited`, e.timestamp, {
          stateExitedEventDetails: { name: e.state.name, output: data(e.state.output) },
        });
        break;
      case 'StateFailed':
        if (e.state.type === 'Task') {
          push('TaskFailed', e.timestamp, {
            taskFailedEventDetails: {
              resourceType: 'local',
              resource: e.state.name,
              error: e.Error,
              cause: String(e.Cause),
            },
          });
        } else if (e.state.type === 'Parallel' || e.state.type === 'Map') {
          push(`${e.state.type}StateFailed`, e.timestamp);
        }
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${e.type.charAt(0).toLowerCase()}${e.type.slice(1)}EventDetails`;
        push(e.type, e.timestamp, { [key]: { name: e.parentState.name, index: e.index } });
        break;
      }
      default:
        break; // StateRetried/StateCaught/ParallelBranch* have no AWS history counterpart
    }
  }
  return out;
}
