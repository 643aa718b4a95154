import { useState } from 'preact/hooks';
import { AuthError, localSignIn, startCognitoSignIn } from '../../../shared/auth.ts';
import { FieldFrame, PageHeading } from '../../../shared/components.tsx';
import type { RuntimeConfig } from '../../../shared/config.ts';
import { errorCodeText } from '../../../shared/errors.ts';
import { currentRoute } from '../../../shared/router.ts';
import { useText } from '../i18n.ts';

/**
 * The seeded staff of the local stack (local/demo-data.ts), described the way a team lead would
 * introduce them. Only shown in local mode; on AWS people sign in through Cognito.
 */
const DEMO_STAFF: { username: string; name: string; vi: string; en: string }[] = [
  {
    username: 'dung.pham',
    name: 'Phạm Văn Dũng',
    vi: 'Giám định viên · xe cơ giới · Hà Nội · hạn mức 50 triệu',
    en: 'Adjuster · motor · Hà Nội · limit 50M',
  },
  {
    username: 'giang.hoang',
    name: 'Hoàng Thu Giang',
    vi: 'Giám định viên · xe, tài sản · TP. HCM · hạn mức 30 triệu',
    en: 'Adjuster · motor, property · HCMC · limit 30M',
  },
  {
    username: 'em.vo',
    name: 'Võ Thị Em',
    vi: 'Giám định viên · sức khỏe, du lịch, tài sản · hạn mức 100 triệu',
    en: 'Adjuster · health, travel, property · limit 100M',
  },
  {
    username: 'hai.do',
    name: 'Đỗ Minh Hải',
    vi: 'Trưởng nhóm + giám định viên · hạn mức 1 tỷ',
    en: 'Supervisor + adjuster · limit 1B',
  },
  { username: 'khanh.bui', name: 'Bùi Quốc Khánh', vi: 'Phòng thẩm định', en: 'Underwriting' },
  { username: 'lan.ngo', name: 'Ngô Thị Lan', vi: 'Phòng pháp chế', en: 'Legal' },
  { username: 'minh.dang', name: 'Đặng Văn Minh', vi: 'Phòng tài chính', en: 'Finance' },
  {
    username: 'nam.ly',
    name: 'Lý Hoàng Nam',
    vi: 'Chống trục lợi (SIU)',
    en: 'Special investigations (SIU)',
  },
  { username: 'admin', name: 'Quản trị hệ thống', vi: 'Quản trị hệ thống', en: 'Administrator' },
];

export function SignInPage(props: {
  config: RuntimeConfig;
  notice: { code?: string; auth?: AuthError } | null;
  onSignedIn: (token: string) => void;
}) {
  const { config, notice, onSignedIn } = props;
  const { locale, tr, c } = useText();
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();

  const noticeText = (() => {
    if (!notice) return null;
    if (notice.code) return errorCodeText(notice.code, locale);
    if (notice.auth?.code === 'STATE_MISMATCH') return tr('signInStateMismatch');
    return tr('signInFailed', { reason: notice.auth?.message ?? '?' });
  })();

  async function signInLocal(name: string) {
    const u = name.trim();
    if (!u) {
      setFieldError('required');
      document.getElementById('f-username')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await localSignIn(config.apiUrl, u));
    } catch (err) {
      if (err instanceof AuthError && err.message === 'USER_NOT_FOUND')
        setError(errorCodeText('USER_NOT_FOUND', locale));
      else if (err instanceof AuthError) setError(tr('signInFailed', { reason: err.message }));
      else setError(errorCodeText('NETWORK', locale));
      setBusy(false);
    }
  }

  async function signInCognito() {
    if (config.auth.mode !== 'cognito') return;
    setBusy(true);
    const route = currentRoute();
    await startCognitoSignIn('console', config.auth, locale, route === '/signin' ? '/queue' : route);
  }

  return (
    <section class="sign-in">
      <div class="card sign-in-card">
        <PageHeading>{tr('signInTitle')}</PageHeading>
        <p class="lead">{c('signInIntro')}</p>
        {noticeText ? (
          <div class="banner banner-error" role="alert">
            <p>{noticeText}</p>
          </div>
        ) : null}
        {error ? (
          <div class="banner banner-error" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
        {config.auth.mode === 'cognito' ? (
          <button
            type="button"
            class="btn btn-primary btn-block btn-large"
            disabled={busy}
            onClick={signInCognito}
          >
            {busy ? tr('signingIn') : tr('signInWithAccount')}
          </button>
        ) : (
          <>
            <p class="hint">{tr('localModeNote')}</p>
            <form
              class="sign-in-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void signInLocal(username);
              }}
            >
              <FieldFrame path="username" label={tr('username')} required error={fieldError}>
                {(aria) => (
                  <input
                    {...aria}
                    type="text"
                    name="username"
                    autoComplete="username"
                    autoCapitalize="none"
                    value={username}
                    onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
              </FieldFrame>
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? tr('signingIn') : tr('signInButton')}
              </button>
            </form>
            <h2 class="section-title">{c('demoStaff')}</h2>
            <p class="hint">{c('demoStaffHint')}</p>
            <ul class="demo-staff">
              {DEMO_STAFF.map((u) => (
                <li key={u.username}>
                  <button
                    type="button"
                    class="demo-staff-button"
                    data-username={u.username}
                    aria-label={c('signInAs', { name: `${u.name} (${u.username})` })}
                    disabled={busy}
                    onClick={() => {
                      setUsername(u.username);
                      void signInLocal(u.username);
                    }}
                  >
                    <span class="demo-staff-name">{u.name}</span>
                    <span class="demo-staff-user">{u.username}</span>
                    <span class="demo-staff-desc">{u[locale]}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
