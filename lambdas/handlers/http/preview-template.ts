import { previewTemplate } from '../../app/template-configuration.ts';
import { TemplatePreviewEnvelope } from '../../core/staff-schemas.ts';
import { apiHandler } from '../../http/api-handler.ts';

/** Renders an unsaved template with sample data: reads nothing but the caller's staff record. */
export const handler = apiHandler(
  'PreviewTemplate',
  { body: TemplatePreviewEnvelope },
  async ({ params, body }) => ({ body: previewTemplate(params.templateName ?? '', body) }),
);
