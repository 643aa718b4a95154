import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/** The floor the bundle benchmark compares every function with: one DynamoDB GetItem, nothing else. */
const client = new DynamoDBClient({});

export const handler = async (event: { id: string }) =>
  client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
