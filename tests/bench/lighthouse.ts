import { CUSTOMER_SCREENS, openLighthouse } from '../e2e/helpers/lighthouse.ts';
import { startE2eStack } from '../e2e/helpers/stack.ts';

/** Target for Lighthouse's performance score on each customer screen (phone profile). */
export const TARGET_PERFORMANCE = 90;
/** Runs per screen; the median counts, as Lighthouse's guidance on variance recommends. */
const RUNS = 3;

/**
 * Lighthouse performance on the customer app's sign-in, claims and new-claim screens, built and
 * served as CloudFront serves it, on the phone profile (slow 4G, 4× CPU, simulated): the median
 * of three runs per screen, with every run's score. Needs Debian's chromium (CHROMIUM_PATH).
 */
export async function benchLighthouse() {
  const stack = await startE2eStack();
  const lighthouse = await openLighthouse().catch(async (e: unknown) => {
    await stack.stop();
    throw e;
  });
  try {
    const out: Record<string, { performance: number; runs: number[] }> = {};
    let signedIn = false;
    for (const screen of CUSTOMER_SCREENS) {
      if (screen.signedIn && !signedIn) {
        await lighthouse.signIn(stack.webUrl, 'an.nguyen');
        signedIn = true;
      }
      const a = await lighthouse.audit(`${stack.webUrl}${screen.hash}`, ['performance'], RUNS);
      out[screen.name] = {
        performance: a.scores.performance ?? 0,
        runs: a.runs.map((r) => r.performance ?? 0),
      };
    }
    return out;
  } finally {
    await lighthouse.close();
    await stack.stop();
  }
}

/** Prints the scores and OK/SLOW against the target; true when every screen meets it. */
export function printLighthouse(scores: Awaited<ReturnType<typeof benchLighthouse>>): boolean {
  console.table(scores);
  const slow = Object.entries(scores).filter(([, s]) => s.performance < TARGET_PERFORMANCE);
  console.log(
    slow.length === 0
      ? `OK: Lighthouse performance ≥ ${TARGET_PERFORMANCE} on every customer screen (median of ${RUNS})`
      : `SLOW: Lighthouse performance under ${TARGET_PERFORMANCE} on ${slow.map(([n, s]) => `${n} (${s.performance})`).join(', ')}`,
  );
  return slow.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) printLighthouse(await benchLighthouse());
