import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { CAUSE_TEXT, t } from '../../../../../lambdas/core/messages.ts';
import type { ApiError } from '../../../../shared/api.ts';
import { StatusBadge } from '../../../../shared/claim-ui.tsx';
import { ErrorBanner, PageHeading, Spinner } from '../../../../shared/components.tsx';
import { formatDateTime, formatTime, money } from '../../../../shared/format.ts';
import { lookup, NEXT_STEP_TEXT } from '../../../../shared/i18n.ts';
import { auditVerdictText } from '../../audit-verdict.ts';
import { productOf, useConsole, useLoad } from '../../context.ts';
import { type ConsoleKey, DEADLINE_KIND_TEXT, useText } from '../../i18n.ts';
import {
  approvalState,
  canAddNote,
  canReferToSiu,
  canAssess,
  canDecide,
  canWaive,
  canReassign,
  canRequestInfo,
  canScheduleInspection,
  canVerifyAudit,
  isSupervisor,
  votableDepartments,
  canApproveAdvance,
  canVerifyPayoutAccount,
} from '../../permissions.ts';
import { handles } from '../../permissions.ts';
import { MessageThread } from '../../../../shared/message-thread.tsx';
import { PaymentsCard } from '../../../../shared/payments-card.tsx';
import { countdown, useNow } from '../../time.ts';
import type { ClaimAudit, StaffClaim, StaffMember } from '../../types.ts';
import {
  ApprovalForm,
  AssignmentForm,
  DecisionForm,
  InfoRequestForm,
  InspectionForm,
  NoteForm,
  VoteForm,
  WaiverForm,
  AdvancePaymentForm,
  SiuReferralForm,
  VerifyPayoutAccountForm,
} from './actions.tsx';
import { AssessmentForm } from './assessment-form.tsx';
import { EvidencePanel } from './evidence-panel.tsx';
import { ControlsSummary } from './controls.tsx';
import {
  AppealPanel,
  ApprovalsPanel,
  AssessmentPanel,
  ChecksPanel,
  DeadlinesPanel,
  DocumentsPanel,
  FraudPanel,
  InfoRequestsPanel,
  InspectionsPanel,
  PolicyHistoryPanel,
  PolicyPanel,
  ReportPanel,
  SentBackBanner,
  TimelinePanel,
} from './panels.tsx';
import { type ClaimActions, ClaimActionsContext } from './write.ts';

type Tab =
  | 'approval'
  | 'vote'
  | 'decision'
  | 'assessment'
  | 'info'
  | 'inspection'
  | 'assignment'
  | 'note'
  | 'waiver'
  | 'advance'
  | 'siu'
  | 'payoutCheck';

/** While the workflow is still settling a claim (checks, assignment, straight-through), look again. */
const SETTLING_POLL_MS = 1500;
/** How often an open claim is checked for changes made by someone else. */
const STALE_CHECK_MS = 20_000;

