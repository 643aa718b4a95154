import { formatAmount, formatDateTime } from './format.ts';
import {
  CAUSE_TEXT,
  type CodeOf,
  DOCUMENT_TEXT,
  EMAIL_MISSING_TEXT,
  EMAIL_REPLY_TEXT,
  ERROR_TEXT,
  type Locale,
  t,
} from './messages.ts';
import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { BankAccount, SubmitClaimRequest } from './claim.ts';
import type { Policy } from './policy.ts';
import { privacyNoticeUrl } from './privacy-notice.ts';
import type { Money } from './money.ts';
import { type MaskedReport, maskAccountNumber } from './payout-account.ts';
import type { Cause, DocumentType, ProductLine } from './products.ts';

/**
 * Claims by email, the pure part: what a received message says (policy number, loss date and place,
 * cause, payout account, description) in Vietnamese or English, with or without diacritics; how far
 * its sender can be trusted (the SES verdicts); whether it is a machine talking (auto-replies, loops);
 * and what is still missing before it can become a claim. No I/O: the adapters parse MIME and the
 * app decides what to write.
 */

/** One header line as it appeared, top first (SES prepends its own, so the topmost is SES's). */
export interface HeaderLine {
  name: string;
  value: string;
}

// --- Text helpers ------------------------------------------------------------------------------

/**
 * Lower case without diacritics (`Ngày xảy ra` → `ngay xay ra`, `đ` → `d`): customers often type
 * Vietnamese without accents, so labels are matched on this form. Keeps the string's length, so an
 * index found in the folded text points at the same place in the original.
 */
export function fold(s: string): string {
  let out = '';
  for (const ch of s) {
    const base = ch
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase();
    // One character in, one out: composed characters fold to their base letter.
    out += base.length === 1 ? base : ch.length === 1 ? (base[0] ?? ch) : base;
  }
  return out;
}

/** The body without quoted replies (`> …`, "On … wrote:") and signatures (`-- `). */
export function ownText(text: string): string {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^-- ?$/.test(line)) break;
    const f = fold(line);
    if (/^(on .+ wrote:|vao .+ da viet:|luc .+ da viet:)\s*$/.test(f.trim())) break;
    if (line.startsWith('>')) continue;
    lines.push(line);
  }
  return lines.join('\n').trim();
}

/** The value after a label on the same line (`Số hợp đồng: MOT-2026-0001`), matched without diacritics. */
function labelled(text: string, labels: readonly string[]): string | undefined {
  const folded = fold(text);
  for (const label of labels) {
    const re = new RegExp(`(?:^|\\n|[\\s*-])${label}\\s*(?:[:：=]|la\\b|is\\b)\\s*([^\\n]+)`, 'i');
    const m = re.exec(folded);
    if (m?.[1] !== undefined) {
      const start = m.index + m[0].length - m[1].length;
      const value = text.slice(start, start + m[1].length).trim();
      if (value) return value.replace(/[.;,]\s*$/, '').trim();
    }
  }
  return undefined;
}

// --- Fields ------------------------------------------------------------------------------------

const POLICY_LABELS = [
  'so hop dong(?: bao hiem)?',
  'hop dong(?: bao hiem)? so',
  'so hdbh',
  'hdbh',
  'so don bao hiem',
  'policy(?: number| no\\.?| #)?',
];
/** A policy number as the policy system writes them (`MOT-2026-0001`): letters, digits and dashes. */
const POLICY_TOKEN = /\b([A-Z]{2,6}-\d{4}-\d{3,6})\b/g;

/** The policy number, from the subject or the body: a labelled one first, else the first that looks like one. */
export function findPolicyNumber(subject: string, body: string): string | undefined {
  const fromLabel = labelled(body, POLICY_LABELS);
  const token = fromLabel ? /^([A-Za-z0-9][A-Za-z0-9./-]{2,39})/.exec(fromLabel)?.[1] : undefined;
  if (token && /\d/.test(token)) return token.toUpperCase();
  for (const s of [subject, body]) {
    // A claim number (BT-2026-000123) is not a policy number.
    for (const m of s.toUpperCase().matchAll(POLICY_TOKEN)) if (m[1] && !m[1].startsWith('BT-')) return m[1];
  }
  return undefined;
}

/** A claim number (`BT-2026-000123`) in a subject: the thread the message belongs to. */
export function findClaimNumber(subject: string): string | undefined {
  return /\bBT-\d{4}-\d{6,}\b/i.exec(subject)?.[0]?.toUpperCase();
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | undefined {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined; // 31/02 and the like
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * A date in any of the ways people write one, at the start of `s` (already folded), with how many
 * characters it took (a time may follow it: `1/3/2026 14h30`).
 */
function dateAt(s: string): { date: string; length: number } | undefined {
  const found = (m: RegExpExecArray, y: string, mo: number, d: string) => {
    const date = validDate(Number(y), mo, Number(d));
    return date ? { date, length: m[0].length } : undefined;
  };
  let m = /^(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/.exec(s);
  if (m) return found(m, m[3] ?? '', Number(m[2]), m[1] ?? '');
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return found(m, m[1] ?? '', Number(m[2]), m[3] ?? '');
  m = /^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*,)?\s+nam\s+(\d{4})/.exec(s);
  if (m) return found(m, m[3] ?? '', Number(m[2]), m[1] ?? '');
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})/.exec(s);
  if (m && MONTHS[m[2] ?? '']) return found(m, m[3] ?? '', MONTHS[m[2] ?? ''] as number, m[1] ?? '');
  m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/.exec(s);
  if (m && MONTHS[m[1] ?? '']) return found(m, m[3] ?? '', MONTHS[m[1] ?? ''] as number, m[2] ?? '');
  return undefined;
}

/** `14h30`, `14:30`, `2:30 pm`, `lúc 9 giờ` after the date, if given. */
function timeIn(s: string): string | undefined {
  // The hour stands alone (not the end of a house number: `123 hoang hoa tham`), and `h` is not the
  // start of a word.
  const m = /(?:^|[^\d])(\d{1,2})\s*(?:h(?![a-z])|:|gio\b)\s*(\d{2})?\s*(am|pm|sang|chieu|toi)?/.exec(s);
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if ((m[3] === 'pm' || m[3] === 'chieu' || m[3] === 'toi') && h < 12) h += 12;
  if (h > 23 || min > 59) return undefined;
  return `${pad(h)}:${pad(min)}`;
}

