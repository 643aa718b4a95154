import { group } from '../../../../lambdas/core/i18n.ts';
import { claimProgress } from '../../../../lambdas/core/lifecycle.ts';
import { STATUS_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { lookup } from '../../../shared/i18n.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView } from '../../../shared/types.ts';

const STAGE_TEXT = group('customer.stage');

/**
 * Where the claim is and what comes next, as a row of steps (a column on a phone). The current
 * step carries the same status words as the badge: both read core/lifecycle.ts's one mapping.
 */
export function ClaimStepper({ claim }: { claim: ClaimView }) {
  const { locale, tr } = useLocale();
  const p = claimProgress(claim.status, {
    paid: Boolean(claim.payment?.paidAt),
    decided: Boolean(claim.decision),
  });
  return (
    <section class="card stepper" aria-labelledby="stepper-title">
      <h2 id="stepper-title" class="visually-hidden">
        {tr('progressTitle')}
      </h2>
      <ol class="stepper-list">
        {p.stages.map((stage, i) => {
          const done = i < p.current || (p.ended && i === p.current);
          const state = i === p.current ? 'current' : done ? 'done' : 'upcoming';
          return (
            <li
              key={stage}
              class={`stepper-step is-${state}${done ? ' is-done' : ''}`}
              data-stage={stage}
              aria-current={i === p.current ? 'step' : undefined}
            >
              <span class="stepper-dot" aria-hidden="true">
                {done ? '✓' : i + 1}
              </span>
              <span class="stepper-label">{lookup(STAGE_TEXT, stage, locale)}</span>
              {i === p.current ? (
                <span class="stepper-status">{t(STATUS_TEXT, claim.status, locale)}</span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {p.next ? (
        <p class="hint stepper-next">{tr('progressNext', { stage: lookup(STAGE_TEXT, p.next, locale) })}</p>
      ) : null}
    </section>
  );
}
