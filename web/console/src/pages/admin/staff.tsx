import { useState } from 'preact/hooks';
import type { Department } from '../../../../../lambdas/core/claim.ts';
import { DEPARTMENTS } from '../../../../../lambdas/core/claim.ts';
import { PRODUCT_LINES, type ProductLine } from '../../../../../lambdas/core/products.ts';
import { StaffUpdateBody } from '../../../../../lambdas/core/staff-schemas.ts';
import { type Role, STAFF_ROLES } from '../../../../../lambdas/shared/roles.ts';
import { isApiError } from '../../../../shared/api.ts';
import {
  CheckboxField,
  ErrorBanner,
  PageHeading,
  SelectField,
  Spinner,
  TextField,
} from '../../../../shared/components.tsx';
import {
  type FieldErrors,
  fieldIssuesFromZod,
  fieldIssueText,
  issuesByPath,
} from '../../../../shared/errors.ts';
import { formatAmountInput, money, parseAmount } from '../../../../shared/format.ts';
import { LINE_TEXT, lookup } from '../../../../shared/i18n.ts';
import { useConsole, useLoad } from '../../context.ts';
import { DEPARTMENT_TEXT, ROLE_TEXT, useText } from '../../i18n.ts';
import { isAdmin } from '../../permissions.ts';
import type { StaffMember } from '../../types.ts';

interface Draft {
  userId: string;
  username: string;
  displayName: string;
  email: string;
  phone: string;
  roles: Role[];
  skills: ProductLine[];
  regions: string;
  authorityLimit: string;
  active: boolean;
  department: string;
  /** The staff member's own bank account (segregation of duties: no payout into it). */
  bankName: string;
  bankAccountNumber: string;
  bankAccountHolder: string;
  /** `•••• 1234` of the stored account: the number itself is never sent back. */
  bankAccountMask: string;
  /** The account's version as listed: saving refuses to overwrite a change made since. */
  version?: number;
}

const NEW = 'new';

const draftOf = (s: StaffMember | null, locale: 'vi' | 'en'): Draft =>
  s
    ? {
        userId: s.userId,
        username: s.username,
        displayName: s.displayName,
        email: s.email,
        phone: s.phone ?? '',
        roles: s.roles as Role[],
        skills: s.skills as ProductLine[],
        regions: s.regions.join(', '),
        authorityLimit: formatAmountInput(String(s.authorityLimit), locale),
        active: s.active,
        department: s.department ?? '',
        bankName: s.bankAccount?.bankName ?? '',
        bankAccountNumber: '',
        bankAccountHolder: s.bankAccount?.accountHolder ?? '',
        bankAccountMask: s.bankAccount?.accountMask ?? '',
        version: s.version,
      }
    : {
        userId: NEW,
        username: '',
        displayName: '',
        email: '',
        phone: '',
        roles: ['adjuster'],
        skills: [],
        regions: '',
        authorityLimit: '0',
        active: true,
        department: '',
        bankName: '',
        bankAccountNumber: '',
        bankAccountHolder: '',
        bankAccountMask: '',
      };