const LOSS_DATE_LABELS = [
  'ngay xay ra(?: su co| tai nan| ton that)?',
  'ngay (?:su co|tai nan|ton that|xay ra su viec)',
  'thoi gian(?: xay ra)?',
  'date of (?:the )?(?:loss|accident|incident)',
  '(?:loss|accident|incident) date',
  'when',
];
/** Phrases that introduce the loss date in running text. */
const LOSS_DATE_PHRASES = [
  /xay ra (?:vao )?(?:luc [^\n]{0,20}?)?(ngay\s*[^\n]{6,30})/,
  /(?:bi|gap) (?:tai nan|va cham|ngap|chay|mat trom)[^\n.]{0,40}?(?:vao )?(ngay\s*[^\n]{6,30})/,
  /\b(?:happened|occurred|took place)[^\n.]{0,40}?\bon\s+([^\n]{6,30})/,
  /\bon\s+(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}(?:st|nd|rd|th)? [a-z]+ \d{4}|[a-z]+ \d{1,2}(?:st|nd|rd|th)?,? \d{4})/,
  /\bngay\s+(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2} thang \d{1,2},? nam \d{4})/,
];

/**
 * The date (and, if written, the time) of the loss, as an instant in Vietnam time (UTC+7). A
 * labelled date first, then the phrases people use ("xảy ra ngày…", "happened on…"); never a date
 * from a forwarded header or a quoted reply.
 */
export function findLossAt(body: string): string | undefined {
  const text = fold(ownText(body));
  const candidates: string[] = [];
  for (const label of LOSS_DATE_LABELS) {
    const m = new RegExp(`(?:^|\\n|[\\s*-])${label}\\s*[:：]\\s*([^\\n]+)`).exec(text);
    if (m?.[1]) candidates.push(m[1].trim());
  }
  for (const re of LOSS_DATE_PHRASES) {
    const m = re.exec(text);
    if (m?.[1]) candidates.push(m[1].trim());
  }
  for (const c of candidates) {
    // The date may follow a time ("14h30 ngày 12/03/2026") or lead it ("12/03/2026 lúc 14h30").
    for (let i = 0; i < Math.min(c.length, 30); i++) {
      if (i > 0 && /[0-9a-z]/.test(c[i - 1] ?? '') && /[0-9a-z]/.test(c[i] ?? '')) continue;
      const d = dateAt(c.slice(i));
      if (!d) continue;
      const time = timeIn(`${c.slice(0, i)} ${c.slice(i + d.length)}`) ?? '00:00';
      return `${d.date}T${time}:00+07:00`;
    }
  }
  return undefined;
}

const PLACE_LABELS = [
  'dia diem(?: xay ra)?(?: su co| tai nan| ton that)?',
  'noi xay ra(?: su co| tai nan| ton that)?',
  'dia chi xay ra',
  'place(?: of (?:the )?(?:loss|accident|incident))?',
  'location',
  'where',
];

/** Provinces and centrally-run cities as people write them; matched without diacritics. */
const PROVINCES: readonly (readonly [string, RegExp])[] = [
  ['Hà Nội', /\bha noi\b|\bhanoi\b/],
  ['TP. Hồ Chí Minh', /\bho chi minh\b|\bhcm\b|\bsai gon\b|\bsaigon\b/],
  ['Đà Nẵng', /\bda nang\b/],
  ['Hải Phòng', /\bhai phong\b/],
  ['Cần Thơ', /\bcan tho\b/],
  ['Huế', /\bhue\b/],
  ['Quảng Ninh', /\bquang ninh\b/],
  ['Khánh Hòa', /\bkhanh hoa\b|\bnha trang\b/],
  ['Đồng Nai', /\bdong nai\b|\bbien hoa\b/],
  ['Bình Dương', /\bbinh duong\b/],
  ['Bắc Ninh', /\bbac ninh\b/],
  ['Lâm Đồng', /\blam dong\b|\bda lat\b/],
  ['Nghệ An', /\bnghe an\b|\bvinh\b/],
  ['Thanh Hóa', /\bthanh hoa\b/],
];

export interface LossPlace {
  address: string;
  province: string;
}

/** Where the loss happened: the labelled line, and the province named in it (else its last part). */
export function findLossPlace(body: string): LossPlace | undefined {
  const text = ownText(body);
  let address = labelled(text, PLACE_LABELS);
  if (!address) {
    // "… tại 123 Láng Hạ, Đống Đa, Hà Nội" / "… at 12 Le Loi, District 1, Ho Chi Minh City"
    const f = fold(text);
    const m = /\b(?:tai|at)\s+(\d+[^\n]{5,200})/.exec(f);
    if (m?.[1]) {
      const start = m.index + m[0].length - m[1].length;
      address = text
        .slice(start, start + m[1].length)
        .replace(/[.;]\s*$/, '')
        .trim();
    }
  }
  if (!address || address.length < 3) return undefined;
  address = address.slice(0, 300);
  const f = fold(address);
  const known = PROVINCES.find(([, re]) => re.test(f))?.[0];
  const last = address.split(',').at(-1)?.trim() ?? '';
  const province = known ?? (last.length >= 2 ? last.slice(0, 80) : undefined);
  return province ? { address, province } : undefined;
}

/** Words that name a cause, without diacritics; checked in this order, the first the policy covers wins. */
const CAUSE_WORDS: readonly (readonly [Cause, RegExp])[] = [
  [
    'glass_breakage',
    /\bvo kinh\b|\bkinh\b[^.\n]{0,20}\bvo\b|\bkinh chan gio\b|\bglass\b|\bwindscreen\b|\bwindshield\b/,
  ],
  [
    'collision',
    /\bva cham\b|\bdam (?:vao|xe)\b|\btong (?:vao|xe)\b|\bbi dam\b|\bcollision\b|\bcollided\b|\bcrash\w*\b|\brear-ended\b|\bhit by\b/,
  ],
  ['theft', /\bmat trom\b|\bbi trom\b|\bmat cap\b|\bbi cuop\b|\btheft\b|\bstolen\b|\bburglary\b/],
  ['flood', /\bngap\b|\blu lut\b|\bthuy kich\b|\bflood\w*\b|\bsubmerged\b/],
  ['fire', /\bbi chay\b|\bhoa hoan\b|\bchay (?:nha|xe|kho|lan)\b|\bvu chay\b|\bfire\b|\bburn(?:ed|t)\b/],
  ['storm', /\bcon bao\b|\bmua bao\b|\bgio loc\b|\bstorm\b|\btyphoon\b/],
  ['explosion', /\bno\b (?:binh|ga)|\bexplosion\b/],
  ['lightning', /\bset danh\b|\blightning\b/],
  ['vandalism', /\bpha hoai\b|\bvandal\w*\b/],
  ['illness', /\bom\b|\bsot\b|\bviem\b|\bnhap vien\b|\billness\b|\bsick\b|\bhospitali[sz]ed\b/],
  ['accident', /\btai nan\b|\baccident\b/],
];

