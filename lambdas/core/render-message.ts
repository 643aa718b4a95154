import Mustache from 'mustache';
import type { Locale } from './messages.ts';
import type { MessageTemplate } from './templates.ts';

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
