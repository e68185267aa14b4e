import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkClientConfig } from '../sdk-timeouts.ts';

export interface DynamoClientOptions {
  /** Set for DynamoDB Local; unset in the cloud. */
  readonly endpoint?: string;
  readonly region?: string;
}

/** The document client every DynamoDB adapter receives; create it once per process. */
export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...sdkClientConfig('dynamodb', { emulator: options.endpoint !== undefined }),
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export type { DynamoDBDocumentClient };