/** The cause, among those the policy covers, from the words used (`va chạm`, `ngập`, `stolen`…). */
export function findCause(text: string, covered: readonly Cause[]): Cause | undefined {
  const f = fold(ownText(text));
  for (const [cause, re] of CAUSE_WORDS) if (covered.includes(cause) && re.test(f)) return cause;
  return undefined;
}

/**
 * An amount as written: `15.000.000 đ`, `15,000,000 VND`, `15 triệu`, `2,5 triệu`, `12tr5`,
 * `15 million`, `15.000.000,00 đồng`. Whole đồng (VND has no minor unit): a trailing `,00` or `.00`
 * is read as decimals and dropped; decimals that are not zero, a negative amount, or anything else
 * that cannot be one sum of money read as no amount, so the reply asks for it instead of filing a
 * wrong one. Where the line holds several numbers (`3 xe, tổng 45 triệu`), the first with a unit
 * wins; a separator followed by a space ends a number (`số 123, 5.000.000đ` is two).
 */
const CURRENCY_WORDS: ReadonlySet<string> = new Set(['dong', 'd', 'vnd']);

export function parseAmount(s: string): number | undefined {
  const f = fold(s);
  const matches = [
    ...f.matchAll(
      /(-\s*)?(\d(?:[\d\s]|[.,](?=\d))*\d|\d)\s*(tr(?=\d)|trieu|tr\b|million|m\b|ty|billion|nghin|ngan|k\b|thousand|dong|d\b|vnd)?(\d{1,3}\b)?/g,
    ),
  ];
  const m = matches.find((x) => x[3]) ?? matches[0];
  if (!m?.[2] || m[1]) return undefined;
  const unit = m[3];
  const raw = m[2].replace(/\s/g, '');
  let value: number;
  if (unit && !CURRENCY_WORDS.has(unit)) {
    // With a unit, a single comma or dot is a decimal separator (2,5 triệu); `12tr5` is 12,5 triệu.
    const dec = raw.replace(/[.,](?=\d{3}(?:[.,]|$))/g, '').replace(',', '.');
    value = Number(unit === 'tr' && m[4] ? `${dec}.${m[4]}` : dec);
    const mult = /trieu|tr|million|m/.test(unit) ? 1e6 : /ty|billion/.test(unit) ? 1e9 : 1e3;
    value *= mult;
  } else {
    // A last group of one or two digits is decimals: whole đồng only, so they must be zero.
    const decimals = /[.,](\d{1,2})$/.exec(raw);
    if (decimals?.[1] && !/^0+$/.test(decimals[1])) return undefined;
    value = Number((decimals ? raw.slice(0, decimals.index) : raw).replace(/[.,]/g, ''));
  }
  return Number.isFinite(value) && value > 0 && value <= 1e15 ? Math.round(value) : undefined;
}

export interface BankAccountFound {
  bankName?: string;
  accountNumber?: string;
  accountHolder?: string;
}

/** The payout account the sender gives: number, bank and holder (each may be missing). */
export function findBankAccount(body: string): BankAccountFound {
  const text = ownText(body);
  const numberLine = labelled(text, ['so tai khoan', 'stk', 'tai khoan so', 'account (?:number|no\\.?)']);
  const digits = numberLine?.replace(/[\s.-]/g, '').match(/^\d{6,20}/)?.[0];
  const bank = labelled(text, ['ngan hang', 'tai ngan hang', 'bank(?: name)?']);
  const holder = labelled(text, [
    'chu tai khoan',
    'ten tai khoan',
    'nguoi thu huong',
    'account holder',
    'account name',
  ]);
  return {
    ...(digits ? { accountNumber: digits } : {}),
    ...(bank && bank.length >= 2 ? { bankName: bank.slice(0, 120) } : {}),
    ...(holder && holder.length >= 2 ? { accountHolder: holder.slice(0, 120) } : {}),
  };
}

export interface EmailClaimFields {
  policyNumber?: string;
  claimNumber?: string;
  lossAt?: string;
  lossPlace?: LossPlace;
  description: string;
  estimatedAmount?: number;
  vehiclePlate?: string;
  policeAttended: boolean;
  hospital?: string;
  diagnosis?: string;
  patientName?: string;
  bankAccount: BankAccountFound;
  locale: 'vi' | 'en';
}

/** Vietnamese when the text has Vietnamese letters or common unaccented Vietnamese words. */
export function detectLocale(text: string): 'vi' | 'en' {
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(text)) return 'vi';
  const f = ` ${fold(text)} `;
  const vi = (f.match(/ (toi|cua|ngay|xe|bi|hop dong|bao hiem|va|khong|duoc|tai|xin|chao) /g) ?? []).length;
  const en = (f.match(/ (the|my|was|on|and|policy|please|of|to|is|dear) /g) ?? []).length;
  return vi > en ? 'vi' : 'en';
}

/** Everything the parser can read from one message's subject and plain-text body. */
export function parseClaimEmail(subjectIn: string, bodyIn: string): EmailClaimFields {
  // Composed form: fold() keeps positions only for precomposed letters.
  const subject = subjectIn.normalize('NFC');
  const own = ownText(bodyIn.normalize('NFC'));
  const amountLine = labelled(own, [
    'uoc tinh(?: thiet hai)?',
    'thiet hai uoc tinh',
    'so tien(?: yeu cau)?(?: boi thuong)?',
    'estimated(?: loss| amount| damage| cost)?',
    'estimate',
    'amount claimed',
  ]);
  const description =
    labelled(own, ['mo ta(?: su viec| su co)?', 'dien bien(?: su viec)?', 'description', 'what happened']) ??
    own;
  const plate = labelled(own, ['bien so(?: xe)?', 'bks', '(?:vehicle |number |licen[cs]e )?plate']);
  const hospital = labelled(own, ['benh vien', 'co so y te', 'hospital', 'clinic']);
  const diagnosis = labelled(own, ['chan doan', 'diagnosis']);
  const patient = labelled(own, ['benh nhan', 'nguoi benh', 'nguoi duoc bao hiem', 'patient']);
  const f = fold(own);
  return {
    policyNumber: findPolicyNumber(subject, own),
    claimNumber: findClaimNumber(subject),
    lossAt: findLossAt(own),
    lossPlace: findLossPlace(own),
    description: description.slice(0, 4000),
    estimatedAmount: amountLine ? parseAmount(amountLine) : undefined,
    ...(plate ? { vehiclePlate: plate.replace(/\s+/g, '').toUpperCase() } : {}),
    policeAttended:
      /\bcong an\b|\bcanh sat\b|\bcsgt\b|\bpolice\b/.test(f) && !/khong co cong an|no police/.test(f),
    ...(hospital ? { hospital: hospital.slice(0, 200) } : {}),
    ...(diagnosis ? { diagnosis: diagnosis.slice(0, 500) } : {}),
    ...(patient ? { patientName: patient.slice(0, 120) } : {}),
    bankAccount: findBankAccount(own),
    locale: detectLocale(`${subject}\n${own}`),
  };
}

