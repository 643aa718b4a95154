import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../core/errors.ts';

/** Reads an HTTP API body: base64 aware, size capped, JSON only. */
export function parseJsonBody(
  event: { body?: string; isBase64Encoded?: boolean },
  headers: Record<string, string>,
  maxBytes: number,
  expectBody: boolean,
): unknown {
  if (event.body === undefined || event.body === '') {
    return undefined;
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new DomainError('BODY_TOO_LARGE', `The body is larger than ${maxBytes} bytes`, { maxBytes });
  }
  const type = headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('MALFORMED_JSON', 'The body is not valid JSON');
  }
}

const OUR_FORMAT_TAGS = new Set(['phone', 'plate', 'account_number']);

/** zod issues → field issues with stable codes the screens translate. */
export function zodFieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: path ? `${path}.${key}` : key, code: 'unrecognized_keys', message: `Unknown field ${key}` });
      }
      continue;
    }
    let code: string = issue.code;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) code = 'required';
    else if (issue.code === 'invalid_type' && issue.expected === 'int') code = 'not_integer';
    else if (OUR_FORMAT_TAGS.has(issue.message)) code = issue.message;
    out.push({ path: path || '(body)', code, message: issue.message });
  }
  return out;
}
