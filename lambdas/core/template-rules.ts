import Mustache from 'mustache';
import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { FieldIssue } from './errors.ts';
import { LOCALES, type Locale } from './messages.ts';
import { formatMoney } from './money.ts';
import { externalLinks, hrefVariables, remoteContent } from './template-links.ts';
import { defaultTemplate, type MessageTemplate, TEMPLATE_PARTS, type TemplateName } from './templates.ts';

export { externalLinks, linkOrigins, TEMPLATE_LINK_ALLOWLIST } from './template-links.ts';

/**
 * Rules a notification template must satisfy before an admin's version takes effect. The shipped
 * template is the reference: an edited one may use only the variables and sections the shipped one
 * uses (the code fills in nothing else), in the same parts (an SMS where the shipped one sends one).
 * Pure: the admin use case runs the shape, then these.
 */

/** Carriers split longer texts; 320 characters is two concatenated Unicode SMS at most. */
export const SMS_MAX_CHARS = 320;
export const SUBJECT_MAX_CHARS = 200;

/** Each part optional and each locale optional, so that {@link templateIssues} can name what is missing. */
const LocalizedShape = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ vi: z.optional(z.string()), en: z.optional(z.string()) }),
);
export const TemplateShape = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    subject: z.optional(LocalizedShape),
    text: z.optional(LocalizedShape),
    html: z.optional(LocalizedShape),
    sms: z.optional(LocalizedShape),
  }),
);
export type TemplateShape = z.infer<typeof TemplateShape>;

/** Mustache's token: `[type, value, start, end, children?, …]`. */
type Token = [string, string, number, number, Token[]?, ...unknown[]];

/** The names a template uses: `{{x}}`/`{{{x}}}` variables and `{{#x}}`/`{{^x}}` sections (with what they hold). */
export interface TemplateVocabulary {
  variables: Set<string>;
  sections: Map<string, Set<string>>;
}

/** Parses with a fresh writer, so one-off templates do not fill Mustache's shared cache. Throws on bad syntax. */
const parse = (source: string): Token[] => new Mustache.Writer().parse(source) as Token[];

function collect(tokens: readonly Token[], into: TemplateVocabulary, inside?: Set<string>): void {
  for (const [type, value, , , children] of tokens) {
    if (type === 'name' || type === '&') {
      into.variables.add(value);
      inside?.add(value);
    } else if (type === '#' || type === '^') {
      const held = into.sections.get(value) ?? new Set<string>();
      into.sections.set(value, held);
      collect(children ?? [], into, type === '#' ? held : inside);
    }
  }
}

/** Every variable and section the shipped template uses, across its parts and languages. */
export function templateVocabulary(t: MessageTemplate): TemplateVocabulary {
  const out: TemplateVocabulary = { variables: new Set(), sections: new Map() };
  for (const part of TEMPLATE_PARTS) {
    for (const locale of LOCALES) {
      const source = t[part]?.[locale];
      if (source) collect(parse(source), out);
    }
  }
  return out;
}

const vocabularies = new Map<TemplateName, TemplateVocabulary>();
/** The shipped template's vocabulary (parsed once: the shipped templates do not change at run time). */
function shippedVocabulary(name: TemplateName): TemplateVocabulary {
  let v = vocabularies.get(name);
  if (!v) {
    v = templateVocabulary(defaultTemplate(name));
    vocabularies.set(name, v);
  }
  return v;
}

/** What an admin may use in template `name`: variable names and section names, sorted. */
export function allowedNames(name: TemplateName): { variables: string[]; sections: string[] } {
  const v = shippedVocabulary(name);
  return { variables: [...v.variables].sort(), sections: [...v.sections.keys()].sort() };
}

const issue = (path: string, code: string, message: string): FieldIssue => ({ path, code, message });

/** Characters as people count them (code points, not UTF-16 units). */
const length = (s: string) => [...s].length;

/** An SMS as the customer receives it, roughly: the placeholders' values vary, the rest is fixed. */
const withoutPlaceholders = (s: string) => s.replace(/\{\{\{?[^}]*\}?\}\}/g, '');

/**
 * The variables of `source` that template `name` does not know (in order of first use), or the
 * syntax error. Variables may be used as sections (`{{#note}}…{{/note}}`); a shipped section name
 * that is not also a variable (a list, a flag) may only open sections.
 */
export function unknownVariables(name: TemplateName, source: string): { unknown: string[]; syntax?: string } {
  const allowed = shippedVocabulary(name);
  let tokens: Token[];
  try {
    tokens = parse(source);
  } catch (e) {
    return { unknown: [], syntax: e instanceof Error ? e.message : String(e) };
  }
  const unknown: string[] = [];
  const add = (n: string) => {
    if (!unknown.includes(n)) unknown.push(n);
  };
  let syntax: string | undefined;
  const walk = (ts: readonly Token[]) => {
    for (const [type, value, , , children] of ts) {
      if (type === 'name' || type === '&') {
        if (!allowed.variables.has(value)) add(value);
      } else if (type === '#' || type === '^') {
        if (!allowed.variables.has(value) && !allowed.sections.has(value)) add(value);
        walk(children ?? []);
      } else if (type === '>') {
        syntax ??= `Partials are not supported ({{>${value}}})`;
      } else if (type === '=') {
        // Other delimiters would hide variables from this check and the SMS length rule.
        syntax ??= 'Changing the delimiters is not supported';
      }
    }
  };
  walk(tokens);
  return syntax ? { unknown, syntax } : { unknown };
}