// --- Trust -------------------------------------------------------------------------------------

export const VERDICT_NAMES = ['spf', 'dkim', 'dmarc', 'spam', 'virus'] as const;
export type VerdictName = (typeof VERDICT_NAMES)[number];
/**
 * Why a message was held for a person other than for something missing (EMAIL_MISSING): it could
 * not be read as mail, its processing failed or stopped part-way, it repeats a header it may carry once, it is in a charset nothing here
 * decodes, or its sender is not proven (with each verdict that failed). The console shows each in words (`console.intake.reason.*`).
 */
export const HELD_REASONS = [
  'MALFORMED_MIME',
  'PROCESSING_FAILED',
  'PROCESSING_STUCK',
  'REPEATED_HEADER',
  'TOO_MANY_ATTACHMENTS',
  'UNSUPPORTED_CHARSET',
  'UNTRUSTED_SENDER',
  ...VERDICT_NAMES.map((v) => `VERDICT_${v.toUpperCase() as Uppercase<VerdictName>}` as const),
] as const;
export type HeldReason = (typeof HELD_REASONS)[number];
export const verdictReason = (v: VerdictName): HeldReason =>
  `VERDICT_${v.toUpperCase() as Uppercase<VerdictName>}`;

/** SES's values (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`), plus `MISSING` when SES said nothing. */
export type Verdicts = Record<VerdictName, string>;

const first = (headers: readonly HeaderLine[], name: string) =>
  headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value.trim();

/**
 * An `Authentication-Results` header (RFC 8601), read strictly: comments and quoted strings are
 * removed, the clauses are split on `;`, the first is the issuer (authserv-id), and a result counts
 * only where its clause begins with `method=result`. SES writes the sender's own envelope-from and
 * HELO before the DKIM and DMARC results, and a sender chooses those: `envelope-from=dkim=pass.dmarc=pass@…`
 * must read as nothing. Where a method appears twice the last clause counts, for the same reason.
 */
export function readAuthenticationResults(value: string): {
  issuer: string;
  results: Map<string, { result: string; props: Map<string, string> }>;
} {
  let text = value.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  // Comments nest: remove the innermost until none is left.
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  }
  const [issuer = '', ...clauses] = text.split(';');
  const results = new Map<string, { result: string; props: Map<string, string> }>();
  for (const clause of clauses) {
    const m = /^\s*([a-z][a-z0-9-]*)\s*=\s*([a-z]+)(?=\s|$)(.*)$/is.exec(clause);
    if (!m?.[1] || !m[2]) continue;
    const props = new Map<string, string>();
    for (const p of (m[3] ?? '').matchAll(/([a-z][a-z0-9-]*\.[a-z0-9-]+)\s*=\s*(\S+)/gi))
      if (p[1] && p[2]) props.set(p[1].toLowerCase(), p[2]);
    results.set(m[1].toLowerCase(), { result: m[2].toUpperCase(), props });
  }
  return { issuer: issuer.trim().toLowerCase(), results };
}

/**
 * The SES verdicts of a received message, from the headers SES adds on top of what it stores
 * (`X-SES-Spam-Verdict`, `X-SES-Virus-Verdict`, `Authentication-Results: amazonses.com; spf=…;
 * dkim=…; dmarc=…`). Only the topmost of each counts: anything lower was written by the sender and
 * proves nothing. An `Authentication-Results` not issued by SES counts as no verdict. A DMARC pass
 * counts for the From the intake reads (`from`) only: when SES says it judged another domain
 * (`header.from`), for instance a second From header or a second address in one, the verdict is
 * `FROM_MISMATCH`.
 */
export function verdictsFromHeaders(headers: readonly HeaderLine[], from?: string): Verdicts {
  const ar = readAuthenticationResults(first(headers, 'Authentication-Results') ?? '');
  const bySes = ar.issuer === 'amazonses.com';
  const method = (name: string) => (bySes ? (ar.results.get(name)?.result ?? 'MISSING') : 'MISSING');
  const ses = (name: string) => (first(headers, name) ?? 'MISSING').toUpperCase();
  const fromDomain = from?.split('@').at(-1)?.toLowerCase();
  const judged = ar.results.get('dmarc')?.props.get('header.from')?.toLowerCase();
  const dmarc = method('dmarc');
  return {
    spf: method('spf'),
    dkim: method('dkim'),
    dmarc: dmarc === 'PASS' && fromDomain !== undefined && judged !== fromDomain ? 'FROM_MISMATCH' : dmarc,
    spam: ses('X-SES-Spam-Verdict'),
    virus: ses('X-SES-Virus-Verdict'),
  };
}

/**
 * Whether the sender is who the From says: no spam or virus verdict against it, and DMARC passed
 * (so SPF or DKIM passed for the From domain itself, not merely for some envelope domain). The
 * names of the verdicts that did not pass, empty when trusted.
 */
export function untrustedVerdicts(v: Verdicts): VerdictName[] {
  const out: VerdictName[] = [];
  if (v.spam !== 'PASS') out.push('spam');
  if (v.virus !== 'PASS') out.push('virus');
  if (v.dmarc !== 'PASS') out.push('dmarc');
  if (v.dkim !== 'PASS' && v.spf !== 'PASS') out.push(v.dkim !== 'PASS' ? 'dkim' : 'spf');
  return out;
}

/** The headers RFC 5322 §3.6 allows at most once, lower case. */
export const SINGLE_HEADERS = ['from', 'sender', 'reply-to', 'to', 'subject', 'date', 'message-id'] as const;

