// State machine definitions: which Tasks call what, the Task timeouts AWS defaults, and the same
// machine started at another top-level state (to resume an execution after a restart).
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isRecord } from '../http.ts';
import {
  type LocalStateMachine,
  MAX_TASK_TIMEOUT_SECONDS,
  type MachineEntry,
  type StepFunctionsLocalOptions,
} from './types.ts';

export type ResourceKind =
  | 'lambda-function'
  | 'lambda-invoke'
  | 'lambda-invoke-wait'
  | 'integration'
  | 'integration-wait';

export function classifyResource(resource: string): ResourceKind {
  if (/^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource)) return 'lambda-function';
  if (/^arn:aws[\w-]*:states:::lambda:invoke$/.test(resource)) return 'lambda-invoke';
  if (/^arn:aws[\w-]*:states:::lambda:invoke\.waitForTaskToken$/.test(resource)) return 'lambda-invoke-wait';
  if (/^arn:aws[\w-]*:states:::.+\.waitForTaskToken$/.test(resource)) return 'integration-wait';
  return 'integration';
}

export function prepareMachine(
  sm: LocalStateMachine,
  arn: string,
  options: StepFunctionsLocalOptions,
): MachineEntry {
  const definition = structuredClone(sm.definition) as unknown as StateMachineDefinition;
  const tasks = new Map<string, string>();
  const retryStates: string[] = [];
  const waitStates: string[] = [];
  const seen = new Set<string>();

  const walk = (machine: unknown, path: string) => {
    if (!isRecord(machine) || !isRecord(machine['States']))
      throw new Error(`${sm.name}: ${path} has no States`);
    if (machine['QueryLanguage'] === 'JSONata') {
      throw new Error(`${sm.name}: JSONata is not supported by aws-local-stepfunctions; use JSONPath`);
    }
    for (const [name, state] of Object.entries(machine['States'])) {
      if (!isRecord(state)) continue;
      // The library keys Task overrides by state name across all nesting levels, so names must be unique.
      if (seen.has(name)) throw new Error(`${sm.name}: duplicate state name "${name}" (${path})`);
      seen.add(name);
      if (state['QueryLanguage'] === 'JSONata') throw new Error(`${sm.name}: state "${name}" uses JSONata`);
      if (Array.isArray(state['Retry'])) retryStates.push(name);
      if (state['Type'] === 'Wait') waitStates.push(name);
      if (state['Type'] === 'Task') {
        const resource = String(state['Resource']);
        const kind = classifyResource(resource);
        if ((kind === 'integration' || kind === 'integration-wait') && !options.invokeIntegration) {
          throw new Error(
            `${sm.name}: Task "${name}" uses ${resource}; pass invokeIntegration to run it locally`,
          );
        }
        tasks.set(name, resource);
        if (state['TimeoutSeconds'] === undefined && state['TimeoutSecondsPath'] === undefined) {
          state['TimeoutSeconds'] = MAX_TASK_TIMEOUT_SECONDS;
        }
      }
      if (state['Type'] === 'Parallel' && Array.isArray(state['Branches'])) {
        for (const [i, branch] of state['Branches'].entries()) walk(branch, `${name}.Branches[${i}]`);
      }
      if (state['Type'] === 'Map') {
        const processor = state['ItemProcessor'] ?? state['Iterator'];
        walk(processor, `${name}.ItemProcessor`);
      }
    }
  };
  walk(definition, 'root');
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } });
  return {
    name: sm.name,
    arn,
    definition,
    definitionText: JSON.stringify(sm.definition),
    machine,
    tasks,
    topStates: new Set(Object.keys((definition as unknown as { States: object }).States)),
    resumeMachines: new Map(),
    retryStates,
    waitStates,
    created: new Date(),
  };
}

/** The machine as it would run from `stateName` on (same states, another StartAt). */
export function resumeMachine(machine: MachineEntry, stateName: string): StateMachine {
  let m = machine.resumeMachines.get(stateName);
  if (!m) {
    // Validated whole at start; from another StartAt the earlier states are unreachable by design.
    m = new StateMachine({ ...machine.definition, StartAt: stateName } as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    machine.resumeMachines.set(stateName, m);
  }
  return m;
}
