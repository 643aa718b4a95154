import type { Locale } from '../core/messages.ts';
import { type RenderedMessage, renderMessage } from '../core/render-message.ts';
import type { TemplateName } from '../core/templates.ts';
import { loadTemplate } from './products.ts';

/** Renders notification `name` from the template in force (admin-edited or shipped) in one language. */
export async function renderTemplate(
  name: TemplateName,
  locale: Locale,
  data: Record<string, unknown>,
): Promise<RenderedMessage> {
  return renderMessage(await loadTemplate(name), locale, data);
}