/**
 * Headers a message carries more than once of those it may carry once (`SINGLE_HEADERS`). The
 * intake reads the topmost of each (postal-mime), while DKIM signs the bottom-most: a signed
 * message with a new Message-ID, From or Subject put on top still passes DKIM and DMARC, and would
 * be read as a new message saying something its sender never signed. Such a message is held for a
 * person (`REPEATED_HEADER`), never filed or answered.
 */
export function repeatedHeaders(headers: readonly HeaderLine[]): string[] {
  const seen = new Map<string, number>();
  for (const h of headers) {
    const name = h.name.toLowerCase();
    if ((SINGLE_HEADERS as readonly string[]).includes(name)) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([name]) => name);
}

/** Most `Received` hops a message may have made before we call it a loop (RFC 5321 suggests 100; mail rarely needs 20). */
export const MAX_RECEIVED_HOPS = 25;

/** Why a message was ignored as a machine's (outcome IGNORED); the console shows each in words. */
export const AUTOMATED_REASONS = ['AUTO_SUBMITTED', 'BULK', 'BOUNCE', 'MAIL_LOOP'] as const;
export type AutomatedReason = (typeof AUTOMATED_REASONS)[number];

/**
 * Why a message must get no answer and file nothing: an auto-reply or bulk mail (`Auto-Submitted`,
 * `Precedence`, the common vendor headers), a bounce, or our own mail coming back (a loop).
 * Undefined for mail a person wrote.
 */
export function automatedReason(
  headers: readonly HeaderLine[],
  from: string | undefined,
  ownAddresses: readonly string[],
): AutomatedReason | undefined {
  const own = ownAddresses.map((a) => a.toLowerCase());
  const sender = (from ?? '').toLowerCase();
  if (own.includes(sender)) return 'MAIL_LOOP';
  const loop = headers.filter((h) => h.name.toLowerCase() === 'x-loop').map((h) => h.value.toLowerCase());
  if (loop.some((v) => own.some((a) => v.includes(a)))) return 'MAIL_LOOP';
  if (headers.filter((h) => h.name.toLowerCase() === 'received').length > MAX_RECEIVED_HOPS)
    return 'MAIL_LOOP';
  const auto = first(headers, 'Auto-Submitted')?.toLowerCase();
  if (auto && auto !== 'no') return 'AUTO_SUBMITTED';
  if (first(headers, 'X-Autoreply') || first(headers, 'X-Autorespond')) return 'AUTO_SUBMITTED';
  const precedence = first(headers, 'Precedence')?.toLowerCase();
  if (precedence && /bulk|junk|list|auto_reply/.test(precedence)) return 'BULK';
  if (first(headers, 'List-Id') || first(headers, 'List-Unsubscribe')) return 'BULK';
  const returnPath = first(headers, 'Return-Path');
  if (returnPath === '<>' || /^(mailer-daemon|postmaster)@/.test(sender)) return 'BOUNCE';
  return undefined;
}

/**
 * Whether the sender asked for no automatic answer (`X-Auto-Response-Suppress: All` or
 * `AutoReply`, as Outlook and Exchange write on ordinary mail too). The message is still read and
 * filed, only not answered: the header asks recipients not to reply automatically, it does not say
 * a machine wrote the message.
 */
export const repliesSuppressed = (headers: readonly HeaderLine[]): boolean =>
  /\b(?:all|autoreply)\b/i.test(first(headers, 'X-Auto-Response-Suppress') ?? '');

/** Replies one sender may get per hour: enough for a conversation, too few for a storm. */
export const REPLIES_PER_SENDER_PER_HOUR = 5;

// --- What is missing ---------------------------------------------------------------------------

export const EMAIL_MISSING = [
  'known_sender',
  'policy_number',
  'policy_match',
  'loss_date',
  'loss_place',
  'cause',
  'payout_account',
  'claim_details',
  'claim_match',
] as const;
export type EmailMissing = (typeof EMAIL_MISSING)[number];

/** Document type an attachment most likely is, by its file name (folded) and kind; `other` if unsure. */
export function guessDocumentType(
  fileName: string,
  contentType: string,
  checklist: readonly DocumentType[],
): DocumentType {
  const f = fold(fileName).replace(/[_.-]+/g, ' ');
  const rules: readonly (readonly [RegExp, readonly DocumentType[]])[] = [
    [/hoa don|invoice|receipt|bien lai/, ['repair_invoice', 'hospital_invoice']],
    [/dang ky|cavet|registration/, ['vehicle_registration']],
    [/bang lai|gplx|licen[cs]e/, ['driving_licence']],
    [/bien ban|cong an|police/, ['police_report', 'fire_brigade_report']],
    [/giay yeu cau|don yeu cau|claim (?:letter|form)/, ['claim_letter']],
    [/ra vien|discharge/, ['discharge_paper']],
    [/benh an|medical|xet nghiem/, ['medical_report']],
    [/don thuoc|prescription/, ['prescription']],
    [/ho chieu|passport/, ['passport']],
    [/chung nhan|certificate/, ['insurance_certificate']],
  ];
  for (const [re, types] of rules) {
    if (!re.test(f)) continue;
    const hit = types.find((t) => checklist.includes(t));
    if (hit) return hit;
  }
  if (contentType.startsWith('image/') && checklist.includes('damage_photos')) return 'damage_photos';
  return 'other';
}

/** File names that are never documents, whatever type they claim (executables, scripts, macro documents). */
export const DANGEROUS_EXTENSIONS =
  /\.(exe|com|bat|cmd|scr|pif|msi|dll|js|jse|vbs|vbe|wsf|wsh|ps1|sh|jar|hta|lnk|iso|img|docm|xlsm|pptm|html?|svg)$/i;

// --- The record of a received message --------------------------------------------------------

/** What became of a received message. */
export const EMAIL_OUTCOMES = [
  /** Still being processed (or a processing attempt failed and will be retried). */
  'RECEIVED',
  'CLAIM_CREATED',
  'ADDED_TO_CLAIM',
  /** Kept for staff: something is missing or the sender is not trusted. */
  'INTAKE',
  /** An auto-reply, bulk mail, bounce or loop: stored, never answered. */
  'IGNORED',
] as const;
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

export interface EmailAttachmentOutcome {
  fileName: string;
  contentType: string;
  size: number;
  /** `SUBMITTED` = handed to the upload verification (the claim's document shows its verdict). */
  outcome: 'SUBMITTED' | 'REFUSED' | 'KEPT_IN_MESSAGE';
  reason?: string;
  documentId?: string;
  docType?: DocumentType;
}