export function ClaimPage({ claimId }: { claimId: string }) {
  const { api, me, products } = useConsole();
  const { locale, tr, c } = useText();
  const now = useNow(1000);
  const path = `/claims/${encodeURIComponent(claimId)}`;
  const { data: claim, error, loading, reload } = useLoad(() => api.get<StaffClaim>(path), [api, path]);
  const [notice, setNotice] = useState<{ kind: 'success' | 'conflict'; text: string } | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [tab, setTab] = useState<Tab | null>(null);

  useEffect(() => {
    if (claim) setLoadedAt(new Date());
  }, [claim]);
  useEffect(() => {
    setNotice(null);
    setTab(null);
  }, [claimId]);

  const staffList = useLoad(
    () =>
      isSupervisor(me)
        ? api.get<{ items: StaffMember[] }>('/staff').then((r) => r.items)
        : Promise.resolve(null),
    [api, me],
  );
  const audit = useLoad(
    () => (canVerifyAudit(me) ? api.get<ClaimAudit>(`${path}/audit`) : Promise.resolve(null)),
    [api, me, path, claim?.version],
  );

  // The workflow moves on by itself for a few moments after most writes: follow it.
  useEffect(() => {
    if (!claim) return;
    const settling =
      claim.status === 'SUBMITTED' || claim.status === 'APPROVED' || claim.status === 'PARTIALLY_APPROVED';
    if (!settling) return;
    const timer = setTimeout(() => void reload(), SETTLING_POLL_MS);
    return () => clearTimeout(timer);
  }, [claim, reload]);

  // Someone else may act on the claim meanwhile (the customer answers, a reviewer votes). Check now
  // and then, and offer the newer version rather than swapping it under a half-filled form: writes
  // carry the version this page loaded.
  const [newerVersion, setNewerVersion] = useState<number | null>(null);
  useEffect(() => {
    setNewerVersion(null);
    if (!claim) return;
    const timer = setInterval(() => {
      api
        .get<StaffClaim>(path)
        .then((fresh) => setNewerVersion(fresh.version !== claim.version ? fresh.version : null))
        .catch(() => undefined);
    }, STALE_CHECK_MS);
    return () => clearInterval(timer);
  }, [api, path, claim]);

  const names = useMemo(() => {
    const map: Record<string, string> = { [me.userId]: me.displayName };
    for (const s of staffList.data ?? []) map[s.userId] = s.displayName;
    if (claim?.assignee?.name) map[claim.assignee.staffId] = claim.assignee.name;
    return map;
  }, [me, staffList.data, claim]);

  const done = useCallback<ClaimActions['done']>(
    (message) => {
      void reload().then((fresh) => {
        if (fresh)
          setNotice({ kind: 'success', text: typeof message === 'function' ? message(fresh) : message });
        setTab(null);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      });
    },
    [reload],
  );
  const conflict = useCallback(
    (err: ApiError) => {
      void reload().then((fresh) => {
        const version =
          fresh?.version ??
          (typeof err.details.currentVersion === 'number' ? err.details.currentVersion : '?');
        setNotice({ kind: 'conflict', text: c('conflictReloaded', { version }) });
        window.scrollTo({ top: 0, behavior: 'smooth' });
      });
    },
    [reload, c],
  );

  if (!claim) {
    return error ? (
      <ErrorBanner error={error} onRetry={() => void reload()} />
    ) : (
      <Spinner label={tr('loading')} />
    );
  }

  const approval = approvalState(me, claim);
  const votable = votableDepartments(me, claim);
  const tabs: Tab[] = [];
  if (approval !== 'none') tabs.push('approval');
  if (votable.length > 0) tabs.push('vote');
  if (canDecide(me, claim)) tabs.push('decision');
  if (canAssess(me, claim)) tabs.push('assessment');
  if (canRequestInfo(me, claim)) tabs.push('info');
  if (canScheduleInspection(me, claim)) tabs.push('inspection');
  if (canReassign(me, claim)) tabs.push('assignment');
  if (canAddNote(me)) tabs.push('note');
  if (canWaive(me, claim)) tabs.push('waiver');
  if (canApproveAdvance(me, claim)) tabs.push('advance');
  if (canReferToSiu(me, claim)) tabs.push('siu');
  if (canVerifyPayoutAccount(me, claim)) tabs.push('payoutCheck');
  // Whoever may approve sees what is missing, what was waived and the segregation-of-duties facts.
  const approving = tabs.some((x) => x === 'decision' || x === 'approval' || x === 'vote' || x === 'waiver');
  const preferred: Tab | undefined =
    claim.status === 'ASSESSED' && tabs.includes('decision')
      ? 'decision'
      : (tabs.find((x) => x !== 'decision') ?? tabs[0]);
  const active: Tab | undefined = tab && tabs.includes(tab) ? tab : preferred;

  const product = productOf(products, claim.productCode);
  const next = claim.nextDeadline;
  // The header shows the deadline its red or amber flag belongs to; otherwise the next one due.
  const flagged = claim.flaggedDeadline;
  const raised = claim.deadlineFlag === 'breached' || claim.deadlineFlag === 'at_risk';
  const shown = raised && flagged ? flagged : next;
  const scd = shown ? countdown(shown.dueAt, now) : null;
  const actions: ClaimActions = { claim, done, conflict };
  const verdict = audit.data?.verdict;

  return (
    <ClaimActionsContext.Provider value={actions}>
      <section
        class="claim-page"
        data-claim-id={claim.claimId}
        data-status={claim.status}
        data-version={claim.version}
      >
        <p class="crumb">
          <a href="#/queue">← {c('backToQueue')}</a>
        </p>
        <div class="claim-head">
          <div>
            <PageHeading focusKey={claim.claimId}>
              {c('claimTitle', { number: claim.claimNumber })}
            </PageHeading>
            <p class="claim-sub">
              {product ? product.name[locale] : claim.productCode} · {claim.policyNumber} ·{' '}
              {c('customerLabel')} {claim.policy?.holderName ?? claim.customerId} ({claim.customerId}) ·{' '}
              {c(`channel_${claim.channel}`)} · {t(CAUSE_TEXT, claim.report.cause, locale)}
            </p>
          </div>
          <div class="claim-head-badges">
            <StatusBadge status={claim.status} />
            {verdict ? (
              <span
                class={`badge ${verdict.ok ? 'badge-success' : 'badge-danger'} audit-badge`}
                data-audit={verdict.ok ? 'verified' : 'broken'}
                title={c('auditTitle')}
              >
                {auditVerdictText(c, verdict, audit.data?.anchoredSeq)}
              </span>
            ) : null}
          </div>
        </div>

        <dl class="summary-strip card">
          <div>
            <dt>{c('assigneeLabel')}</dt>
            <dd data-testid="assignee">
              {claim.assignee?.name ?? (claim.assignedQueue ? c('supervisorsQueue') : c('unassigned'))}
            </dd>
          </div>
          <div>
            <dt>{c('waitingLabel')}</dt>
            <dd>{c(`waiting_${claim.waitingFor ?? 'none'}` as ConsoleKey)}</dd>
          </div>
          <div
            class={`deadline-summary flag-${claim.deadlineFlag}`}
            data-flag={claim.deadlineFlag}
            data-flag-kind={raised ? flagged?.kind : undefined}
            data-flag-due={raised ? flagged?.dueAt : undefined}
          >
            <dt>{c(raised && flagged ? 'flaggedDeadlineLabel' : 'colDeadline')}</dt>
            <dd>
              {shown && scd ? (
                <>
                  {lookup(DEADLINE_KIND_TEXT, shown.kind, locale)} ·{' '}
                  <time
                    class={`countdown${scd.key.startsWith('over') ? ' is-over' : ''}`}
                    dateTime={shown.dueAt}
                    title={formatDateTime(shown.dueAt, locale)}
                  >
                    {c(scd.key, scd.params)}
                  </time>
                </>
              ) : null}
              {!shown || raised ? (
                <span
                  class={`flag-badge flag-badge-${claim.deadlineFlag}`}
                  title={
                    raised && flagged
                      ? c('flagBelongsTo', {
                          flag: c(`flag_${claim.deadlineFlag as 'breached' | 'at_risk'}`),
                          kind: lookup(DEADLINE_KIND_TEXT, flagged.kind, locale),
                          date: formatDateTime(flagged.dueAt, locale),
                        })
                      : undefined
                  }
                >
                  {c(`flag_${claim.deadlineFlag}`)}
                </span>
              ) : null}
              {raised && flagged && next && (next.kind !== flagged.kind || next.dueAt !== flagged.dueAt) ? (
                <span class="cell-sub" data-testid="next-deadline">
                  {c('nextDeadlineLine', {
                    kind: lookup(DEADLINE_KIND_TEXT, next.kind, locale),
                    date: formatDateTime(next.dueAt, locale),
                  })}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{c('customerSees')}</dt>
            <dd class="next-step-line">
              {lookup(NEXT_STEP_TEXT, claim.nextStep.code, locale)}
              {claim.nextStep.dueAt ? (
                <span class="cell-sub">
                  {tr('dueBy', { date: formatDateTime(claim.nextStep.dueAt, locale) })}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{tr('estimated')}</dt>
            <dd>{money(claim.report.estimatedAmount, locale)}</dd>
          </div>
          {claim.assessment ? (
            <div>
              <dt>{c('payable')}</dt>
              <dd>{money(claim.assessment.payable, locale)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{c('versionShort')}</dt>
            <dd>
              {claim.version}
              <button
                type="button"
                class="btn btn-ghost btn-small refresh-inline"
                onClick={() => void reload()}
                disabled={loading}
              >
                <span aria-hidden="true">↻ </span>
                {loading ? tr('refreshing') : tr('refresh')}
              </button>
              <span class="hint">{loadedAt ? ` ${formatTime(loadedAt, locale)}` : ''}</span>
            </dd>
          </div>
        </dl>

        {notice ? (
          <div
            class={`banner ${notice.kind === 'success' ? 'banner-success' : 'banner-warning'}`}
            role={notice.kind === 'success' ? 'status' : 'alert'}
            data-notice={notice.kind}
          >
            <p>{notice.text}</p>
          </div>
        ) : null}
        {newerVersion !== null ? (
          <div class="banner banner-warning" role="status" data-newer-version={newerVersion}>
            <p>{c('newerVersion', { version: newerVersion })}</p>
            <button type="button" class="btn btn-secondary btn-small" onClick={() => void reload()}>
              {c('reloadClaim')}
            </button>
          </div>
        ) : null}
        <ErrorBanner error={error} />
        <SentBackBanner claim={claim} names={names} />

        <div class="claim-layout">
          <div class="claim-main">
            <section class="card actions-card" aria-labelledby="actions-title">
              <h2 id="actions-title" class="section-title">
                {c('sectionActions')}
              </h2>
              {tabs.length === 0 ? (
                <p class="hint">{c('noActions')}</p>
              ) : (
                <>
                  {approving ? <ControlsSummary claim={claim} names={names} /> : null}
                  <div class="tabs" role="tablist" aria-label={c('sectionActions')}>
                    {tabs.map((x) => (
                      <button
                        key={x}
                        type="button"
                        role="tab"
                        id={`tab-${x}`}
                        aria-selected={x === active}
                        aria-controls="action-panel"
                        class={`tab${x === active ? ' is-active' : ''}`}
                        onClick={() => setTab(x)}
                      >
                        {c(`tab_${x}`)}
                      </button>
                    ))}
                  </div>
                  <div id="action-panel" role="tabpanel" aria-labelledby={`tab-${active}`} key={active}>
                    {active === 'assessment' ? <AssessmentForm /> : null}
                    {active === 'decision' ? <DecisionForm /> : null}
                    {active === 'info' ? <InfoRequestForm /> : null}
                    {active === 'inspection' ? <InspectionForm /> : null}
                    {active === 'assignment' ? <AssignmentForm staff={staffList.data} /> : null}
                    {active === 'approval' ? <ApprovalForm own={approval === 'own'} /> : null}
                    {active === 'vote' ? <VoteForm departments={votable} /> : null}
                    {active === 'note' ? <NoteForm /> : null}
                    {active === 'waiver' ? <WaiverForm /> : null}
                    {active === 'advance' ? <AdvancePaymentForm /> : null}
                    {active === 'siu' ? <SiuReferralForm /> : null}
                    {active === 'payoutCheck' ? <VerifyPayoutAccountForm /> : null}
                  </div>
                </>
              )}
            </section>
            <AppealPanel claim={claim} />
            <MessageThread
              key={`thread-${claim.claimId}`}
              api={api}
              claimId={claim.claimId}
              canPost={handles(me, claim)}
              audience="staff"
            />
            <AssessmentPanel claim={claim} names={names} />
            <ApprovalsPanel claim={claim} names={names} />
            <PaymentsCard claim={claim} />
            <InfoRequestsPanel claim={claim} />
            <InspectionsPanel claim={claim} />
            <TimelinePanel claim={claim} names={names} />
          </div>
          <aside class="claim-side">
            <FraudPanel claim={claim} />
            <DeadlinesPanel claim={claim} now={now} />
            <DocumentsPanel claim={claim} />
            <ChecksPanel claim={claim} />
            <EvidencePanel claim={claim} />
            <ReportPanel claim={claim} names={names} />
            <PolicyPanel claim={claim} />
            <PolicyHistoryPanel key={claim.claimId} claim={claim} />
          </aside>
        </div>
      </section>
    </ClaimActionsContext.Provider>
  );
}
