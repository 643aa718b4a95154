import Mustache from 'mustache';
import type { Locale } from './messages.ts';
import type { MessageTemplate } from './templates.ts';

/** Mustache's token: `[type, value, start, end, children?, …]`. */
type Token = [string, string, number, number, Token[]?, ...unknown[]];

// Apart from core/templates.ts because Mustache's module builds its shared writer when imported,
// which esbuild cannot drop: every function that reads the configuration in force (templates.ts
// holds the template schema and names) carried the renderer (~6.5 KB) whether it rendered or not.

export interface RenderedMessage {
  subject: string;
  text: string;
  html?: string;
  sms?: string;
}

/**
 * Renders a template in one language. Mustache HTML-escapes `{{x}}`; the plain-text parts use
 * `{{{x}}}` where a value may hold `<`/`&`. `writer` defaults to Mustache's shared one, which caches
 * parsed templates: pass a fresh `new Mustache.Writer()` for one-off templates (previews).
 */
export function renderMessage(
  t: MessageTemplate,
  locale: Locale,
  data: Record<string, unknown>,
  writer: { render: (template: string, view: unknown) => string } = Mustache,
): RenderedMessage {
  return {
    subject: writer.render(t.subject[locale], data),
    text: writer.render(t.text[locale], data),
    ...(t.html ? { html: writer.render(t.html[locale], data) } : {}),
    ...(t.sms ? { sms: writer.render(t.sms[locale], data) } : {}),
  };
}

/** The `{{{x}}}`/`{{& x}}` tokens of a template, in source order; undefined if it does not parse. */
function rawTokens(source: string): Token[] | undefined {
  const out: Token[] = [];
  const walk = (ts: readonly Token[]) => {
    for (const t of ts) {
      if (t[0] === '&') out.push(t);
      if (t[4]) walk(t[4]);
    }
  };
  try {
    walk(Mustache.parse(source) as Token[]);
  } catch {
    return undefined;
  }
  return out;
}

/**
 * An edited template's HTML puts a variable in unescaped only where the shipped HTML does (the rule
 * `template-rules.ts` applies when an admin saves): anything else is escaped when rendered, so a
 * version saved before that rule, or written past the admin route, cannot put a customer's words
 * into a staff member's mail as markup. A part that changes delimiters or does not parse falls back
 * to the shipped part (`confined` lists the locales whose HTML was changed, for the log).
 */
export function confineRawHtml(
  t: MessageTemplate,
  shipped: MessageTemplate,
): { template: MessageTemplate; confined: Locale[] } {
  if (!t.html || t.html === shipped.html) return { template: t, confined: [] };
  const html = { ...t.html };
  const confined: Locale[] = [];
  for (const locale of Object.keys(html) as Locale[]) {
    const source = html[locale];
    const reference = shipped.html?.[locale] ?? '';
    const allowed = new Set((rawTokens(reference) ?? []).map((tok) => tok[1]));
    const raw = /\{\{\s*=/.test(source) ? undefined : rawTokens(source);
    if (!raw) {
      html[locale] = reference;
      confined.push(locale);
      continue;
    }
    const refused = raw.filter((tok) => !allowed.has(tok[1]));
    if (refused.length === 0) continue;
    let out = source;
    for (const [, name, start, end] of refused.reverse())
      out = `${out.slice(0, start)}{{${name}}}${out.slice(end)}`;
    html[locale] = out;
    confined.push(locale);
  }
  return { template: confined.length ? { ...t, html } : t, confined };
}