/**
 * One received message, keyed by its Message-ID (or, without one, by its content identity): written
 * once, conditionally, before anything else happens, so the same message delivered twice is
 * processed once; the same signed content under another Message-ID (a replay) is not processed
 * again either (`claimEmailContent`). Holds the reference to the raw message in S3 (`inbound/`,
 * kept as long as claim files are: docs/operations-runbook.md, *Retention*); of what the message
 * says it keeps only what `keptOfMessage` allows.
 */
export interface InboundEmailRecord {
  intakeId: string;
  messageId: string;
  rawKey: string;
  receivedAt: string;
  from?: string;
  subject: string;
  outcome: EmailOutcome;
  /** Why the message is an intake record or ignored (missing fields, untrusted verdicts, automation). */
  reasons: string[];
  verdicts?: Verdicts;
  /** Only while kept for staff (INTAKE): what was read from it, the account number as its mask. */
  parsed?: KeptEmailFields;
  /** Only while kept for staff (INTAKE): the plain-text body (bounded), account numbers masked. */
  text?: string;
  customerId?: string;
  policyNumber?: string;
  claimId?: string;
  claimNumber?: string;
  attachments: EmailAttachmentOutcome[];
  replied?: { at: string; kind: string } | { suppressed: string };
  /** Attempts at processing it (absent: the first); past `MAX_EMAIL_ATTEMPTS` it is held for a person. */
  attempts?: number;
  /** When the latest attempt took it over (an attempt older than the takeover time was abandoned). */
  attemptAt?: string;
  /** Staff: who linked a customer and policy, and who made it a claim. */
  linkedBy?: { id: string; at: string };
  claimedBy?: { id: string; at: string };
  version: number;
}

/** What an intake record keeps of the fields read (`keptOfMessage`): the account number only as its mask. */
export type KeptEmailFields = Omit<EmailClaimFields, 'bankAccount'> & {
  bankAccount: Omit<BankAccountFound, 'accountNumber'> & { accountMask?: string; accountNumber?: never };
};

/** A record as the intake use cases build it, before `keptOfMessage` decides what of the message it keeps. */
export type EmailRecordDraft = Omit<InboundEmailRecord, 'parsed'> & {
  parsed?: EmailClaimFields | KeptEmailFields;
};

/**
 * Days a message ignored as a machine's stays listed for staff (a bounce from a customer's mailbox
 * tells them the address no longer works) before its record expires: long enough to notice, and
 * no longer, since most of it is spam and mail from people who are not customers.
 */
export const IGNORED_KEPT_DAYS = 90;

/** When a record expires (epoch seconds, the table's TTL), or undefined while it is kept: ignored mail only. */
export const recordExpiresAt = (r: Pick<InboundEmailRecord, 'outcome' | 'receivedAt'>): number | undefined =>
  r.outcome === 'IGNORED'
    ? Math.floor(Date.parse(r.receivedAt) / 1000) + IGNORED_KEPT_DAYS * 86_400
    : undefined;

/** `text` with each writing of the account number `digits` (spaces, dots or dashes between them) as its mask. */
const maskNumberIn = (text: string, digits: string) =>
  text.replace(new RegExp(`(?<!\\d)${[...digits].join('[\\s.-]*')}`, 'g'), maskAccountNumber(digits));

/**
 * What a record keeps of what its message says. A message kept for staff (INTAKE, no claim made of
 * it yet) keeps its text and the fields read from it, which staff read to recognise the sender and
 * complete the claim, with the payout account's number masked in both (`•••• 6789`: enough to
 * recognise it; making the claim reads the number again from the raw message). Any other outcome
 * keeps neither: a claim holds what it was filed with (the number encrypted per field), the thread
 * holds what was posted, the rest (bank account numbers, diagnoses, patients' names) stays only in
 * the raw message under `inbound/`, access-controlled, which is the evidence. Masks only a number
 * the parser finds (a labelled one, `findBankAccount`).
 */
export function keptOfMessage(r: EmailRecordDraft): InboundEmailRecord {
  const { text, parsed, ...rest } = r;
  if (r.outcome !== 'INTAKE' || r.claimId) return rest;
  const numbers = [parsed?.bankAccount.accountNumber, text ? findBankAccount(text).accountNumber : undefined];
  const mask = (s: string) => {
    let out = s;
    for (const n of numbers) if (n) out = maskNumberIn(out, n);
    return out;
  };
  const kept = { ...rest, ...(text !== undefined ? { text: mask(text) } : {}) };
  if (!parsed) return kept;
  const { accountNumber, ...bank } = parsed.bankAccount;
  return {
    ...kept,
    parsed: {
      ...parsed,
      // Without a label for it the description is the whole text.
      description: mask(parsed.description),
      bankAccount: { ...bank, ...(accountNumber ? { accountMask: maskAccountNumber(accountNumber) } : {}) },
    },
  };
}

// --- Replies -----------------------------------------------------------------------------------

export type ReplyMissing = EmailMissing | 'estimated_amount';

/**
 * What a claim filed from an e-mail was filed with, read back to the sender: the intake reads free
 * text, and the customer is the one who can tell that a date, place or account was misread.
 */
export interface ReadFromEmail {
  lossAt: string;
  lossPlace: { address: string; province: string };
  cause: Cause;
  /** Left out when the message gave none (the claim is filed at 0 and the reply asks for it). */
  estimatedAmount?: Money;
  payoutAccount: { bankName: string; accountMask: string };
}

/** The part of a filed claim's report the reply reads back (`ReadFromEmail`). */
export function readBack(
  report: Pick<MaskedReport, 'lossAt' | 'lossPlace' | 'cause' | 'estimatedAmount' | 'payoutAccount'>,
): ReadFromEmail {
  return {
    lossAt: report.lossAt,
    lossPlace: report.lossPlace,
    cause: report.cause,
    ...(report.estimatedAmount.amount > 0 ? { estimatedAmount: report.estimatedAmount } : {}),
    payoutAccount: { bankName: report.payoutAccount.bankName, accountMask: report.payoutAccount.accountMask },
  };
}

