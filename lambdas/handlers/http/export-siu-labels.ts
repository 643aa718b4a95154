import { requireEnv } from '../../adapters/env.ts';
import { exportLabelledClaims } from '../../app/siu.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ExportSiuLabels', {}, async ({ principal }) => ({
  text: await exportLabelledClaims(principal, systemClock),
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="siu-labelled-claims.csv"',
  },
}));
