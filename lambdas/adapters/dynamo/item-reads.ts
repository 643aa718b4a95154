import { BatchGetCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws-clients.ts';
import { tableName } from './table.ts';

type Item = Record<string, NativeAttributeValue>;
export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * Items one step needs by key, described so that several of them (and the configuration, see
 * app/products.ts `readWithConfig`) go out in one BatchGetItem instead of one GetItem each. The
 * adapter that owns an item builds its read (`claimRead`, `storedPolicyRead`, …): key layout and decoding
 * stay with it.
 */
export interface ItemRead<T> {
  keys: readonly ItemKey[];
  decode: (found: (key: ItemKey) => Item | undefined) => T;
}

const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;

/** Several reads as one: their keys together, each decoded from the same answer. */
export function readAll<R extends Record<string, ItemRead<unknown>>>(
  reads: R,
): ItemRead<{ [K in keyof R]: R[K] extends ItemRead<infer T> ? T : never }> {
  return {
    keys: Object.values(reads).flatMap((r) => r.keys),
    decode: (found) =>
      Object.fromEntries(Object.entries(reads).map(([k, r]) => [k, r.decode(found)])) as {
        [K in keyof R]: R[K] extends ItemRead<infer T> ? T : never;
      },
  };
}

/** Reads and decodes: one BatchGetItem (none for a read of nothing). */
export async function readItems<T>(read: ItemRead<T>): Promise<T> {
  return read.decode(read.keys.length > 0 ? await getItems(read.keys) : () => undefined);
}

/** One item by key, decoded when it is there. */
export function itemRead<T>(key: ItemKey, decode: (item: Item) => T): ItemRead<T | undefined> {
  return {
    keys: [key],
    decode: (found) => {
      const item = found(key);
      return item ? decode(item) : undefined;
    },
  };
}

/** A read of nothing (a combined read's optional part). */
export const readNothing: ItemRead<undefined> = { keys: [], decode: () => undefined };

/** BatchGetItem takes at most 100 keys. */
export const BATCH_GET_LIMIT = 100;

/**
 * Access pattern: items by key, strongly consistent (as a GetItem with `ConsistentRead` would read
 * them), in one BatchGetItem; keys DynamoDB leaves unprocessed are asked for again with backoff.
 * The answer is keyed by pk and sk (BatchGetItem returns items in no particular order).
 */
export async function getItems(keys: readonly ItemKey[]): Promise<(key: ItemKey) => Item | undefined> {
  if (keys.length > BATCH_GET_LIMIT) throw new RangeError(`at most ${BATCH_GET_LIMIT} keys in one read`);
  const out = new Map<string, Item>();
  const unique = new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }]));
  let pending: Item[] = [...unique.values()];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    if (attempt > 8) throw new Error('item read throttled');
    const r = await dynamo().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of r.Responses?.[tableName()] ?? []) out.set(id(item), item);
    pending = r.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return (key) => out.get(id(key));
}