export type EmailReply =
  | {
      kind: 'claim_received';
      claimNumber: string;
      policyNumber: string;
      read: ReadFromEmail;
      missingDocuments: DocumentType[];
      missingDetails: ReplyMissing[];
      attachments: EmailAttachmentOutcome[];
      url: string;
      /** The customer app's address (WEB_BASE_URL): the reply links the privacy notice beside it. */
      appBase: string;
    }
  | {
      kind: 'documents_received';
      claimNumber: string;
      infoAnswered: boolean;
      /** The message's text went to the claim's thread (app/email-intake.ts postToThread). */
      messagePosted: boolean;
      missingDocuments: DocumentType[];
      attachments: EmailAttachmentOutcome[];
      url: string;
    }
  | { kind: 'intake_incomplete'; subject: string; missing: ReplyMissing[]; appBase: string };

/** The text of an automatic reply, in the sender's language: exactly what happened and what is missing. */
export function composeEmailReply(r: EmailReply, locale: Locale): { subject: string; text: string } {
  const R = (k: CodeOf<typeof EMAIL_REPLY_TEXT>, p?: Record<string, unknown>) =>
    t(EMAIL_REPLY_TEXT, k, locale, p);
  const list = (items: string[]) => items.map((i) => `- ${i}`).join('\n');
  const attachmentLines = (as: EmailAttachmentOutcome[]) =>
    as.length === 0
      ? []
      : [
          R('attachments'),
          list(
            as.map((a) =>
              a.outcome === 'SUBMITTED'
                ? R('attachment_checking', {
                    fileName: a.fileName,
                    document: t(DOCUMENT_TEXT, a.docType ?? 'other', locale),
                  })
                : R('attachment_refused', {
                    fileName: a.fileName,
                    reason: a.reason ? t(ERROR_TEXT, a.reason, locale) : '',
                  }),
            ),
          ),
          '',
        ];
  // A document this message brings is being checked, not missing: the attachment lines say so.
  const missingLines = (docs: DocumentType[], details: ReplyMissing[], brought: EmailAttachmentOutcome[]) => {
    const checking = new Set(brought.filter((a) => a.outcome === 'SUBMITTED').map((a) => a.docType));
    const missing = docs.filter((d) => !checking.has(d));
    const items = [
      ...details.map((d) => t(EMAIL_MISSING_TEXT, d, locale)),
      ...missing.map((d) => t(DOCUMENT_TEXT, d, locale)),
    ];
    if (items.length > 0) return [R('still_missing'), list(items), ''];
    // Complete only once what it brings has passed the checks (a later notice says so).
    return missing.length < docs.length ? [] : [R('nothing_missing'), ''];
  };
  const readLines = (read: ReadFromEmail) => {
    const { address, province } = read.lossPlace;
    const place = fold(address).includes(fold(province)) ? address : `${address}, ${province}`;
    return [
      R('read_intro'),
      list([
        R('read_loss_at', { value: formatDateTime(read.lossAt, locale) }),
        R('read_place', { value: place }),
        R('read_cause', { value: t(CAUSE_TEXT, read.cause, locale) }),
        ...(read.estimatedAmount
          ? [R('read_amount', { value: formatAmount(read.estimatedAmount, locale) })]
          : []),
        R('read_account', { value: `${read.payoutAccount.bankName} ${read.payoutAccount.accountMask}` }),
      ]),
      R('read_outro'),
      '',
    ];
  };
  switch (r.kind) {
    case 'claim_received':
      return {
        subject: R('claim_subject', { claimNumber: r.claimNumber }),
        text: [
          R('claim_intro', { claimNumber: r.claimNumber, policyNumber: r.policyNumber }),
          '',
          ...readLines(r.read),
          ...missingLines(r.missingDocuments, r.missingDetails, r.attachments),
          ...attachmentLines(r.attachments),
          R('track', { url: r.url }),
          '',
          // The first answer to a claim written by e-mail gives the privacy notice (Decree 13 Art. 13).
          R('privacy', { url: privacyNoticeUrl(r.appBase, locale) }),
          '',
          R('sign_off'),
        ].join('\n'),
      };
    case 'documents_received':
      return {
        subject: R('documents_subject', { claimNumber: r.claimNumber }),
        text: [
          R('documents_intro', { claimNumber: r.claimNumber }),
          ...(r.infoAnswered ? [R('info_answered')] : []),
          ...(r.messagePosted ? [R('message_posted')] : []),
          '',
          ...attachmentLines(r.attachments),
          ...missingLines(r.missingDocuments, [], r.attachments),
          R('track', { url: r.url }),
          '',
          R('sign_off'),
        ].join('\n'),
      };
    case 'intake_incomplete':
      return {
        subject: R('intake_subject'),
        text: [
          R('intake_intro', { subject: r.subject.slice(0, 120) }),
          list(r.missing.map((m) => t(EMAIL_MISSING_TEXT, m, locale))),
          '',
          R('intake_outro'),
          '',
          R('privacy', { url: privacyNoticeUrl(r.appBase, locale) }),
          '',
          R('sign_off'),
        ].join('\n'),
      };
  }
}

// --- From an email to a claim report -------------------------------------------------------------

export interface ReportContext {
  fields: EmailClaimFields;
  /** The whole own text (for the cause words). */
  text: string;
  sender: string;
  /** The policyholder's registered phone (the report's contact needs one). */
  phone?: string;
  policy?: Pick<Policy, 'policyNumber' | 'holderName' | 'covers' | 'insuredObject' | 'customerId'>;
  line?: ProductLine;
  /** Staff filling in what the message lacked (console), field by field. */
  overrides?: Partial<Pick<EmailClaimFields, 'lossAt' | 'lossPlace' | 'description'>> & {
    cause?: Cause;
    payoutAccount?: { bankName: string; accountNumber: string; accountHolder: string };
  };
}

/**
 * The first-notice-of-loss report an email amounts to, or exactly what it lacks. The same
 * SubmitClaimRequest contract as the web form: a report that does not pass it is not a claim.
 */
