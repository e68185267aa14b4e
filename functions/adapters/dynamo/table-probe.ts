import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DependencyProbe } from '../../ports/readiness.ts';
import { PROBE_TIMEOUT_MS } from '../sdk-timeouts.ts';

/** The key the probe reads; no item lives there, and the stack grants the public function this key alone. */
export const PROBE_KEY = { pk: 'READINESS', sk: 'READINESS' } as const;

/** Reads one known key of the table: the cheapest call that proves the table answers. */
export class DynamoTableProbe implements DependencyProbe {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  async probe(): Promise<void> {
    await this.client.send(new GetCommand({ TableName: this.tableName, Key: PROBE_KEY }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
  }
}
