import { PageHeading } from '../../../shared/components.tsx';
import {
  CognitoSignInButton,
  LocalSignInForm,
  type SignInProps,
  useSignIn,
} from '../../../shared/sign-in.tsx';
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
  { username: 'oanh.vu', name: 'Vũ Thị Oanh', vi: 'Phòng tài chính (duyệt chi)', en: 'Finance (releases)' },
  {
    username: 'nam.ly',
    name: 'Lý Hoàng Nam',
    vi: 'Chống trục lợi (SIU)',
    en: 'Special investigations (SIU)',
  },
  { username: 'admin', name: 'Quản trị hệ thống', vi: 'Quản trị hệ thống', en: 'Administrator' },
  {
    username: 'phuong.le',
    name: 'Lê Thu Phương',
    vi: 'Quản trị (duyệt thay đổi)',
    en: 'Administrator (approves changes)',
  },
];

export function SignInPage(props: SignInProps) {
  const { locale, tr, c } = useText();
  const s = useSignIn({ ...props, app: 'console', home: '/queue' });

  return (
    <section class="sign-in">
      <div class="card sign-in-card">
        <PageHeading>{tr('signInTitle')}</PageHeading>
        <p class="lead">{c('signInIntro')}</p>
        {s.noticeText ? (
          <div class="banner banner-error" role="alert">
            <p>{s.noticeText}</p>
          </div>
        ) : null}
        {s.error ? (
          <div class="banner banner-error" role="alert">
            <p>{s.error}</p>
          </div>
        ) : null}
        {s.cognito ? (
          <CognitoSignInButton signIn={s} class="btn btn-primary btn-block btn-large" />
        ) : (
          <>
            <p class="hint">{tr('localModeNote')}</p>
            <LocalSignInForm signIn={s} class="sign-in-form" buttonClass="btn btn-primary" />
            <h2 class="section-title">{c('demoStaff')}</h2>
            <p class="hint">{c('demoStaffHint')}</p>
            <ul class="demo-staff">
              {DEMO_STAFF.map((u) => (
                <li key={u.username}>
                  <button
                    type="button"
                    class="demo-staff-button"
                    data-username={u.username}
                    disabled={s.busy}
                    onClick={() => s.signInAs(u.username)}
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