export function emailReport(
  ctx: ReportContext,
):
  | { ok: true; report: SubmitClaimRequest; missingDetails: ReplyMissing[] }
  | { ok: false; missing: EmailMissing[] } {
  const { policy, line } = ctx;
  const fields = ctx.overrides?.description
    ? { ...ctx.fields, description: ctx.overrides.description }
    : ctx.fields;
  const missing: EmailMissing[] = [];
  const lossAt = ctx.overrides?.lossAt ?? fields.lossAt;
  const lossPlace = ctx.overrides?.lossPlace ?? fields.lossPlace;
  if (!lossAt) missing.push('loss_date');
  if (!lossPlace) missing.push('loss_place');
  const covered = policy ? [...new Set(policy.covers.flatMap((c) => c.causes))] : [];
  const cause = ctx.overrides?.cause ?? (policy ? findCause(ctx.text, covered) : undefined);
  if (policy && !cause) missing.push('cause');
  const account: BankAccountFound = ctx.overrides?.payoutAccount ?? fields.bankAccount;
  if (!account.accountNumber || !account.bankName) missing.push('payout_account');
  const amount = fields.estimatedAmount ?? 0;
  let facts: SubmitClaimRequest['facts'] | undefined;
  if (line === 'motor') {
    const plate = fields.vehiclePlate ?? policy?.insuredObject.vehiclePlate;
    if (plate) facts = { kind: 'motor', vehiclePlate: plate, policeAttended: fields.policeAttended };
  } else if (line === 'property') {
    facts = {
      kind: 'property',
      policeAttended: fields.policeAttended,
      items: [{ description: fields.description.slice(0, 200) || 'Thiệt hại', estimatedAmount: amount }],
    };
  } else if (line === 'health' && fields.hospital && fields.diagnosis) {
    facts = {
      kind: 'health',
      patientName: fields.patientName ?? policy?.holderName ?? '',
      hospital: fields.hospital,
      diagnosis: fields.diagnosis,
    };
  }
  // Travel claims need trip dates and a country the parser does not read: staff complete them.
  if (policy && line && !facts) missing.push('claim_details');
  if (missing.length > 0 || !policy || !cause || !lossAt || !lossPlace || !facts)
    return { ok: false, missing };
  const parsed = SubmitClaimRequest.safeParse({
    policyNumber: policy.policyNumber,
    lossAt,
    lossPlace,
    cause,
    description:
      fields.description.length >= 10 ? fields.description : `${fields.description} (email)`.trim(),
    facts,
    estimatedAmount: { amount, currency: 'VND' },
    contact: { email: ctx.sender, phone: ctx.phone ?? '' },
    payoutAccount: {
      bankName: account.bankName,
      accountNumber: account.accountNumber,
      accountHolder: account.accountHolder ?? policy.holderName,
    },
    locale: fields.locale,
  });
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => String(i.path[0]));
    const why: EmailMissing[] = [];
    if (paths.includes('payoutAccount')) why.push('payout_account');
    if (paths.includes('lossPlace')) why.push('loss_place');
    if (paths.includes('lossAt')) why.push('loss_date');
    if (why.length === 0) why.push('claim_details');
    return { ok: false, missing: why };
  }
  return {
    ok: true,
    report: parsed.data,
    missingDetails: fields.estimatedAmount ? [] : ['estimated_amount'],
  };
}

// --- Staff: intake records ---------------------------------------------------------------------

/**
 * GET /intake-records: the records kept for a person (default), or the messages ignored as a
 * machine's (`outcome=IGNORED`: auto-replies, bulk mail, bounces, loops), so staff can see a bounce
 * from a customer's mailbox.
 */
export const IntakeListQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ outcome: z._default(z.enum(['INTAKE', 'IGNORED']), 'INTAKE') }),
);

const IntakeVersion = /* @__PURE__ */ defineSchema(() => z.int().check(z.gte(1)));

/** Link an intake record to the customer and policy staff recognised. */
export const IntakeLinkBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: IntakeVersion,
    customerId: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    policyNumber: z.string().check(z.trim(), z.minLength(3), z.maxLength(40)),
  }),
);

/** Make a claim of a linked intake record, filling in what the message lacked. */
export const IntakeClaimBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    expectedVersion: IntakeVersion,
    lossAt: z.optional(SubmitClaimRequest.shape.lossAt),
    lossPlace: z.optional(SubmitClaimRequest.shape.lossPlace),
    cause: z.optional(SubmitClaimRequest.shape.cause),
    payoutAccount: z.optional(BankAccount),
    description: z.optional(z.string().check(z.trim(), z.minLength(10), z.maxLength(4000))),
  }),
);
export type IntakeClaimBody = z.infer<typeof IntakeClaimBody>;

export const INTAKE_ID = /^[0-9a-f]{26}$/;

/**
 * A record stuck in RECEIVED this long was abandoned by a failed attempt: a retry takes it over, and
 * staff see it (`processingStuck`). Longer than the function may run (ReceiveEmail's timeout,
 * lambdas/task-functions.ts), so a slow attempt still running is never joined by a second one.
 */
export const TAKEOVER_AFTER_MS = 150_000;

/**
 * Whether a received message's processing stopped part-way and nothing is running it now: still
 * RECEIVED, its latest attempt older than the takeover time. Lambda's last retry or a redrive may
 * still finish it, but until then only a person can: it is on the staff queue (`PROCESSING_STUCK`),
 * where something it filed before stopping may already show on the customer's claims.
 */
export const processingStuck = (r: InboundEmailRecord, now: Date): boolean =>
  r.outcome === 'RECEIVED' && now.getTime() - Date.parse(r.attemptAt ?? r.receivedAt) > TAKEOVER_AFTER_MS;

/**
 * A person acting on a stuck record (linking it, making the claim) takes it from the machine: it
 * becomes a record kept for staff (INTAKE, `PROCESSING_STUCK`), so a later Lambda retry finds it
 * handled and leaves it (no second reply, nothing filed or overwritten behind the person's back).
 */
export const takenByStaff = (r: InboundEmailRecord): Partial<InboundEmailRecord> =>
  r.outcome === 'RECEIVED'
    ? { outcome: 'INTAKE', reasons: ['PROCESSING_STUCK' satisfies HeldReason, ...r.reasons] }
    : {};

/** What the staff queue shows of a record (the text and verdicts are on the record itself). */
export function intakeSummary(r: InboundEmailRecord) {
  return {
    intakeId: r.intakeId,
    receivedAt: r.receivedAt,
    from: r.from,
    subject: r.subject,
    outcome: r.outcome,
    // Still RECEIVED on the staff queue: processing stopped part-way (listIntakeRecords shows it once stuck).
    reasons: r.outcome === 'RECEIVED' ? ['PROCESSING_STUCK' satisfies HeldReason, ...r.reasons] : r.reasons,
    customerId: r.customerId,
    policyNumber: r.policyNumber,
    claimId: r.claimId,
    claimNumber: r.claimNumber,
    attachments: r.attachments.length,
    /** The start of the message (bounded): enough to recognise the sender and what they report. */
    text: r.text?.slice(0, 1500),
    version: r.version,
  };
}
