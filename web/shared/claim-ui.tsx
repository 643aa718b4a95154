import type { ClaimStatus } from '../../lambdas/core/claim.ts';
import { STATUS_TEXT, t } from '../../lambdas/core/messages.ts';
import { useLocale } from './locale.tsx';

/** Colour family of a status: in progress, waiting on the customer, good news, bad news, finished. */
const TONE: Record<ClaimStatus, 'info' | 'action' | 'success' | 'danger' | 'neutral'> = {
  SUBMITTED: 'info',
  REFERRED: 'info',
  AWAITING_DOCUMENTS: 'action',
  UNDER_ASSESSMENT: 'info',
  INFO_REQUESTED: 'action',
  ASSESSED: 'info',
  PENDING_APPROVAL: 'info',
  JOINT_REVIEW: 'info',
  APPROVED: 'success',
  PARTIALLY_APPROVED: 'success',
  REJECTED: 'danger',
  PAYMENT_QUEUED: 'success',
  PAID: 'success',
  CLOSED: 'neutral',
  CLOSED_NO_RESPONSE: 'neutral',
};

export function StatusBadge({ status }: { status: ClaimStatus }) {
  const { locale } = useLocale();
  return (
    <span class={`badge badge-${TONE[status] ?? 'neutral'}`} data-status={status}>
      {t(STATUS_TEXT, status, locale)}
    </span>
  );
}
