import { MIN_CURSOR_KEY_CHARS } from '../core/cursor.ts';
import { env, perExecutionEnvironment } from './env.ts';

/**
 * The key paging cursors are signed with (HMAC-SHA256, core/cursor.ts), from `CURSOR_SIGNING_KEY`:
 * a fixed development value in the local stack; on AWS a secret generated per stage in Secrets
 * Manager (lib/stateful-stack.ts) that CloudFormation resolves into the functions' environment.
 * Read once; a missing or short key fails the function loudly.
 */
export const cursorSigningKey: () => string = perExecutionEnvironment(() => {
  const v = env('CURSOR_SIGNING_KEY');
  if (v.length < MIN_CURSOR_KEY_CHARS)
    throw new Error(`CURSOR_SIGNING_KEY must be at least ${MIN_CURSOR_KEY_CHARS} characters`);
  return v;
});
