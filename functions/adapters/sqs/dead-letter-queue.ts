import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DependencyError } from '../../domain/errors.ts';
import type { DeadLetterSink, StoredDelivery } from '../../ports/feeds.ts';

/** The webhook dead-letter queue: one message per delivery given up, without storage keys. */
export class SqsDeadLetterQueue implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async deadLettered(d: StoredDelivery, reason: string): Promise<void> {
    const body = { eventId: d.eventId, subscriptionId: d.subscriptionId, datasetId: d.datasetId, version: d.version, publishedAt: d.publishedAt, attempts: d.attempts, reason };
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(body),
          MessageAttributes: { subscriptionId: { DataType: 'String', StringValue: d.subscriptionId }, eventId: { DataType: 'String', StringValue: d.eventId } },
        }),
      );
    } catch (error) {
      throw new DependencyError('SQS SendMessage failed', { cause: error });
    }
  }
}
