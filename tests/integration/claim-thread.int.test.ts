import { beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../../local/demo-data.ts';
import { assignTo, fileParked, getClaim, hoursAgo } from '../helpers/claims.ts';
import { type Api, eventually, sentEmails, signIn } from '../helpers/stack.ts';

/**
 * The message thread on a claim (issue 10): the customer and the handler write to each other, each
 * side is notified, staff notes never appear, and only the owner and the claim's staff get in.
 */
let an: Api;
let binh: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, binh, hai, dung] = await signIn('an.nguyen', 'binh.tran', 'hai.do', 'dung.pham');
});

describe('the claim thread', () => {
  it('carries messages both ways, notifies the other side, pages newest first and keeps notes out', async () => {
    const { claimId, claimNumber } = await fileParked(an, hai, { cause: 'storm', lossAt: hoursAgo(700) });
    expect((await assignTo(hai, claimId, 'dung.pham')).status).toBe(200);

    const ask = await an.post(`/claims/${claimId}/messages`, {
      text: 'Xin hỏi khi nào có người đến giám định?',
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(201);
    // The handler hears of it.
    await eventually(async () =>
      (await sentEmails()).find(
        (m) =>
          m.subject.includes(claimNumber) &&
          m.destination.to.some((t) => t.startsWith('dung')) &&
          m.body?.text?.includes('khi nào có người đến giám định'),
      ),
    );
    // A note stays internal; the handler replies; the customer hears of the reply.
    expect((await dung.post(`/claims/${claimId}/notes`, { text: 'Nội bộ: kiểm tra camera' })).status).toBe(
      201,
    );
    const before = (await getClaim(dung, claimId)).version;
    const reply = await dung.post(`/claims/${claimId}/messages`, { text: 'Giám định viên sẽ đến sáng mai.' });
    expect(reply.status).toBe(201);
    // A message does not make the handler's open screen stale.
    expect((await getClaim(dung, claimId)).version).toBe(before);
    await eventually(async () =>
      (await sentEmails()).find(
        (m) =>
          m.subject.includes(claimNumber) &&
          m.destination.to.includes('an.nguyen@example.vn') &&
          m.body?.text?.includes('Giám định viên sẽ đến sáng mai.'),
      ),
    );
    expect((await an.post(`/claims/${claimId}/messages`, { text: 'Cảm ơn.' })).status).toBe(201);

    // Newest first, one per page, following the cursor; no staff note, no staff id for the customer.
    const seen: { from: string; text: string; authorId?: string }[] = [];
    let cursor: string | undefined;
    do {
      const r = await an.get(
        `/claims/${claimId}/messages?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.cursor;
    } while (cursor);
    expect(seen.map((m) => [m.from, m.text])).toEqual([
      ['customer', 'Cảm ơn.'],
      ['staff', 'Giám định viên sẽ đến sáng mai.'],
      ['customer', 'Xin hỏi khi nào có người đến giám định?'],
    ]);
    expect(JSON.stringify(seen)).not.toContain(userIdFor('dung.pham'));
    const staffView = await hai.get(`/claims/${claimId}/messages`);
    expect(staffView.body.items[1].authorId).toBe(userIdFor('dung.pham'));
    expect(JSON.stringify(staffView.body)).not.toContain('Nội bộ');
  });

  it('lets in only the owner and the staff who handle the claim; bounds the text and the cursor', async () => {
    const { claimId } = await fileParked(an, hai, { cause: 'flood', lossAt: hoursAgo(730) });
    expect((await binh.get(`/claims/${claimId}/messages`)).status).toBe(404);
    expect((await binh.post(`/claims/${claimId}/messages`, { text: 'Xin chào' })).status).toBe(404);
    // dung.pham does not handle this claim (it sits in a queue): he may read, not write.
    expect((await dung.get(`/claims/${claimId}/messages`)).status).toBe(200);
    expect((await dung.post(`/claims/${claimId}/messages`, { text: 'Xin chào' })).status).toBe(403);
    expect((await hai.post(`/claims/${claimId}/messages`, { text: 'Xin chào' })).status).toBe(201);
    expect((await an.post(`/claims/${claimId}/messages`, { text: '' })).status).toBe(400);
    expect((await an.post(`/claims/${claimId}/messages`, { text: 'x'.repeat(2001) })).status).toBe(400);
    expect((await an.get(`/claims/${claimId}/messages?limit=51`)).status).toBe(400);
    expect((await an.get(`/claims/${claimId}/messages?cursor=forged`)).status).toBe(400);
  });
});
