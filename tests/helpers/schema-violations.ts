import * as z from 'zod';
import type { FieldIssue } from '../../lambdas/core/errors.ts';
import { zodFieldIssues } from '../../lambdas/core/field-issues.ts';

/**
 * Every way each leaf field of a zod schema can be wrong on its own: missing (when required), too
 * short/long, too small/large, not one of the allowed values. Each leaf is parsed alone with a
 * value that breaks one of its checks, and the real zod issue is given the leaf's path, so the
 * issues are exactly the ones the API would report for that field.
 */
export function leafViolations(
  schema: z.core.$ZodType,
  path: (string | number)[] = [],
  optional = false,
): FieldIssue[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const type = def.type as string;
  if (type === 'object') {
    const shape = def.shape as Record<string, z.core.$ZodType>;
    return Object.entries(shape).flatMap(([k, v]) => leafViolations(v, [...path, k], optional));
  }
  if (type === 'optional' || type === 'default')
    return leafViolations(def.innerType as z.core.$ZodType, path, true);
  if (type === 'nullable' || type === 'pipe' || type === 'readonly')
    return leafViolations((def.innerType ?? def.in) as z.core.$ZodType, path, optional);
  if (type === 'union') {
    const seen = new Set<string>();
    return (def.options as z.core.$ZodType[])
      .flatMap((o) => leafViolations(o, path, optional))
      .filter((i) => {
        const id = `${i.path}:${i.rule ?? i.code}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
  }
  if (type === 'array') return leafViolations(def.element as z.core.$ZodType, [...path, 0], optional);
  // Wrong JSON types are left out: they are a client's bug, not a person's mistake.
  const attempts: unknown[] = [
    ...(optional ? [] : [undefined]),
    '',
    'x',
    'x'.repeat(5000),
    -1,
    0,
    1e15,
    0.5,
    '!!not-valid!!',
  ];
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const value of attempts) {
    const parsed = z.safeParse(schema, value, { reportInput: true });
    if (parsed.success) continue;
    for (const issue of zodFieldIssues(parsed.error)) {
      if (issue.code === 'invalid_type' || issue.code === 'invalid_union') continue;
      const full = [...path, ...(issue.path === '(body)' ? [] : issue.path.split('.'))].join('.');
      const id = `${full}:${issue.rule ?? issue.code}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...issue, path: full });
    }
  }
  return out;
}
