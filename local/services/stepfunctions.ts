// Step Functions stand-in: the AWS JSON 1.0 API @aws-sdk/client-sfn speaks (`X-Amz-Target:
// AWSStepFunctions.<Op>`), running the real ASL with aws-local-stepfunctions 3.
//
// What the library does not do and this module adds:
// - Task tokens. `.waitForTaskToken` is not special-cased by the library, so every execution runs with
//   a context whose `Task.Token` is a placeholder; the Task override swaps the placeholder for a fresh
//   token, invokes the target and returns a promise that SendTaskSuccess / SendTaskFailure settle.
// - Lambda error semantics. A function error surfaces as an ASL error named after the error's `name`
//   (AWS uses the runtime's `errorType`, which Node sets from `error.name`), with
//   `Cause = {"errorMessage","errorType","trace"}` as JSON — exactly what `Retry`/`Catch` see in AWS.
// - Task timeouts. The library defaults a Task's TimeoutSeconds to 60 s, AWS to 99999999 s; a human
//   approval step would time out locally after a minute, so Tasks without a timeout get the largest
//   value a Node timer can hold (~24.8 days).
// Requires Promise.withResolvers (Node 22+): load ./local/polyfills.mjs first on Node 20.
//
// This file is the server: the API operations and the executions with their task tokens. Around it,
// in ./stepfunctions/: types.ts (what callers and the state file see), definitions.ts (preparing a
// machine, resuming it at a state), tasks.ts (task errors and the lambda:invoke integration),
// history.ts (GetExecutionHistory, paging, name and JSON checks), persistence.ts (the state file).
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExecutionAbortedError, ExecutionTimeoutError, type StateMachine } from 'aws-local-stepfunctions';
import {
  closeServer,
  createJsonServer,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readJsonBody,
  sendJson,
} from './http.ts';

import { classifyResource, prepareMachine, resumeMachine } from './stepfunctions/definitions.ts';
import { isJson, isValidExecutionName, paginate, sameJson, toHistory } from './stepfunctions/history.ts';
import { loadState } from './stepfunctions/persistence.ts';
import {
  ExecutionClosedError,
  lambdaInvokeInput,
  lambdaInvokeOutput,
  replacePlaceholder,
  TaskError,
  toLambdaTaskError,
} from './stepfunctions/tasks.ts';
import {
  type ExecutionEntry,
  type JsonValue,
  type LocalEventLog,
  type LocalExecution,
  MAX_PAYLOAD_BYTES,
  type MachineEntry,
  type PersistedExecution,
  type PersistedState,
  type StepFunctionsLocal,
  type StepFunctionsLocalOptions,
  TASK_TOKEN_PLACEHOLDER,
  type TokenEntry,
} from './stepfunctions/types.ts';

export type {
  ExecutionStatus,
  LocalEventLog,
  LocalExecution,
  LocalStateMachine,
  PendingTask,
  StepFunctionsLocal,
  StepFunctionsLocalOptions,
} from './stepfunctions/types.ts';
export { TASK_TOKEN_PLACEHOLDER } from './stepfunctions/types.ts';

const sfnError = (code: string, message: string) => new HttpError(400, code, message);