/** The variables `source` puts in unescaped (`{{{x}}}`, `{{& x}}`); none when it does not parse. */
function unescapedVariables(source: string): Set<string> {
  const out = new Set<string>();
  const walk = (ts: readonly Token[]) => {
    for (const [type, value, , , children] of ts) {
      if (type === '&') out.add(value);
      if (children) walk(children);
    }
  };
  try {
    walk(parse(source));
  } catch {
    // A syntax error is reported on its own.
  }
  return out;
}

/**
 * Semantic rules of an edited template (the shape is already valid):
 * - subject and text in both languages, and HTML and SMS in both languages where the shipped
 *   template has them; no part the shipped template lacks (nothing would send it);
 * - every text parses as Mustache, without partials or delimiter changes;
 * - only the variables and sections of the shipped template; in HTML, a variable unescaped only
 *   where the shipped HTML has it unescaped;
 * - a subject of at most 200 characters; an SMS of at most 320 characters besides its placeholders;
 * - links only to `allowedOrigins` (the web base URL and the allowlist) or, in HTML, the links the
 *   system builds where the shipped HTML has them; nothing that loads from elsewhere when the mail
 *   is opened (images, frames, styles: a tracking pixel tells a third party who read what). An
 *   edited template goes to every customer under the insurer's name: a link in it is a phishing
 *   link the moment it points anywhere else.
 */
export function templateIssues(
  name: TemplateName,
  t: TemplateShape,
  allowedOrigins: readonly string[] = [],
): FieldIssue[] {
  const shipped = defaultTemplate(name);
  const out: FieldIssue[] = [];
  for (const part of TEMPLATE_PARTS) {
    const value = t[part];
    if (!shipped[part]) {
      if (value) out.push(issue(part, 'unrecognized_keys', `${name} has no ${part}`));
      continue;
    }
    for (const locale of LOCALES) {
      const path = `${part}.${locale}`;
      const source = value?.[locale];
      if (!source?.trim()) {
        out.push(issue(path, 'required', `The ${part} in ${locale} is required`));
        continue;
      }
      const { unknown, syntax } = unknownVariables(name, source);
      if (syntax) {
        out.push(issue(path, 'template_syntax', syntax));
        continue;
      }
      for (const v of unknown) out.push(issue(path, 'unknown_variable', `Unknown variable: ${v}`));
      // In HTML only what the shipped HTML itself puts in unescaped (markup the system builds) may be
      // unescaped: a customer's words in {{{response}}} would be live links and images in a staff
      // member's mail.
      if (part === 'html') {
        const shippedRaw = unescapedVariables(shipped.html?.[locale] ?? '');
        for (const v of unescapedVariables(source))
          if (!shippedRaw.has(v))
            out.push(issue(path, 'unescaped_html', `{{{${v}}}} must be written {{${v}}} in HTML`));
      }
      const hrefTags = part === 'html' ? hrefVariables(shipped.html?.[locale]) : new Set<string>();
      const links = externalLinks(source, allowedOrigins, hrefTags);
      if (links.length > 0)
        out.push(issue(path, 'external_link', `Links only to the claims site, not: ${links.join(' ')}`));
      const remote = part === 'html' ? remoteContent(source) : [];
      if (remote.length > 0)
        out.push(
          issue(
            path,
            'remote_image',
            `Nothing may load from elsewhere when the mail is opened: ${remote.join(' ')}`,
          ),
        );
      if (part === 'subject' && length(source) > SUBJECT_MAX_CHARS) {
        out.push(issue(path, 'too_big', `A subject has at most ${SUBJECT_MAX_CHARS} characters`));
      }
      if (part === 'sms' && length(withoutPlaceholders(source)) > SMS_MAX_CHARS) {
        out.push(
          issue(path, 'sms_too_long', `An SMS has at most ${SMS_MAX_CHARS} characters besides its variables`),
        );
      }
    }
  }
  return out;
}

// ---- sample data for previews -------------------------------------------------------------------

// Written as core/format.ts writes them (not imported: it would bring the ICU runtime into the
// preview function's bundle).
const at = { vi: '14:30 ngày 25/11/2026', en: '14:30, 25 Nov 2026' };
const day = { vi: '25/11/2026', en: '25 Nov 2026' };
const money = (locale: Locale) => formatMoney({ amount: 12_500_000, currency: 'VND' }, locale);

/** Plausible values for the names the shipped templates use; anything else shows as `‹name›`. */
const SAMPLES: Readonly<
  Record<string, string | number | { vi: string; en: string } | ((l: Locale) => string)>
