import { DomainError } from '../core/errors.ts';
// zod's English issue messages for every function that reports field issues (see the module).
import '../runtime/zod-messages.ts';

/** Reads an HTTP API body: base64 aware, size capped, JSON only. */
export function parseJsonBody(
  event: { body?: string; isBase64Encoded?: boolean },
  headers: Record<string, string>,
  maxBytes: number,
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

export { zodFieldIssues } from '../core/field-issues.ts';