export async function startStepFunctionsLocal(
  options: StepFunctionsLocalOptions,
): Promise<StepFunctionsLocal> {
  const region = options.region ?? 'ap-southeast-1';
  const accountId = options.accountId ?? '000000000000';
  const stateMachineArn = (name: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  const executionArnFor = (machine: string, name: string) =>
    `arn:aws:states:${region}:${accountId}:execution:${machine}:${name}`;

  const machines = new Map<string, MachineEntry>();
  for (const sm of options.stateMachines) {
    const entry = prepareMachine(sm, stateMachineArn(sm.name), options);
    machines.set(entry.arn, entry);
  }
  const executions = new Map<string, ExecutionEntry>();
  const persisted = options.stateFile ? await loadState(options.stateFile) : undefined;
  const tokens = new Map<string, TokenEntry>();

  // ---- tasks ---------------------------------------------------------------------------------------
  const isClosed = (exec: ExecutionEntry) => exec.status !== 'RUNNING';

  const withBusy = async <T>(exec: ExecutionEntry, fn: () => Promise<T>): Promise<T> => {
    exec.busy++;
    try {
      return await fn();
    } finally {
      exec.busy--;
    }
  };

  const callLambda = async (exec: ExecutionEntry, fn: string, payload: unknown): Promise<unknown> => {
    if (isClosed(exec)) throw new ExecutionClosedError();
    try {
      return await withBusy(exec, () => options.invokeLambda(fn, payload));
    } catch (err) {
      throw toLambdaTaskError(err);
    }
  };

  const callIntegration = async (
    exec: ExecutionEntry,
    resource: string,
    input: unknown,
  ): Promise<unknown> => {
    if (isClosed(exec)) throw new ExecutionClosedError();
    if (!options.invokeIntegration) throw new TaskError('States.Runtime', `No local handler for ${resource}`);
    const invoke = options.invokeIntegration;
    return withBusy(exec, () => invoke(resource, input));
  };

  /** Registers a fresh token, runs `start(input with the token)`, then waits for the callback. */
  const waitForToken = async (
    exec: ExecutionEntry,
    stateName: string,
    resource: string,
    rawInput: unknown,
    start: (input: unknown) => Promise<unknown>,
  ): Promise<JsonValue> => {
    if (isClosed(exec)) throw new ExecutionClosedError();
    const resumed = exec.resumeToken?.stateName === stateName ? exec.resumeToken : undefined;
    exec.resumeToken = undefined;
    const taskToken =
      resumed?.taskToken ??
      Buffer.from(`${exec.executionArn}#${stateName}#${randomUUID()}`).toString('base64');
    const input = resumed?.input ?? replacePlaceholder(rawInput, taskToken);
    let resolve!: (value: JsonValue) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<JsonValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    tokens.set(taskToken, {
      taskToken,
      executionArn: exec.executionArn,
      stateName,
      resource,
      input,
      resolve,
      reject,
    });
    exec.tokens.add(taskToken);
    const forget = () => {
      tokens.delete(taskToken);
      exec.tokens.delete(taskToken);
    };
    promise.then(forget, forget);
    // Resumed after a restart: the task's function already ran and handed the token on.
    if (resumed) {
      persist();
      return promise;
    }
    try {
      await start(input);
    } catch (err) {
      forget();
      throw err;
    }
    persist();
    return promise;
  };

  const buildHandlers = (machine: MachineEntry, exec: ExecutionEntry) => {
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const [stateName, resource] of machine.tasks) {
      const kind = classifyResource(resource);
      handlers[stateName] = async (input) => {
        switch (kind) {
          case 'lambda-function':
            return (await callLambda(exec, resource, input)) as JsonValue;
          case 'lambda-invoke': {
            const { functionName, payload, async } = lambdaInvokeInput(input);
            if (async) {
              callLambda(exec, functionName, payload).catch((err: unknown) =>
                console.error(`[sfn-local] async invoke of ${functionName} failed:`, err),
              );
              return { StatusCode: 202, Payload: '' } as JsonValue;
            }
            const result = await callLambda(exec, functionName, payload);
            return lambdaInvokeOutput(result);
          }
          case 'lambda-invoke-wait':
            return waitForToken(exec, stateName, resource, input, async (withToken) => {
              const { functionName, payload, async } = lambdaInvokeInput(withToken);
              const call = callLambda(exec, functionName, payload);
              if (async) {
                call.catch((err: unknown) =>
                  console.error(`[sfn-local] async invoke of ${functionName} failed:`, err),
                );
                return;
              }
              await call;
            });
          case 'integration':
            return (await callIntegration(exec, resource, input)) as JsonValue;
          case 'integration-wait':
            return waitForToken(exec, stateName, resource, input, (withToken) =>
              callIntegration(exec, resource.replace(/\.waitForTaskToken$/, ''), withToken),
            );
        }
      };
    }
    return handlers;
  };

  // ---- executions ----------------------------------------------------------------------------------
  const closeExecution = (exec: ExecutionEntry) => {
    // Tasks still waiting (e.g. the other branch of a failed Parallel) must not keep their timers alive.
    for (const token of [...exec.tokens]) tokens.get(token)?.reject(new ExecutionClosedError());
  };

  const startExecution = (
    machine: MachineEntry,
    name: string,
    inputText: string,
    resume?: PersistedExecution,
  ): ExecutionEntry => {
    const input = (resume?.resume ? resume.resume.input : JSON.parse(inputText)) as JsonValue;
    const executionArn = executionArnFor(machine.name, name);
    const startDate = resume ? new Date(resume.startDate) : new Date();
    let markSettled = () => {};
    const exec: ExecutionEntry = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate,
      input: inputText,
      events: [],
      busy: 0,
      tokens: new Set(),
      settled: new Promise<void>((r) => {
        markSettled = r;
      }),
      ...(resume?.resume?.token ? { resumeToken: resume.resume.token } : {}),
    };
    executions.set(executionArn, exec);
    const overrides: NonNullable<Parameters<StateMachine['run']>[1]>['overrides'] = {
      taskResourceLocalHandlers: buildHandlers(machine, exec),
    };
    if (options.retryIntervalOverrideMs !== undefined) {
      overrides.retryIntervalOverrides = Object.fromEntries(
        machine.retryStates.map((s) => [s, options.retryIntervalOverrideMs!]),
      );
    }
    if (options.waitTimeOverrideMs !== undefined) {
      overrides.waitTimeOverrides = Object.fromEntries(
        machine.waitStates.map((s) => [s, options.waitTimeOverrideMs!]),
      );
    }
    const stateMachine = resume?.resume ? resumeMachine(machine, resume.resume.stateName) : machine.machine;
    const run = stateMachine.run(input, {
      overrides,
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          RoleArn: `arn:aws:iam::${accountId}:role/local-stepfunctions`,
          RedriveCount: 0,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    exec.run = run;
    const collecting = (async () => {
      for await (const event of run.eventLogs) exec.events.push(event);
    })().catch(() => {});
    run.result
      .then(
        (output) => {
          if (exec.status !== 'RUNNING') return;
          exec.status = 'SUCCEEDED';
          exec.output = JSON.stringify(output ?? null);
        },
        (err: unknown) => {
          if (exec.status !== 'RUNNING') return; // StopExecution already recorded ABORTED
          if (err instanceof ExecutionAbortedError) exec.status = 'ABORTED';
          else if (err instanceof ExecutionTimeoutError) {
            exec.status = 'TIMED_OUT';
            exec.error = 'States.Timeout';
          } else {
            const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
            exec.status = 'FAILED';
            exec.error = cause instanceof Error ? cause.name : 'States.Runtime';
            exec.cause = cause instanceof Error ? cause.message : String(cause);
          }
        },
      )
      .finally(() => {
        exec.stopDate ??= new Date();
        closeExecution(exec);
        return collecting;
      })
      .then(() => {
        if (!stopping) persist();
      })
      .then(markSettled, markSettled);
    return exec;
  };

  // ---- persistence ---------------------------------------------------------------------------------
  let stopping = false;
  let saving: Promise<void> = Promise.resolve();
  /** Where a RUNNING execution stands: the top-level state it is in, that state's input, its token. */
  const positionOf = (exec: ExecutionEntry): PersistedExecution['resume'] => {
    const machine = machines.get(exec.stateMachineArn);
    if (!machine) return undefined;
    const entered = exec.events.findLast(
      (e): e is Extract<LocalEventLog, { type: 'StateEntered' }> =>
        e.type === 'StateEntered' && e.index === undefined && machine.topStates.has(e.state.name),
    );
    if (!entered) return { stateName: machine.definition.StartAt, input: JSON.parse(exec.input) };
    const token = [...exec.tokens].map((t) => tokens.get(t)).find((t) => t?.stateName === entered.state.name);
    const waiting =
      token ?? (exec.resumeToken?.stateName === entered.state.name ? exec.resumeToken : undefined);
    return {
      stateName: entered.state.name,
      input: entered.state.input,
      ...(waiting
        ? {
            token: {
              taskToken: waiting.taskToken,
              stateName: waiting.stateName,
              resource: waiting.resource,
              input: waiting.input,
            },
          }
        : {}),
    };
  };
  const persist = (): Promise<void> => {
    const file = options.stateFile;
    if (!file) return saving;
    saving = saving.then(async () => {
      const state: PersistedState = {
        executions: [...executions.values()].map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: e.startDate.toISOString(),
          ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
          input: e.input,
          ...(e.output !== undefined ? { output: e.output } : {}),
          ...(e.error !== undefined ? { error: e.error } : {}),
          ...(e.cause !== undefined ? { cause: e.cause } : {}),
          ...(e.status === 'RUNNING' ? { resume: positionOf(e) } : {}),
        })),
      };
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(state));
      await rename(`${file}.tmp`, file);
    });
    saving = saving.catch((e: unknown) => console.error('[sfn-local] saving executions failed:', e));
    return saving;
  };

  // ---- API -----------------------------------------------------------------------------------------
  const findExecution = (arn: unknown): ExecutionEntry => {
    if (typeof arn !== 'string' || !arn.startsWith('arn:aws:states:'))
      throw sfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    const exec = executions.get(arn);
    if (!exec) throw sfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return exec;
  };
  const findToken = (p: Record<string, unknown>): TokenEntry => {
    const token = p['taskToken'];
    if (typeof token !== 'string' || token === '')
      throw sfnError('InvalidToken', 'Invalid Token: missing taskToken');
    const entry = tokens.get(token);
    if (!entry) throw sfnError('TaskDoesNotExist', 'Task Timed Out or does not exist');
    return entry;
  };
  const describe = (e: ExecutionEntry) => {
    const out: Record<string, unknown> = {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate.getTime() / 1000,
      input: e.input,
      inputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
    if (e.stopDate) out['stopDate'] = e.stopDate.getTime() / 1000;
    if (e.output !== undefined) {
      out['output'] = e.output;
      out['outputDetails'] = { included: true };
    }
    if (e.error !== undefined) out['error'] = e.error;
    if (e.cause !== undefined) out['cause'] = e.cause;
    return out;
  };

  const operations: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    StartExecution(p) {
      const arn = p['stateMachineArn'];
      const machine = typeof arn === 'string' ? machines.get(arn) : undefined;
      if (!machine)
        throw sfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
      const name = p['name'] === undefined ? randomUUID() : p['name'];
      if (typeof name !== 'string' || !isValidExecutionName(name)) {
        throw sfnError('InvalidName', `Invalid Name: '${String(name)}'`);
      }
      const inputText = p['input'] === undefined ? '{}' : p['input'];
      if (
        typeof inputText !== 'string' ||
        Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES ||
        !isJson(inputText)
      ) {
        throw sfnError(
          'InvalidExecutionInput',
          'Invalid State Machine Execution Input: must be JSON up to 256 KiB',
        );
      }
      const existing = executions.get(executionArnFor(machine.name, name));
      if (existing) {
        // Standard workflows: same name + same input while RUNNING is idempotent; anything else conflicts.
        if (existing.status === 'RUNNING' && sameJson(existing.input, inputText)) {
          return { executionArn: existing.executionArn, startDate: existing.startDate.getTime() / 1000 };
        }
        throw sfnError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
      }
      const exec = startExecution(machine, name, inputText);
      void persist();
      return { executionArn: exec.executionArn, startDate: exec.startDate.getTime() / 1000 };
    },
    DescribeExecution: (p) => describe(findExecution(p['executionArn'])),
    StopExecution(p) {
      const exec = findExecution(p['executionArn']);
      if (exec.status === 'RUNNING') {
        exec.status = 'ABORTED';
        exec.stopDate = new Date();
        if (typeof p['error'] === 'string') exec.error = p['error'];
        if (typeof p['cause'] === 'string') exec.cause = p['cause'];
        exec.run?.abort();
        closeExecution(exec);
        void persist();
      }
      return { stopDate: (exec.stopDate ?? new Date()).getTime() / 1000 };
    },
    ListExecutions(p) {
      const arn = p['stateMachineArn'];
      if (typeof arn !== 'string' || !machines.has(arn)) {
        throw sfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
      }
      const filter = p['statusFilter'];
      const all = [...executions.values()]
        .filter((e) => e.stateMachineArn === arn && (!filter || e.status === filter))
        .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
      const { page, nextToken } = paginate(all, p);
      const out: Record<string, unknown> = {
        executions: page.map((e) => {
          const item: Record<string, unknown> = {
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: e.startDate.getTime() / 1000,
          };
          if (e.stopDate) item['stopDate'] = e.stopDate.getTime() / 1000;
          return item;
        }),
      };
      if (nextToken) out['nextToken'] = nextToken;
      return out;
    },
    GetExecutionHistory(p) {
      const exec = findExecution(p['executionArn']);
      let history = toHistory(exec, p['includeExecutionData'] !== false);
      if (p['reverseOrder'] === true) history = history.reverse();
      const { page, nextToken } = paginate(history, p);
      const out: Record<string, unknown> = { events: page };
      if (nextToken) out['nextToken'] = nextToken;
      return out;
    },
    SendTaskSuccess(p) {
      const entry = findToken(p);
      const output = p['output'];
      if (typeof output !== 'string' || Buffer.byteLength(output) > MAX_PAYLOAD_BYTES || !isJson(output)) {
        throw sfnError('InvalidOutput', 'Invalid Output: must be JSON up to 256 KiB');
      }
      entry.resolve(JSON.parse(output) as JsonValue);
      return {};
    },
    SendTaskFailure(p) {
      const entry = findToken(p);
      const error = typeof p['error'] === 'string' ? p['error'] : '';
      const cause = typeof p['cause'] === 'string' ? p['cause'] : '';
      entry.reject(new TaskError(error, cause));
      return {};
    },
    SendTaskHeartbeat(p) {
      findToken(p);
      return {};
    },
    ListStateMachines: () => ({
      stateMachines: [...machines.values()].map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: 'STANDARD',
        creationDate: m.created.getTime() / 1000,
      })),
    }),
    DescribeStateMachine(p) {
      const machine =
        typeof p['stateMachineArn'] === 'string' ? machines.get(p['stateMachineArn']) : undefined;
      if (!machine) {
        throw sfnError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${String(p['stateMachineArn'])}'`,
        );
      }
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definitionText,
        roleArn: `arn:aws:iam::${accountId}:role/local-stepfunctions`,
        type: 'STANDARD',
        creationDate: machine.created.getTime() / 1000,
      };
    },
  };

  // Faults injected for tests (`POST /local/faults {"operation":"StartExecution","count":3}`): the
  // next `count` calls of the operation answer 500 ServiceUnavailable, so the SDK's own retries and
  // the caller's recovery run as they would against a failing AWS endpoint.
  const faults = new Map<string, number>();
  const takeFault = (operation: string) => {
    const left = faults.get(operation) ?? 0;
    if (left <= 0) return false;
    faults.set(operation, left - 1);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const requestId = randomUUID();
    const headers = { 'x-amzn-requestid': requestId };
    try {
      if (req.method === 'POST' && req.url === '/local/faults') {
        const body = await readJsonBody(req, 1024);
        const operation = isRecord(body) ? body['operation'] : undefined;
        const count = isRecord(body) ? body['count'] : undefined;
        if (typeof operation !== 'string' || !Number.isInteger(count) || (count as number) < 0)
          throw new HttpError(400, 'ValidationException', 'Expected {"operation": string, "count": integer}');
        faults.set(operation, count as number);
        sendJson(res, 200, { operation, count }, headers);
        return;
      }
      if (req.method !== 'POST')
        throw new HttpError(404, 'UnknownOperationException', 'Use POST with X-Amz-Target');
      const op = operations[target.replace(/^AWSStepFunctions\./, '')];
      if (!target.startsWith('AWSStepFunctions.') || !op) {
        throw sfnError('UnknownOperationException', `Unknown operation ${target}`);
      }
      const body = await readJsonBody(req, 2 * MAX_PAYLOAD_BYTES);
      if (!isRecord(body)) throw sfnError('SerializationException', 'Body must be a JSON object');
      if (takeFault(target.replace(/^AWSStepFunctions\./, '')))
        throw new HttpError(500, 'ServiceUnavailable', 'Injected fault (local/faults)');
      sendJson(res, 200, op(body), headers, 'application/x-amz-json-1.0');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(
        res,
        err.status,
        { __type: err.code, message: err.message },
        headers,
        'application/x-amz-json-1.0',
      );
    }
  };

  // Executions from the last run: finished ones as records, RUNNING ones continued where they were.
  for (const p of persisted?.executions ?? []) {
    const machine = machines.get(p.stateMachineArn);
    if (!machine || executions.has(p.executionArn)) continue;
    if (p.status === 'RUNNING' && p.resume) {
      startExecution(machine, p.name, p.input, p);
      continue;
    }
    executions.set(p.executionArn, {
      executionArn: p.executionArn,
      stateMachineArn: p.stateMachineArn,
      name: p.name,
      status: p.status === 'RUNNING' ? 'ABORTED' : p.status,
      startDate: new Date(p.startDate),
      stopDate: new Date(p.stopDate ?? p.startDate),
      input: p.input,
      ...(p.output !== undefined ? { output: p.output } : {}),
      ...(p.error !== undefined ? { error: p.error } : {}),
      ...(p.cause !== undefined ? { cause: p.cause } : {}),
      events: [],
      busy: 0,
      tokens: new Set(),
      settled: Promise.resolve(),
    });
  }

  const server = createJsonServer(handle, 'sfn-local');
  const port = await listen(server, options.port ?? 0);

  const snapshot = (e: ExecutionEntry): LocalExecution => {
    const { run: _run, busy: _busy, tokens: _tokens, settled: _settled, ...rest } = e;
    return rest;
  };

  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    stateMachineArn,
    getExecution: (arn) => {
      const e = executions.get(arn);
      return e ? snapshot(e) : undefined;
    },
    executions: () => [...executions.values()].map(snapshot),
    pendingTasks: (arn) =>
      [...tokens.values()]
        .filter((t) => !arn || t.executionArn === arn)
        .map(({ resolve: _r, reject: _j, ...task }) => task),
    async idle({ timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let stable = 0;
      let lastSignature = '';
      for (;;) {
        const running = [...executions.values()].filter((e) => e.status === 'RUNNING');
        const quiet = running.every((e) => e.busy === 0 && e.tokens.size > 0);
        const signature = [...executions.values()]
          .map((e) => `${e.status}:${e.events.length}:${e.tokens.size}`)
          .join('|');
        stable = quiet && signature === lastSignature ? stable + 1 : 0;
        lastSignature = signature;
        if (stable >= 3) {
          // Let finished executions flush their event logs before reporting idle.
          await Promise.all(
            [...executions.values()].filter((e) => e.status !== 'RUNNING').map((e) => e.settled),
          );
          return;
        }
        if (Date.now() > deadline) {
          const busy = running.filter((e) => !(e.busy === 0 && e.tokens.size > 0)).map((e) => e.name);
          throw new Error(`Step Functions not idle after ${timeoutMs} ms; still working: ${busy.join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async waitForExecution(arn, { timeoutMs = 10_000 } = {}) {
      const exec = executions.get(arn);
      if (!exec) throw new Error(`Unknown execution ${arn}`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Execution ${arn} still ${exec.status} after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([exec.settled, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return snapshot(exec);
    },
    async stop() {
      // Saved as they stand (RUNNING, waiting) before the in-memory runs are dropped.
      await persist();
      stopping = true;
      await saving;
      for (const exec of executions.values()) {
        if (exec.status === 'RUNNING') {
          exec.status = 'ABORTED';
          exec.stopDate = new Date();
          exec.run?.abort();
          closeExecution(exec);
        }
      }
      await closeServer(server);
    },
  };
}
