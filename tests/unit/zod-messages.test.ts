import { describe, expect, it } from 'vitest';
import { MessageBody } from '../../lambdas/core/requests.ts';
// The server's field issues, as the HTTP and task wrappers load them: with zod's English messages.
import { zodFieldIssues } from '../../lambdas/http/body.ts';

/**
 * The Lambdas validate with `zod/mini`, which reports every issue as "Invalid input" unless a locale
 * is configured (classic zod loaded English on import). The API answers with each field's message
 * beside its code, so http/body.ts configures English (lambdas/runtime/zod-messages.ts). This file
 * imports no classic zod, directly or through the modules it loads.
 */
describe('zod issue messages in the Lambdas', () => {
  const messages = (body: unknown) => {
    const parsed = MessageBody.safeParse(body, { reportInput: true });
    if (parsed.success) throw new Error('expected a failure');
    return zodFieldIssues(parsed.error).map((i) => `${i.path} ${i.code}: ${i.message}`);
  };

  it('reads as classic zod read, in English', () => {
    expect(messages({ text: '   ' })).toEqual([
      'text too_small: Too small: expected string to have >=1 characters',
    ]);
    expect(messages({ text: 5 })).toEqual([
      'text invalid_type: Invalid input: expected string, received number',
    ]);
    expect(messages({ text: 'hi', extra: 1 })).toEqual(['extra unrecognized_keys: Unknown field extra']);
    expect(messages({})).toEqual(['text required: Invalid input: expected string, received undefined']);
  });
});
