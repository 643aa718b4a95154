import { inject } from 'vitest';

/** The running local stack (started by global-setup.ts), and its environment applied to this worker. */
export function useStack() {
  const stack = inject('stack');
  Object.assign(process.env, stack.env);
  return stack;
}

export { type Api, apiAs, eventually, tokenFor } from './api.ts';
