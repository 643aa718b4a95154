import { requireEnv } from '../../adapters/env.ts';
import { addNote } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { NoteBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('AddNote', { body: NoteBody }, async ({ principal, params, body }) => ({
  status: 201,
  body: claimSummary(await addNote(principal, params.claimId ?? '', body.text, systemClock)),
}));
