import { loadProducts } from '../../app/products.ts';
import { apiHandler } from '../../http/api-handler.ts';

export const handler = apiHandler('ListProducts', {}, async () => ({
  body: {
    items: (await loadProducts()).map((p) => ({
      code: p.code,
      line: p.line,
      name: p.name,
      compulsory: p.compulsory,
      coveredCauses: p.coveredCauses,
      noticeDays: p.noticeDays,
      documentChecklist: p.documentChecklist,
    })),
  },
}));