/** Staff with their workload; admins edit roles, skills, regions, authority limit and status. */
export function StaffPage() {
  const { api, me } = useConsole();
  const { locale, tr, c } = useText();
  const list = useLoad(() => api.get<{ items: StaffMember[] }>('/staff').then((r) => r.items), [api]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const admin = isAdmin(me);

  async function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    setError(null);
    const candidate = {
      displayName: draft.displayName.trim(),
      email: draft.email.trim(),
      ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
      roles: draft.roles,
      skills: draft.skills,
      regions: draft.regions
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
      authorityLimit: parseAmount(draft.authorityLimit) ?? 0,
      active: draft.active,
      ...(draft.department ? { department: draft.department } : {}),
      // Only a newly typed number is sent; without one the stored account is kept as it is.
      ...(draft.bankAccountNumber.trim()
        ? {
            bankAccount: {
              bankName: draft.bankName.trim(),
              accountNumber: draft.bankAccountNumber.trim(),
              accountHolder: draft.bankAccountHolder.trim(),
            },
          }
        : {}),
      ...(draft.userId === NEW && draft.username.trim() ? { username: draft.username.trim() } : {}),
      ...(draft.userId !== NEW && draft.version !== undefined ? { expectedVersion: draft.version } : {}),
    };
    const parsed = StaffUpdateBody.safeParse(candidate, { reportInput: true });
    if (!parsed.success) {
      setFields(issuesByPath(fieldIssuesFromZod(parsed.error)));
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const r = await api.put<StaffMember & { changed: boolean; pending?: unknown }>(
        `/admin/staff/${encodeURIComponent(draft.userId)}`,
        parsed.data,
      );
      await list.reload();
      // A grant (a role, a higher limit, a new account) waits for a second administrator.
      setSaved(
        r.pending
          ? c('changePendingSaved')
          : r.changed
            ? c('staffSaved', { name: r.displayName })
            : c('staffUnchanged'),
      );
      setDraft(null);
    } catch (err) {
      setError(err);
      if (isApiError(err)) setFields(issuesByPath(err.fields));
    } finally {
      setBusy(false);
    }
  }

  const toggle = <T,>(values: T[], v: T, on: boolean) =>
    on ? [...new Set([...values, v])] : values.filter((x) => x !== v);
  const f = (p: string) => fields[p];

  return (
    <section class="admin-page">
      <div class="page-head">
        <PageHeading>{c('staffTitle')}</PageHeading>
        {admin ? (
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              setSaved(null);
              setFields({});
              setError(null);
              setDraft(draftOf(null, locale));
            }}
          >
            + {c('newStaff')}
          </button>
        ) : (
          <p class="hint">{c('staffReadOnly')}</p>
        )}
      </div>
      {saved ? (
        <div class="banner banner-success" role="status">
          <p>{saved}</p>
        </div>
      ) : null}

      {draft ? (
        <form class="card staff-editor" noValidate onSubmit={save} aria-labelledby="staff-editor-title">
          <h2 id="staff-editor-title" class="section-title">
            {draft.userId === NEW
              ? c('newStaffTitle')
              : c('editStaffTitle', { name: `${draft.displayName} (${draft.username})` })}
          </h2>
          <div class="row-3">
            {draft.userId === NEW ? (
              <TextField
                path="username"
                label={c('colUsername')}
                value={draft.username}
                error={f('username')}
                onValue={(v) => setDraft({ ...draft, username: v })}
              />
            ) : null}
            <TextField
              path="displayName"
              label={c('displayName')}
              required
              value={draft.displayName}
              error={f('displayName')}
              onValue={(v) => setDraft({ ...draft, displayName: v })}
            />
            <TextField
              path="email"
              type="email"
              label={c('email')}
              required
              value={draft.email}
              error={f('email')}
              onValue={(v) => setDraft({ ...draft, email: v })}
            />
            <TextField
              path="phone"
              type="tel"
              label={c('phone')}
              value={draft.phone}
              error={f('phone')}
              onValue={(v) => setDraft({ ...draft, phone: v })}
            />
          </div>
          <fieldset class="checkbox-grid">
            <legend class="field-label">{c('colRoles')}</legend>
            {STAFF_ROLES.map((r) => (
              <label key={r} class="check-option">
                <input
                  type="checkbox"
                  name="roles"
                  value={r}
                  checked={draft.roles.includes(r)}
                  onChange={(e) =>
                    setDraft({ ...draft, roles: toggle(draft.roles, r, e.currentTarget.checked) })
                  }
                />
                {lookup(ROLE_TEXT, r, locale)}
              </label>
            ))}
            {f('roles') ? <p class="field-error">{fieldIssueText(f('roles'), locale)}</p> : null}
          </fieldset>
          <fieldset class="checkbox-grid">
            <legend class="field-label">{c('colSkills')}</legend>
            {PRODUCT_LINES.map((l) => (
              <label key={l} class="check-option">
                <input
                  type="checkbox"
                  name="skills"
                  value={l}
                  checked={draft.skills.includes(l)}
                  onChange={(e) =>
                    setDraft({ ...draft, skills: toggle(draft.skills, l, e.currentTarget.checked) })
                  }
                />
                {lookup(LINE_TEXT, l, locale)}
              </label>
            ))}
          </fieldset>
          <div class="row-3">
            <TextField
              path="regions"
              label={c('regionsInput')}
              value={draft.regions}
              error={f('regions')}
              onValue={(v) => setDraft({ ...draft, regions: v })}
            />
            <TextField
              path="authorityLimit"
              label={c('authorityLimit')}
              required
              inputMode="numeric"
              value={draft.authorityLimit}
              error={f('authorityLimit')}
              onValue={(v) => setDraft({ ...draft, authorityLimit: formatAmountInput(v, locale) })}
            />
            <SelectField
              path="department"
              label={c('department')}
              value={draft.department}
              placeholder={c('noDepartment')}
              options={DEPARTMENTS.map((d: Department) => ({
                value: d,
                label: lookup(DEPARTMENT_TEXT, d, locale),
              }))}
              onValue={(v) => setDraft({ ...draft, department: v })}
            />
            <TextField
              path="bankAccount.bankName"
              label={c('staffBankName')}
              value={draft.bankName}
              error={f('bankAccount.bankName')}
              onValue={(v) => setDraft({ ...draft, bankName: v })}
            />
            <TextField
              path="bankAccount.accountNumber"
              label={c('staffBankAccount')}
              inputMode="numeric"
              value={draft.bankAccountNumber}
              hint={
                draft.bankAccountMask ? c('staffBankAccountKept', { mask: draft.bankAccountMask }) : undefined
              }
              error={f('bankAccount.accountNumber')}
              onValue={(v) => setDraft({ ...draft, bankAccountNumber: v })}
            />
            <TextField
              path="bankAccount.accountHolder"
              label={c('staffBankHolder')}
              value={draft.bankAccountHolder}
              error={f('bankAccount.accountHolder')}
              onValue={(v) => setDraft({ ...draft, bankAccountHolder: v })}
            />
          </div>
          <CheckboxField
            path="active"
            label={c('active')}
            checked={draft.active}
            onChecked={(v) => setDraft({ ...draft, active: v })}
          />
          <ErrorBanner error={error} />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
              {busy ? c('saving') : c('save')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setDraft(null)}>
              {c('cancel')}
            </button>
          </div>
        </form>
      ) : null}

      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {!list.data ? (
        list.loading ? (
          <Spinner label={tr('loading')} />
        ) : null
      ) : (
        <div class="table-wrap card">
          <table class="data-table staff-table">
            <thead>
              <tr>
                <th scope="col">{c('colName')}</th>
                <th scope="col">{c('colRoles')}</th>
                <th scope="col">{c('colSkills')}</th>
                <th scope="col">{c('colRegions')}</th>
                <th scope="col" class="num">
                  {c('colLimit')}
                </th>
                <th scope="col" class="num">
                  {c('colOpen')}
                </th>
                <th scope="col">{c('colActive')}</th>
                {admin ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.userId} data-username={s.username} class={s.active ? undefined : 'inactive'}>
                  <td>
                    {s.displayName}
                    <span class="cell-sub">
                      {s.username} · {s.email}
                    </span>
                  </td>
                  <td>{s.roles.map((r) => lookup(ROLE_TEXT, r, locale)).join(', ')}</td>
                  <td>{s.skills.map((x) => lookup(LINE_TEXT, x, locale)).join(', ') || '—'}</td>
                  <td>{s.regions.join(', ') || '—'}</td>
                  <td class="num">{money({ amount: s.authorityLimit, currency: 'VND' }, locale)}</td>
                  <td class="num">{s.openClaims}</td>
                  <td>{s.active ? tr('yes') : tr('no')}</td>
                  {admin ? (
                    <td>
                      <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        onClick={() => {
                          setSaved(null);
                          setFields({});
                          setError(null);
                          setDraft(draftOf(s, locale));
                          window.scrollTo({ top: 0, behavior: 'smooth' });
                        }}
                      >
                        {c('editStaff')}
                        <span class="visually-hidden"> {s.username}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
