import { startLocalStack } from '../../../local/stack.ts';
import { buildWeb } from '../../../web/build.ts';
import { TEST_REFERRAL_MIN_FLAGS } from '../../helpers/global-setup.ts';

/**
 * Builds every web app (customer and console: they share code, so build both) and starts the whole
 * local stack on free ports with instant workflow retries. Each e2e file gets its own stack.
 */
export async function startE2eStack() {
  await buildWeb();
  return startLocalStack({
    apiPort: 0,
    webPort: 0,
    quiet: true,
    retryIntervalOverrideMs: 0,
    referralMinFlags: TEST_REFERRAL_MIN_FLAGS,
  });
}

export type E2eStack = Awaited<ReturnType<typeof startE2eStack>>;
