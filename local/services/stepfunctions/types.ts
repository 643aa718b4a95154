// Types shared by the Step Functions stand-in's modules: what callers see (LocalExecution,
// PendingTask, StepFunctionsLocal…), the engine's own entries, and what the state file keeps.
import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

export type JsonValue = Parameters<StateMachine['run']>[0];
export type ExecutionRun = ReturnType<StateMachine['run']>;
/** One entry of the library's event log (not exported by the library itself). */
export type LocalEventLog = ExecutionRun['eventLogs'] extends AsyncGenerator<infer T> ? T : never;

/** Placeholder the context object carries as `$$.Task.Token` until a callback task replaces it. */
export const TASK_TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
/** Largest timeout a Node timer supports (2^31-1 ms), in whole seconds. */
export const MAX_TASK_TIMEOUT_SECONDS = 2_147_483;
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export interface LocalStateMachine {
  name: string;
  /** ASL as an object, with definition substitutions (Lambda ARNs…) already applied. */
  definition: Record<string, unknown>;
}

export interface StepFunctionsLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  stateMachines: LocalStateMachine[];
  /** Invokes a Lambda function by ARN or name; reject with the handler's Error to signal a function error. */
  invokeLambda: (functionArnOrName: string, payload: unknown) => Promise<unknown>;
  /**
   * Other service integrations (`arn:aws:states:::sns:publish`, `…:::aws-sdk:…`); the `.waitForTaskToken`
   * suffix is stripped and handled here. Without it such a definition is rejected at start.
   */
  invokeIntegration?: (resource: string, input: unknown) => Promise<unknown>;
  /** Replace every Retry interval with this many ms (0 in tests). */
  retryIntervalOverrideMs?: number;
  /**
   * Keep executions and task tokens in this JSON file, and resume them on start: a RUNNING
   * execution continues at the top-level state it was in, with that state's input; one waiting
   * for a task token waits again for the very same token (the claim holds it), without invoking
   * the task's function a second time. History (GetExecutionHistory) restarts with the resume.
   */
  stateFile?: string;
  /** Replace every Wait state's duration with this many ms (0 in tests). */
  waitTimeOverrideMs?: number;
  region?: string;
  accountId?: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** JSON text, as the API returns it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** The library's event log (StateEntered, StateRetried, ParallelBranchStarted…). */
  events: LocalEventLog[];
}

export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  resource: string;
  /** The effective input after Parameters, with the token filled in. */
  input: unknown;
}

export interface StepFunctionsLocal {
  /** e.g. `http://127.0.0.1:8083`; set it as `AWS_ENDPOINT_URL_SFN`. */
  endpoint: string;
  port: number;
  stateMachineArn(name: string): string;
  getExecution(executionArn: string): LocalExecution | undefined;
  executions(): LocalExecution[];
  /** Callback tasks currently waiting for SendTaskSuccess/Failure (oldest first). */
  pendingTasks(executionArn?: string): PendingTask[];
  /**
   * Resolves once no execution is doing work: each one has finished or is only waiting on task
   * tokens, and nothing changed for a few polls. Rejects after `timeoutMs` (default 10 s) — e.g. when
   * an execution sits in a real Wait state (set `waitTimeOverrideMs`).
   */
  idle(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves with the execution once it is no longer RUNNING. */
  waitForExecution(executionArn: string, options?: { timeoutMs?: number }): Promise<LocalExecution>;
  stop(): Promise<void>;
}

export interface MachineEntry {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  definitionText: string;
  machine: StateMachine;
  tasks: Map<string, string>; // Task state name -> Resource
  /** Names of the top-level states (where an execution can be resumed). */
  topStates: Set<string>;
  /** The same machine starting at a given top-level state, built on first use. */
  resumeMachines: Map<string, StateMachine>;
  retryStates: string[];
  waitStates: string[];
  created: Date;
}

export interface ExecutionEntry extends LocalExecution {
  run?: ExecutionRun;
  /** A token from before a restart, handed to the first wait of `stateName` instead of a new one. */
  resumeToken?: PersistedToken;
  busy: number;
  tokens: Set<string>;
  settled: Promise<void>;
}

export interface TokenEntry extends PendingTask {
  resolve(value: JsonValue): void;
  reject(error: Error): void;
}

export interface PersistedToken {
  taskToken: string;
  stateName: string;
  resource: string;
  input: unknown;
}

export interface PersistedExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  resume?: { stateName: string; input: unknown; token?: PersistedToken };
}

export interface PersistedState {
  executions: PersistedExecution[];
}
