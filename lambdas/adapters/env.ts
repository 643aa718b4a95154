import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Configuration comes only from the environment (the same code runs on AWS and on the local stack).
 * Handlers call {@link requireEnv} at module scope so a misconfigured function fails at cold start.
 *
 * On AWS every function has its own process and its own environment: exactly what CDK set for it.
 * The local stack runs every function in one process, so it runs each invocation (and the cold
 * start that imports the handler) inside {@link runInFunctionEnvironment}; these readers then see
 * that function's variables only, and a variable CDK does not give the function is missing here
 * too. Outside such a run (on AWS, in tests and scripts) they read `process.env`.
 */
export interface FunctionEnvironment {
  /** The function's name (its per-execution-environment caches are kept under it). */
  name: string;
  variables: Readonly<Record<string, string>>;
}

const current = new AsyncLocalStorage<FunctionEnvironment>();

export function runInFunctionEnvironment<T>(environment: FunctionEnvironment, fn: () => T): T {
  return current.run(environment, fn);
}

/**
 * The invocation running (locally: a distinct object per invocation, for per-invocation caches),
 * or undefined outside one (and on AWS).
 */
export const currentInvocation = (): object | undefined => current.getStore();

/** The function whose invocation is running (locally), or undefined outside one (and on AWS). */
export const currentFunctionName = (): string | undefined => current.getStore()?.name;

function read(name: string): string | undefined {
  const environment = current.getStore();
  return environment ? environment.variables[name] : process.env[name];
}

export function requireEnv<const K extends string>(...names: K[]): Record<K, string> {
  const missing = names.filter((n) => !read(n));
  if (missing.length > 0) throw new Error(`Missing environment configuration: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, read(n) as string])) as Record<K, string>;
}

export function env(name: string): string {
  const v = read(name);
  if (!v) throw new Error(`Missing environment configuration: ${name}`);
  return v;
}

export const optionalEnv = (name: string, fallback: string): string => read(name) || fallback;

/**
 * A value made once per execution environment (a parsed variable, a client bound to a key): one
 * per process on AWS, one per function locally, so no function sees what another one was given.
 */
export function perExecutionEnvironment<T>(make: () => T): () => T {
  const made = new Map<string, T>();
  return () => {
    const key = current.getStore()?.name ?? '';
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as T;
  };
}
