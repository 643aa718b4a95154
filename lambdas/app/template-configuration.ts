import Mustache from 'mustache';
import { currentConfigs } from '../adapters/dynamo/config-repo.ts';
import { configScopes } from '../adapters/dynamo/keys.ts';
import { DomainError } from '../core/errors.ts';
import { zodFieldIssues } from '../core/field-issues.ts';
import type { Locale } from '../core/messages.ts';
import { type RenderedMessage, renderMessage } from '../core/render-message.ts';
import { optionalEnv } from '../adapters/env.ts';
import {
  allowedNames,
  linkOrigins,
  sampleTemplateData,
  TEMPLATE_LINK_ALLOWLIST,
  TemplateShape,
  templateIssues,
} from '../core/template-rules.ts';
import {
  DEFAULT_TEMPLATES,
  defaultTemplate,
  isTemplateName,
  MessageTemplate,
  TEMPLATE_NAMES,
  type TemplateName,
} from '../core/templates.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { type ConfigChanged, changeConfig, invalid } from './configuration.ts';

/**
 * Notification templates as admins read, preview and change them: validated against the shipped
 * template's rules (core/template-rules.ts), then versioned and audited like the rest of the
 * configuration (app/configuration.ts `changeConfig`).
 */

/**
 * Where a template may link: the claims web app (WEB_BASE_URL, where this function is given it) and
 * the reviewed allowlist. Links to a claim are better made with the variables the system fills in.
 */
export const templateLinkOrigins = () =>
  linkOrigins([optionalEnv('WEB_BASE_URL', ''), ...TEMPLATE_LINK_ALLOWLIST]);

/**
 * The notification template an admin sent, or CONFIG_INVALID with every issue found: the shape,
 * then the rules against the shipped template (core/template-rules.ts), then the schema.
 */
export function validateTemplate(name: TemplateName, raw: unknown): MessageTemplate {
  const shape = TemplateShape.safeParse(raw, { reportInput: true });
  if (!shape.success) throw invalid(zodFieldIssues(shape.error));
  const issues = templateIssues(name, shape.data, templateLinkOrigins());
  if (issues.length > 0) throw invalid(issues);
  const full = MessageTemplate.safeParse(raw);
  if (!full.success) throw invalid(zodFieldIssues(full.error));
  return full.data;
}

function templateName(name: string): TemplateName {
  if (!isTemplateName(name)) throw new DomainError('TEMPLATE_NOT_FOUND', `No template ${name}`);
  return name;
}

/** Puts a new version of a notification template in force (PUT /admin/templates/{templateName}). */
export async function changeTemplate(
  principal: Principal,
  rawName: string,
  body: { expectedVersion: number; template: unknown },
  clock: Clock,
): Promise<ConfigChanged & { name: TemplateName }> {
  const name = templateName(rawName);
  const r = await changeConfig(principal, clock, {
    scope: configScopes.template(name),
    type: 'TemplateChanged',
    field: 'template',
    value: validateTemplate(name, body.template),
    fallback: DEFAULT_TEMPLATES[name],
    expectedVersion: body.expectedVersion,
    data: { name },
  });
  return { name, ...r };
}

/**
 * An unsaved template rendered with sample data (POST /admin/templates/{templateName}/preview),
 * validated first so the preview never shows what could not be saved. A fresh Mustache writer:
 * drafts must not fill the shared template cache.
 */
export function previewTemplate(
  rawName: string,
  body: { locale: Locale; template: unknown },
): RenderedMessage & { name: TemplateName; locale: Locale } {
  const name = templateName(rawName);
  const template = validateTemplate(name, body.template);
  const data = sampleTemplateData(name, body.locale);
  return { name, locale: body.locale, ...renderMessage(template, body.locale, data, new Mustache.Writer()) };
}

/**
 * Every notification template as in force now (version 0 = the shipped file), with the shipped
 * default beside it and the variables and sections it may use. Read from the table, not the cache.
 */
export async function templatesInForce() {
  const stored = await currentConfigs(TEMPLATE_NAMES.map((n) => configScopes.template(n)));
  return {
    items: TEMPLATE_NAMES.map((name) => {
      const s = stored.get(configScopes.template(name));
      const { variables, sections } = allowedNames(name);
      return {
        name,
        version: s?.version ?? 0,
        template: (s?.value as MessageTemplate | undefined) ?? defaultTemplate(name),
        default: defaultTemplate(name),
        variables,
        sections,
        /** The origins a link in it may point to (the console checks drafts the same way). */
        linkOrigins: templateLinkOrigins(),
        updatedAt: s?.updatedAt,
        updatedBy: s?.updatedBy,
      };
    }),
  };
}
