import type { MessageTemplate } from './templates.ts';
import type { Locale } from './messages.ts';

/**
 * Where the links in a notification template may point, and what it may load: pure and without
 * Mustache, so both the template rules (core/template-rules.ts, when an admin saves) and the
 * renderer of every notice (app/templates.ts, when a stored version is sent) use it.
 */

/** A Mustache tag (`{{x}}`, `{{{x}}}`, `{{#x}}`, …): what the system fills in, not the admin's text. */
const TAG = /\{\{\{?[^}]*\}?\}\}/g;

/**
 * Anything a mail client or phone would open as a link: a scheme (`https:`, `javascript:`…) or a
 * protocol-relative `//host`, and a bare `www.` or `host.tld/…` (phones link those in an SMS too).
 * Tags are read as a placeholder first, so `https://{{host}}/x` is a link to an unknown host.
 */
const LINK =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*|(?<![\w@.:/])\/\/[^\s"'<>]+|\bwww\.[^\s"'<>]+|\b(?<![@.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s"'<>]*|\bjavascript:|\bdata:/gi;
/** Tags that load something from elsewhere when the mail is opened (a tracking pixel, a frame). */
export const REMOTE_MARKUP =
  /<\s*(img|image|picture|source|video|audio|iframe|frame|object|embed|link|script|style|svg|meta|base|form)\b|\b(src|srcset|background|poster|action|formaction)\s*=|url\s*\(|@import/gi;
/** An href's value, quoted or not. */
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/**
 * Sites a template may link to besides the claims web app (WEB_BASE_URL), e.g. the insurer's public
 * site. Kept in code on purpose: widening where every customer message may send people is a reviewed
 * change, not something one administrator can do from the console.
 */
export const TEMPLATE_LINK_ALLOWLIST: readonly string[] = [];

/** The origin of a link as written (`https://host[:port]`), lower-case; undefined for a bare host or scheme. */
function originOf(link: string): string | undefined {
  try {
    const u = new URL(link.startsWith('//') ? `https:${link}` : link);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The origins a template may link to, from the web base URL(s) and the allowlist, normalised. */
export function linkOrigins(urls: readonly (string | undefined)[]): string[] {
  return [...new Set(urls.flatMap((u) => (u ? [originOf(u.trim())] : [])).filter((o) => o !== undefined))];
}

/**
 * The links in `source` that leave the system: every link written out whose origin is not one of
 * `allowedOrigins` (the web base URL and the configured allowlist; a bare `www.x` or `javascript:`
 * never is), and in HTML every href that is neither such a link nor a variable the shipped HTML
 * itself puts at the start of an href (`{{claimUrl}}`: a link the system builds).
 */
export function externalLinks(
  source: string,
  allowedOrigins: readonly string[],
  shippedHrefTags: ReadonlySet<string> = new Set(),
): string[] {
  const allowed = new Set(allowedOrigins.map((o) => o.toLowerCase()));
  const out: string[] = [];
  const add = (l: string) => {
    if (!out.includes(l)) out.push(l);
  };
  const ok = (link: string) => {
    const o = originOf(link);
    // A link to the system's own web app is fine only with that origin followed by a path, not
    // `https://claims.example.vn.evil.example` (the URL parser, not a prefix test, finds the host).
    return o !== undefined && allowed.has(o);
  };
  const text = source.replace(TAG, 'var');
  for (const m of text.matchAll(LINK)) if (!ok(m[0])) add(m[0]);
  for (const m of source.matchAll(HREF)) {
    const value = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    const lead = value.match(/^\{\{\{?\s*&?\s*([^}\s]+)\s*\}?\}\}/);
    if (lead && shippedHrefTags.has(lead[1] ?? '') && value === lead[0]) continue;
    if (/^(mailto|tel):[^{]*$/i.test(value)) continue;
    if (!ok(value.replace(TAG, 'var'))) add(value);
  }
  return out;
}

/** The variables the shipped HTML puts alone in an href (`href="{{claimUrl}}"`). */
export function hrefVariables(html: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const m of (html ?? '').matchAll(HREF)) {
    const lead = (m[1] ?? m[2] ?? m[3] ?? '').trim().match(/^\{\{\{?\s*&?\s*([^}\s]+)\s*\}?\}\}$/);
    if (lead?.[1]) out.add(lead[1]);
  }
  return out;
}

/** The markup in an HTML part that would load something from elsewhere when the mail is opened. */
export function remoteContent(html: string): string[] {
  return [...new Set([...html.matchAll(REMOTE_MARKUP)].map((m) => m[0]))];
}

/**
 * A stored template as it may be sent: each part that links outside `allowedOrigins` or loads
 * remote content (a version saved before the link rules, or written to the table some other way) is
 * replaced by the shipped part, which has neither. `replaced` names them, for the log.
 */
export function withoutForeignLinks(
  t: MessageTemplate,
  shipped: MessageTemplate,
  allowedOrigins: readonly string[],
): { template: MessageTemplate; replaced: string[] } {
  if (t === shipped) return { template: t, replaced: [] };
  const out: MessageTemplate = { ...t };
  const replaced: string[] = [];
  // The parts of a template (core/templates.ts TEMPLATE_PARTS), not imported: that module carries
  // every shipped text, and a step that renders one template bundles only that one's.
  for (const part of ['subject', 'text', 'html', 'sms'] as const) {
    const value = t[part];
    const reference = shipped[part];
    if (!value || !reference) continue;
    const next = { ...value };
    for (const locale of Object.keys(value) as Locale[]) {
      const source = value[locale];
      if (!source || source === reference[locale]) continue;
      const hrefTags = part === 'html' ? hrefVariables(reference[locale]) : new Set<string>();
      const foreign =
        externalLinks(source, allowedOrigins, hrefTags).length > 0 ||
        (part === 'html' && remoteContent(source).length > 0);
      if (foreign) {
        next[locale] = reference[locale];
        replaced.push(`${part}.${locale}`);
      }
    }
    (out as Record<string, unknown>)[part] = next;
  }
  return { template: replaced.length ? out : t, replaced };
}