> = {
  claimNumber: 'BT-2026-000123',
  policyNumber: 'MOT-2026-0001',
  claimUrl: 'https://claims.example.vn/#/claims/sample',
  customerName: 'Nguyễn Văn An',
  customerPhone: '0912345678',
  productName: { vi: 'Bảo hiểm vật chất xe ô tô', en: 'Motor own damage' },
  amount: money,
  estimated: money,
  interest: (l) => formatMoney({ amount: 125_000, currency: 'VND' }, l),
  receivedAt: { vi: '14:30 ngày 20/11/2026', en: '14:30, 20 Nov 2026' },
  date: day,
  dueDate: day,
  closeDate: day,
  requestedAt: { vi: '18/11/2026', en: '18 Nov 2026' },
  paymentDue: { vi: '09/12/2026', en: '9 Dec 2026' },
  dueAt: at,
  closeAt: at,
  when: at,
  completedAt: at,
  dossierCompletedAt: at,
  nextDue: at,
  account: '…6677',
  bankName: 'Vietcombank',
  // The payout account staff typed in, in the acknowledgement of a claim filed for the customer.
  accountMask: '•••• 6677',
  accountHolder: 'NGUYEN VAN AN',
  oldAccount: '…1234',
  oldBankName: 'Techcombank',
  changedAt: at,
  // When a payout account staff typed in was confirmed (by the customer, or by phone).
  confirmedAt: at,
  payableFrom: { vi: '14:30 ngày 26/11/2026', en: '14:30, 26 Nov 2026' },
  place: '123 Láng Hạ, Đống Đa, Hà Nội',
  greeting: { vi: 'Kính gửi anh/chị Nguyễn Văn An,', en: 'Dear Nguyen Van An,' },
  name: { vi: 'Ảnh chụp hiện trường', en: 'Photos of the scene' },
  text: { vi: 'Tổn thất nằm ngoài phạm vi bảo hiểm', en: 'The loss is not covered' },
  clause: { vi: 'Điều 5.2 Quy tắc bảo hiểm', en: 'Clause 5.2 of the policy wording' },
  index: 1,
  message: { vi: 'Vui lòng gửi ảnh biển số xe.', en: 'Please send a photo of the number plate.' },
  response: { vi: 'Tôi đã gửi ảnh biển số.', en: 'I have sent the photo.' },
  note: { vi: 'Mang theo đăng ký xe.', en: 'Bring the vehicle registration.' },
  reason: { vi: 'Cân bằng khối lượng công việc', en: 'Workload balancing' },
  basis: 'Luật KDBH 2022, Điều 31',
  status: { vi: 'Chờ bổ sung hồ sơ', en: 'Awaiting documents' },
  kindName: { vi: 'Giám định tổn thất', en: 'Loss assessment' },
  nextKind: { vi: 'Giám định tổn thất', en: 'Loss assessment' },
  outcome: { vi: 'Chấp thuận toàn bộ', en: 'Approve in full' },
  departments: { vi: 'Phòng Bồi thường, Phòng Pháp chế', en: 'Claims, Legal' },
  cause: { vi: 'Va chạm', en: 'Collision' },
  province: 'Hà Nội',
  assignee: 'Lê Văn Cường',
  inspectionStatus: { vi: 'khách hàng đã xác nhận', en: 'confirmed by the customer' },
  quorum: 2,
  round: 1,
  from: { vi: 'Phòng Thẩm định rủi ro', en: 'Underwriting' },
  comment: { vi: 'Cần kết luận của cơ quan công an.', en: 'The police conclusion is needed.' },
  code: '482913',
  minutes: 15,
  paidOn: { vi: '02/12/2026', en: '2 Dec 2026' },
  batchId: 'PB-20261202-3f9a1c0b7d2e',
  // issue 10: the appeal letter and notice
  filedOn: { vi: '03/12/2026', en: '3 Dec 2026' },
  rejectedOn: '01/12/2026',
  decideBy: '24/12/2026',
  appealBy: { vi: 'ngày 31/12/2026', en: '31 December 2026' },
  // A staff account's new contact details, told at the old e-mail.
  username: 'giang.hoang',
  newEmail: 'giang.hoang@insurer.example.vn',
  newPhone: '0912345678',
};

function sample(name: string, locale: Locale): string | number {
  const s = SAMPLES[name];
  if (s === undefined) return `‹${name}›`;
  if (typeof s === 'function') return s(locale);
  return typeof s === 'object' ? s[locale] : s;
}

/**
 * Data to preview template `name` with: every variable of the shipped template with a sample
 * value, and every section that is not a variable as a list of one item holding its variables (a
 * flag renders the same way), so each conditional part shows.
 */
export function sampleTemplateData(name: TemplateName, locale: Locale): Record<string, unknown> {
  const v = shippedVocabulary(name);
  const data: Record<string, unknown> = {};
  for (const n of v.variables) data[n] = sample(n, locale);
  for (const [section, held] of v.sections) {
    if (v.variables.has(section)) continue;
    data[section] = [Object.fromEntries([...held].map((n) => [n, sample(n, locale)]))];
  }
  return data;
}
