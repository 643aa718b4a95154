import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Department } from '../../../../../lambdas/core/claim.ts';
import { DOCUMENT_TEXT, STATUS_TEXT, t } from '../../../../../lambdas/core/messages.ts';
import type { DocumentType } from '../../../../../lambdas/core/products.ts';
import {
  DecisionBody,
  InfoRequestBody,
  InspectionBody,
  AdvancePaymentBody,
  NoteBody,
  ReassignBody,
  SupervisorApprovalBody,
  VerifyPayoutAccountBody,
  VoteBody,
  WaiverBody,
} from '../../../../../lambdas/core/staff-schemas.ts';
import { SiuReferralBody } from '../../../../../lambdas/core/fraud/siu.ts';
import { isApiError } from '../../../../shared/api.ts';
import {
  ErrorBanner,
  FieldFrame,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../../shared/components.tsx';
import { type FieldErrors, fieldIssuesFromZod } from '../../../../shared/errors.ts';
import { money, parseAmount, todayInVietnam, vietnamInstant } from '../../../../shared/format.ts';
import { LINE_TEXT, lookup } from '../../../../shared/i18n.ts';
import { productOf, useConsole } from '../../context.ts';
import { DEPARTMENT_TEXT, useText } from '../../i18n.ts';
import type { DecisionResult, StaffClaim, StaffMember } from '../../types.ts';
import { AmountField } from './assessment-form.tsx';
import { ConfirmBox } from './controls.tsx';
import { useWrite } from './write.ts';

const claimPath = (claim: StaffClaim, rest: string) => `/claims/${encodeURIComponent(claim.claimId)}${rest}`;

/**
 * The scaffold every action form shares: the titled form, its fields, the error banner (or a notice in
 * its place) and the submit button (or the form's own buttons).
 */
export function ActionForm(props: {
  titleId: string;
  title: ComponentChildren;
  w: { busy: boolean; error: unknown };
  /** Without it the form only prevents the default submit (its buttons act on click). */
  onSubmit?: (e: Event) => void;
  submitLabel?: string;
  submitClass?: string;
  /** Shown instead of the error banner. */
  notice?: ComponentChildren;
  /** Shown instead of the submit button. */
  buttons?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { c } = useText();
  const { titleId, w } = props;
  return (
    <form
      class="action-form"
      noValidate
      onSubmit={props.onSubmit ?? ((e) => e.preventDefault())}
      aria-labelledby={titleId}
    >
      <h3 id={titleId} class="subsection-title">
        {props.title}
      </h3>
      {props.children}
      {props.notice ?? <ErrorBanner error={w.error} />}
      <div class="form-actions">
        {props.buttons ?? (
          <button
            type="submit"
            class={`btn ${props.submitClass ?? 'btn-primary'}`}
            disabled={w.busy}
            aria-busy={w.busy}
          >
            {w.busy ? c('saving') : props.submitLabel}
          </button>
        )}
      </div>
    </form>
  );
}

/** A required free-text field of an action form: typing clears its error. */
export function RequiredText(props: {
  w: {
    fields: FieldErrors;
    clearing: <T>(path: string, set: (value: T) => void) => (value: T) => void;
  };
  path: string;
  label: string;
  rows: number;
  value: string;
  set: (value: string) => void;
}) {
  const { w, path } = props;
  return (
    <TextAreaField
      path={path}
      label={props.label}
      required
      rows={props.rows}
      maxLength={4000}
      value={props.value}
      error={w.fields[path]}
      onValue={w.clearing(path, props.set)}
    />
  );
}

// ---- decision ---------------------------------------------------------------------------------

interface ReasonState {
  key: number;
  clause: string;
  text: string;
}

/** Approve, approve in part or reject; a 202 means it went to someone with more authority. */
export function DecisionForm() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const assessed = claim.status === 'ASSESSED' && claim.assessment;
  // No default: the person deciding picks the outcome themselves (issue 7).
  const [outcome, setOutcome] = useState<'approve' | 'partial' | 'reject' | null>(null);
  const [pending, setPending] = useState<DecisionBody | null>(null);
  const [amount, setAmount] = useState('');
  const [reasons, setReasons] = useState<ReasonState[]>([{ key: 1, clause: '', text: '' }]);
  const [note, setNote] = useState('');
  const nextKey = useRef(2);

  function onSubmit(e: Event) {
    e.preventDefault();
    if (!outcome) {
      w.showIssues([{ path: 'outcome', code: 'required', message: c('chooseOutcome') }]);
      return;
    }
    const base = { expectedVersion: claim.version, outcome, ...(note.trim() ? { note: note.trim() } : {}) };
    const reasonList = reasons.map((r) => ({ clause: r.clause.trim(), text: r.text.trim() }));
    const candidate =
      outcome === 'approve'
        ? base
        : outcome === 'partial'
          ? { ...base, amount: parseAmount(amount), reasons: reasonList }
          : { ...base, reasons: reasonList };
    const parsed = DecisionBody.safeParse(candidate, { reportInput: true });
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    // Nothing is sent until the person confirms what happens, and for how much.
    setPending(parsed.data);
  }

  function send(body: DecisionBody) {
    void w.run(
      () => api.send<DecisionResult>('POST', claimPath(claim, '/decision'), body),
      (r) => (fresh: StaffClaim) => {
        if (r.status !== 202) return c('decisionFinal', { status: t(STATUS_TEXT, fresh.status, locale) });
        const round = fresh.approvals?.at(-1);
        if (fresh.status === 'JOINT_REVIEW' || round?.route === 'joint')
          return c('decisionPendingJoint', {
            departments: (round?.departments ?? []).map((d) => lookup(DEPARTMENT_TEXT, d, locale)).join(', '),
          });
        return c('decisionPendingSupervisor');
      },
    );
  }

  const err = (p: string) => w.fields[p];
  return (
    <ActionForm
      titleId="decision-title"
      title={
        <>
          {c('tab_decision')}
          {claim.assessment ? ` · ${c('payable')}: ${money(claim.assessment.payable, locale)}` : ''}
        </>
      }
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('submitDecision')}
      submitClass={outcome === 'reject' ? 'btn-danger' : 'btn-primary'}
      buttons={
        pending ? (
          <ConfirmBox
            text={c(`confirm_${pending.outcome}`, {
              amount: money(
                pending.outcome === 'partial'
                  ? { amount: pending.amount, currency: 'VND' }
                  : (claim.assessment?.payable ?? { amount: 0, currency: 'VND' }),
                locale,
              ),
            })}
            busy={w.busy}
            onConfirm={() => {
              send(pending);
              setPending(null);
            }}
            onCancel={() => setPending(null)}
          />
        ) : undefined
      }
    >
      {!assessed ? <p class="hint">{c('decisionNeedsAssessment')}</p> : null}
      <fieldset class="outcome-options" id="f-outcome" aria-invalid={err('outcome') ? true : undefined}>
        <legend class="field-label">{c('decisionOutcome')}</legend>
        {err('outcome') ? (
          <p class="field-error" id="f-outcome-error">
            {c('chooseOutcome')}
          </p>
        ) : null}
        {(['approve', 'partial', 'reject'] as const).map((o) => (
          <label key={o} class={`radio-option${outcome === o ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              disabled={o !== 'reject' && !assessed}
              onChange={() => {
                setOutcome(o);
                setPending(null);
                w.clearField('outcome');
              }}
            />
            {c(`outcome_${o}`)}
          </label>
        ))}
      </fieldset>
      {outcome === 'partial' ? (
        <AmountField
          path="amount"
          label={c('partialAmount')}
          required
          hint={
            claim.assessment
              ? c('partialAmountHint', { amount: money(claim.assessment.payable, locale) })
              : undefined
          }
          value={amount}
          error={err('amount')}
          onValue={w.clearing('amount', setAmount)}
        />
      ) : null}
      {outcome === 'partial' || outcome === 'reject' ? (
        <fieldset class="form-section">
          <legend class="section-title">{c('reasonsTitle')}</legend>
          {err('reasons') ? <p class="field-error">{c('reasonsTitle')}</p> : null}
          {reasons.map((r, n) => (
            <fieldset key={r.key} class="loss-item">
              <legend class="loss-item-title">
                {c('reasonN', { n: n + 1 })}
                {reasons.length > 1 ? (
                  <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    onClick={() => setReasons((x) => x.filter((y) => y.key !== r.key))}
                  >
                    ✕<span class="visually-hidden">{c('removeReason', { n: n + 1 })}</span>
                  </button>
                ) : null}
              </legend>
              <TextField
                path={`reasons.${n}.clause`}
                label={c('reasonClause')}
                required
                placeholder={c('reasonClauseHint')}
                maxLength={120}
                value={r.clause}
                error={err(`reasons.${n}.clause`)}
                onValue={(v) => {
                  setReasons((x) => x.map((y) => (y.key === r.key ? { ...y, clause: v } : y)));
                  w.clearField(`reasons.${n}.clause`);
                }}
              />
              <TextAreaField
                path={`reasons.${n}.text`}
                label={c('reasonText')}
                required
                rows={3}
                maxLength={2000}
                value={r.text}
                error={err(`reasons.${n}.text`)}
                onValue={(v) => {
                  setReasons((x) => x.map((y) => (y.key === r.key ? { ...y, text: v } : y)));
                  w.clearField(`reasons.${n}.text`);
                }}
              />
            </fieldset>
          ))}
          <button
            type="button"
            class="btn btn-secondary btn-small"
            onClick={() => setReasons((x) => [...x, { key: nextKey.current++, clause: '', text: '' }])}
          >
            + {c('addReason')}
          </button>
        </fieldset>
      ) : null}
      <TextAreaField
        path="note"
        label={c('decisionNote')}
        rows={2}
        maxLength={4000}
        value={note}
        onValue={setNote}
      />
    </ActionForm>
  );
}

// ---- information request ----------------------------------------------------------------------

export function InfoRequestForm() {
  const { api, products } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const product = productOf(products, claim.productCode);
  const types: DocumentType[] = [
    ...new Set<DocumentType>([...(product?.documentChecklist.map((d) => d.type) ?? []), 'other']),
  ];
  const [message, setMessage] = useState('');
  const [docs, setDocs] = useState<DocumentType[]>(() => claim.missingDocuments.slice());

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = InfoRequestBody.safeParse(
      { expectedVersion: claim.version, message: message.trim(), documents: docs },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      () => api.post(claimPath(claim, '/info-requests'), parsed.data),
      () => c('infoRequestSent'),
    );
  }

  return (
    <ActionForm
      titleId="info-form-title"
      title={c('tab_info')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('sendInfoRequest')}
    >
      <RequiredText w={w} path="message" label={c('infoMessage')} rows={4} value={message} set={setMessage} />
      <fieldset class="checkbox-grid">
        <legend class="field-label">{c('infoDocuments')}</legend>
        {types.map((d) => (
          <label key={d} class="check-option">
            <input
              type="checkbox"
              name="documents"
              value={d}
              checked={docs.includes(d)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setDocs((x) => (on ? [...x, d] : x.filter((y) => y !== d)));
              }}
            />
            {t(DOCUMENT_TEXT, d, locale)}
          </label>
        ))}
      </fieldset>
    </ActionForm>
  );
}

// ---- inspection -------------------------------------------------------------------------------

export function InspectionForm() {
  const { api } = useConsole();
  const { c } = useText();
  const w = useWrite();
  const { claim } = w;
  const tomorrow = new Date(Date.now() + 7 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  const [date, setDate] = useState(tomorrow);
  const [time, setTime] = useState('09:00');
  const [place, setPlace] = useState(`${claim.report.lossPlace.address}, ${claim.report.lossPlace.province}`);
  const [note, setNote] = useState('');

  function onSubmit(e: Event) {
    e.preventDefault();
    const at = vietnamInstant(date, time);
    const parsed = InspectionBody.safeParse(
      {
        expectedVersion: claim.version,
        at,
        place: place.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    if (Date.parse(parsed.data.at) <= Date.now()) {
      w.showIssues([{ path: 'at', code: 'in_past', message: 'must be in the future' }]);
      return;
    }
    void w.run(
      () => api.post(claimPath(claim, '/inspections'), parsed.data),
      () => c('inspectionScheduled'),
    );
  }

  return (
    <ActionForm
      titleId="insp-form-title"
      title={c('tab_inspection')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('scheduleInspection')}
    >
      <div class="row-2">
        <FieldFrame path="at" label={c('inspectionDate')} required error={w.fields.at}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              name="inspectionDate"
              min={todayInVietnam()}
              value={date}
              onInput={(e) => {
                setDate(e.currentTarget.value);
                w.clearField('at');
              }}
            />
          )}
        </FieldFrame>
        <TextField
          path="inspectionTime"
          type="time"
          label={c('inspectionTime')}
          required
          value={time}
          onValue={setTime}
        />
      </div>
      <TextField
        path="place"
        label={c('inspectionPlace')}
        required
        maxLength={300}
        value={place}
        error={w.fields.place}
        onValue={w.clearing('place', setPlace)}
      />
      <TextAreaField
        path="note"
        label={c('inspectionNote')}
        rows={2}
        maxLength={2000}
        value={note}
        onValue={setNote}
      />
    </ActionForm>
  );
}

// ---- assignment -------------------------------------------------------------------------------

export function AssignmentForm({ staff }: { staff: StaffMember[] | null }) {
  const { api } = useConsole();
  const { locale, tr, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [staffId, setStaffId] = useState('');
  const [reason, setReason] = useState('');
  const candidates = (staff ?? []).filter(
    (s) => s.active && (s.roles.includes('adjuster') || s.roles.includes('supervisor')),
  );

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = ReassignBody.safeParse(
      { expectedVersion: claim.version, staffId, reason: reason.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    const name = candidates.find((s) => s.userId === staffId)?.displayName ?? staffId;
    void w.run(
      () => api.post(claimPath(claim, '/assignment'), parsed.data),
      () => c('reassigned', { name }),
    );
  }

  if (!staff) return <p class="hint">{tr('loading')}</p>;
  return (
    <ActionForm
      titleId="assign-form-title"
      title={c('tab_assignment')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('reassign')}
    >
      <SelectField
        path="staffId"
        label={c('assignTo')}
        required
        placeholder={c('chooseStaff')}
        value={staffId}
        error={w.fields.staffId}
        options={candidates
          .filter((s) => s.userId !== claim.assignee?.staffId)
          .map((s) => ({
            value: s.userId,
            label: c('staffOption', {
              name: `${s.displayName} (${s.username})`,
              skills: s.skills.map((x) => lookup(LINE_TEXT, x, locale)).join(', ') || '—',
              limit: money({ amount: s.authorityLimit, currency: 'VND' }, locale),
              open: s.openClaims,
            }),
          }))}
        onValue={w.clearing('staffId', setStaffId)}
      />
      <TextField
        path="reason"
        label={c('assignReason')}
        required
        maxLength={1000}
        value={reason}
        error={w.fields.reason}
        onValue={w.clearing('reason', setReason)}
      />
    </ActionForm>
  );
}

// ---- supervisor approval ----------------------------------------------------------------------

export function ApprovalForm({ own }: { own: boolean }) {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [comment, setComment] = useState('');
  const [confirming, setConfirming] = useState(false);
  const round = claim.approvals?.at(-1);

  function submit(approve: boolean, confirmed = false) {
    const parsed = SupervisorApprovalBody.safeParse(
      { expectedVersion: claim.version, approve, comment: comment.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    // An approval moves money: it is confirmed with the amount first.
    if (approve && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    void w.run(
      () => api.post(claimPath(claim, '/approval'), parsed.data),
      () => c('approvalDone'),
    );
  }

  return (
    <ActionForm
      titleId="approval-form-title"
      title={
        <>
          {c('tab_approval')}
          {round ? ` · ${c(`outcome_${round.outcome}`)} ${money(round.amount, locale)}` : ''}
        </>
      }
      w={w}
      buttons={
        confirming ? (
          <ConfirmBox
            text={c('confirm_supervisor', { amount: money(round?.amount, locale) })}
            busy={w.busy}
            onConfirm={() => submit(true, true)}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <>
            <button
              type="button"
              class="btn btn-primary"
              disabled={w.busy || own}
              onClick={() => submit(true)}
            >
              {c('approvePayout')}
            </button>
            <button
              type="button"
              class="btn btn-secondary"
              disabled={w.busy || own}
              onClick={() => submit(false)}
            >
              {c('sendBack')}
            </button>
          </>
        )
      }
    >
      {own ? <p class="banner banner-warning">{c('approvalOwn')}</p> : null}
      <RequiredText
        w={w}
        path="comment"
        label={c('approvalComment')}
        rows={3}
        value={comment}
        set={setComment}
      />
    </ActionForm>
  );
}

// ---- department vote --------------------------------------------------------------------------

/** How often, and how long apart, a vote is retried while the workflow is still parking its branches. */
const VOTE_ATTEMPTS = 5;
const VOTE_RETRY_MS = 800;

export function VoteForm({ departments }: { departments: Department[] }) {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [department, setDepartment] = useState<Department>(departments[0] ?? 'claims');
  const [comment, setComment] = useState('');
  const [notWaiting, setNotWaiting] = useState(false);
  const round = claim.approvals?.at(-1);

  function submit(vote: 'approve' | 'reject') {
    setNotWaiting(false);
    const parsed = VoteBody.safeParse(
      { round: round?.round, department, vote, comment: comment.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      async () => {
        // Right after the request the workflow may not have parked this department's branch yet
        // (409 WORKFLOW_NOT_WAITING): that means "in a moment", so try again a few times first.
        for (let attempt = 1; ; attempt++) {
          try {
            return await api.post(claimPath(claim, '/votes'), parsed.data);
          } catch (err) {
            if (!(isApiError(err) && err.code === 'WORKFLOW_NOT_WAITING')) throw err;
            if (attempt >= VOTE_ATTEMPTS) {
              setNotWaiting(true);
              throw err;
            }
            await new Promise((r) => setTimeout(r, VOTE_RETRY_MS));
          }
        }
      },
      () => c('voteDone', { department: lookup(DEPARTMENT_TEXT, department, locale) }),
    );
  }

  return (
    <ActionForm
      titleId="vote-form-title"
      title={
        <>
          {c('tab_vote')}
          {round ? ` · ${c(`outcome_${round.outcome}`)} ${money(round.amount, locale)}` : ''}
        </>
      }
      w={w}
      notice={
        notWaiting ? (
          <p class="banner banner-warning" role="status">
            {c('voteRetry')}
          </p>
        ) : null
      }
      buttons={
        <>
          <button type="button" class="btn btn-primary" disabled={w.busy} onClick={() => submit('approve')}>
            {c('voteApprove')}
          </button>
          <button type="button" class="btn btn-danger" disabled={w.busy} onClick={() => submit('reject')}>
            {c('voteReject')}
          </button>
        </>
      }
    >
      {departments.length > 1 ? (
        <SelectField
          path="department"
          label={c('department')}
          value={department}
          options={departments.map((d) => ({ value: d, label: lookup(DEPARTMENT_TEXT, d, locale) }))}
          onValue={(v) => setDepartment(v as Department)}
        />
      ) : (
        <p class="hint">{c('voteAs', { department: lookup(DEPARTMENT_TEXT, department, locale) })}</p>
      )}
      <RequiredText w={w} path="comment" label={c('voteComment')} rows={3} value={comment} set={setComment} />
    </ActionForm>
  );
}

// ---- note -------------------------------------------------------------------------------------

export function NoteForm() {
  const { api } = useConsole();
  const { c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [text, setText] = useState('');

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = NoteBody.safeParse({ text: text.trim() }, { reportInput: true });
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      async () => {
        const r = await api.post(claimPath(claim, '/notes'), parsed.data);
        setText('');
        return r;
      },
      () => c('noteAdded'),
    );
  }

  return (
    <ActionForm
      titleId="note-form-title"
      title={c('tab_note')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('addNote')}
    >
      <RequiredText w={w} path="text" label={c('noteText')} rows={3} value={text} set={setText} />
    </ActionForm>
  );
}

// ---- SIU referral -----------------------------------------------------------------------------

/**
 * A member of staff refers the claim to the SIU with a note (a customer calling about a payout account
 * change they did not make, a tip-off): its payment is held until the SIU clears it.
 */
export function SiuReferralForm() {
  const { api } = useConsole();
  const { c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [note, setNote] = useState('');

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = SiuReferralBody.safeParse({ note: note.trim() }, { reportInput: true });
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      async () => {
        const r = await api.post(claimPath(claim, '/siu-referral'), parsed.data);
        setNote('');
        return r;
      },
      () => c('siuReferred'),
    );
  }

  return (
    <ActionForm
      titleId="siu-referral-form-title"
      title={c('tab_siu')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('referToSiu')}
    >
      <p class="hint">{c('siuReferralHint')}</p>
      <RequiredText w={w} path="note" label={c('siuReferralNote')} rows={3} value={note} set={setNote} />
    </ActionForm>
  );
}

// ---- payout account typed in by staff ---------------------------------------------------------

/**
 * A supervisor who did not work on the claim records that they called the customer at the phone
 * registered on their record and the customer confirmed the payout account staff typed in.
 */
export function VerifyPayoutAccountForm() {
  const { api } = useConsole();
  const { c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [note, setNote] = useState('');
  const account = claim.report.payoutAccount;

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = VerifyPayoutAccountBody.safeParse(
      { expectedVersion: claim.version, note: note.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      () => api.post(claimPath(claim, '/payout-account/verify'), parsed.data),
      () => c('payoutVerified'),
    );
  }

  return (
    <ActionForm
      titleId="payout-verify-title"
      title={c('tab_payoutCheck')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('payoutVerifySubmit')}
    >
      <p class="hint">
        {c('payoutVerifyHint', {
          phone: claim.payoutAccountCheck?.registered?.phone ?? '—',
          account: `${account.bankName} ${account.accountMask}`,
        })}
      </p>
      <RequiredText w={w} path="note" label={c('payoutVerifyNote')} rows={3} value={note} set={setNote} />
    </ActionForm>
  );
}

// ---- document waiver --------------------------------------------------------------------------

/** A supervisor goes ahead without one required document, with the reason on record. */
export function WaiverForm() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const outstanding = claim.controls?.outstandingDocuments ?? [];
  const [docType, setDocType] = useState<string>(outstanding[0] ?? '');
  const [reason, setReason] = useState('');

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = WaiverBody.safeParse(
      { expectedVersion: claim.version, docType, reason: reason.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    void w.run(
      () => api.post(`/claims/${encodeURIComponent(claim.claimId)}/waivers`, parsed.data),
      () => c('waiverDone'),
    );
  }

  return (
    <ActionForm
      titleId="waiver-title"
      title={c('tab_waiver')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('submitWaiver')}
    >
      <SelectField
        path="docType"
        label={c('waiverDoc')}
        required
        value={docType}
        onValue={w.clearing('docType', setDocType)}
        options={outstanding.map((d) => ({ value: d, label: t(DOCUMENT_TEXT, d as DocumentType, locale) }))}
        error={w.fields.docType}
      />
      <RequiredText w={w} path="reason" label={c('waiverReason')} rows={3} value={reason} set={setReason} />
    </ActionForm>
  );
}

// ---- advance payment (compulsory motor TPL) ----------------------------------------------------

/** An advance before the decision (Decree 67/2023 Art. 14): its own payout line for finance. */
export function AdvancePaymentForm() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState<AdvancePaymentBody | null>(null);
  const view = claim.advancePayment;

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = AdvancePaymentBody.safeParse(
      { expectedVersion: claim.version, amount: parseAmount(amount) ?? Number.NaN, note: note.trim() },
      { reportInput: true },
    );
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    // Money moves: confirm with the amount first.
    setPending(parsed.data);
  }

  function approve() {
    if (!pending) return;
    const body = pending;
    setPending(null);
    void w.run(
      () => api.post(claimPath(claim, '/advance-payment'), body),
      () => c('advanceDone'),
    );
  }

  return (
    <ActionForm
      titleId="advance-title"
      title={c('tab_advance')}
      w={w}
      onSubmit={onSubmit}
      submitLabel={c('submitAdvance')}
      buttons={
        pending ? (
          <ConfirmBox
            text={`${c('submitAdvance')}: ${money({ amount: pending.amount, currency: 'VND' }, locale)}`}
            busy={w.busy}
            onConfirm={approve}
            onCancel={() => setPending(null)}
          />
        ) : undefined
      }
    >
      {view?.ceiling ? (
        <p class="field-hint" data-testid="advance-left">
          {c('advanceLeft', {
            advanced: money({ amount: view.advanced, currency: 'VND' }, locale),
            left: money({ amount: view.left, currency: 'VND' }, locale),
            limit: c(`advanceCeiling_${view.ceiling}`),
          })}
        </p>
      ) : null}
      <AmountField
        path="amount"
        label={c('advanceAmount')}
        required
        value={amount}
        onValue={w.clearing('amount', setAmount)}
        error={w.fields.amount}
      />
      <RequiredText w={w} path="note" label={c('advanceNote')} rows={2} value={note} set={setNote} />
    </ActionForm>
  );
}
