/**
 * Configuration comes only from the environment (the same code runs on AWS and on the local stack).
 * Handlers call {@link requireEnv} at module scope so a misconfigured function fails at cold start.
 */
export function requireEnv<const K extends string>(...names: K[]): Record<K, string> {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) throw new Error(`Missing environment configuration: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, process.env[n] as string])) as Record<K, string>;
}

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`Missing environment configuration: ${name}`);
  return v;
}

export const optionalEnv = (name: string, fallback: string): string => process.env[name] || fallback;
