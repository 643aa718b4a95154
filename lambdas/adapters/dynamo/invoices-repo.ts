import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws-clients.ts';
import { keys } from './keys.ts';
import { tableName } from './table.ts';

export interface InvoiceIdentity {
  sellerTaxCode: string;
  series: string;
  number: string;
}

export interface InvoiceHolder {
  claimId: string;
  documentId: string;
  at: string;
}

/**
 * Access pattern: the claim an e-invoice belongs to (`INVOICE#<mst>#<series>#<number>`). The first
 * claim to file an invoice writes the item under `attribute_not_exists`, so of two claims filing
 * the same invoice at the same moment exactly one wins; the other gets the winner back and is
 * flagged. Filing it again on the same claim is not a duplicate.
 */
export async function claimInvoice(
  id: InvoiceIdentity,
  holder: InvoiceHolder,
): Promise<{ first: true } | { first: false; holder: InvoiceHolder }> {
  const key = keys.invoice(id.sellerTaxCode, id.series, id.number);
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, entity: 'InvoiceClaimed', ...id, ...holder },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { first: true };
  } catch (e) {
    if (
      !(
        e instanceof ConditionalCheckFailedException ||
        (e as Error).name === 'ConditionalCheckFailedException'
      )
    )
      throw e;
  }
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  const existing = {
    claimId: String(r.Item?.claimId),
    documentId: String(r.Item?.documentId),
    at: String(r.Item?.at),
  };
  return existing.claimId === holder.claimId ? { first: true } : { first: false, holder: existing };
}
