import type { Locale } from '../core/messages.ts';
import { confineRawHtml, type RenderedMessage, renderMessage } from '../core/render-message.ts';
import { DEFAULT_TEMPLATES, type ShippedTemplate, type TemplateName } from '../core/templates.ts';
import { linkOrigins, TEMPLATE_LINK_ALLOWLIST, withoutForeignLinks } from '../core/template-links.ts';
import { optionalEnv } from '../adapters/env.ts';
import { loadTemplate } from './products.ts';
import { logger } from '../runtime/logger.ts';

/** Renders notification `name` from the template in force (admin-edited or shipped) in one language. */
export function renderTemplate(
  name: TemplateName,
  locale: Locale,
  data: Record<string, unknown>,
): Promise<RenderedMessage> {
  return renderShipped({ name, shipped: DEFAULT_TEMPLATES[name] }, locale, data);
}

/**
 * `renderTemplate` for a step that renders one template only (the acknowledgement, the payout
 * account code): its bundle then carries that template's shipped text, not all of them.
 */
export async function renderShipped(
  template: ShippedTemplate,
  locale: Locale,
  data: Record<string, unknown>,
): Promise<RenderedMessage> {
  const { template: t, confined } = confineRawHtml(
    await loadTemplate(template.name, template.shipped),
    template.shipped,
  );
  if (confined.length > 0)
    logger.warn('template in force puts variables in HTML unescaped; escaped them', {
      template: template.name,
      locales: confined,
    });
  // A stored version that links outside the claims site or loads remote content (saved before the
  // link rules) is not sent as it is: those parts go out as shipped.
  const { template: safe, replaced } = withoutForeignLinks(
    t,
    template.shipped,
    linkOrigins([optionalEnv('WEB_BASE_URL', ''), ...TEMPLATE_LINK_ALLOWLIST]),
  );
  if (replaced.length > 0)
    logger.warn('template in force links outside the claims site; sent those parts as shipped', {
      template: template.name,
      parts: replaced,
    });
  return renderMessage(safe, locale, data);
}
