import { DynamoLicenceBatchReader } from '../adapters/dynamo/licence-batch-reader.ts';
import { GuardedWebhookTransport, systemResolver } from '../adapters/net/webhook-client.ts';
import { forbiddenAddress } from '../domain/feeds/webhook-url.ts';
import { createSqsClient } from '../adapters/sqs/client.ts';
import { SqsDeadLetterQueue } from '../adapters/sqs/dead-letter-queue.ts';
import { DeliveryService } from '../domain/feeds/delivery-service.ts';
import { accessService, accessStore, licenceReader as licences } from './access.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock } from './core.ts';
import { optionalEnv } from './env.ts';
import { feedStore, webhookUrlPolicy } from './feeds.ts';
import { objectStore as objects } from './storage.ts';
import { documentClient, tableName } from './table.ts';

/** Set by the stack; the local runtime keeps dead letters in the table partition only. */
const deadLetterQueueUrl = optionalEnv('WEBHOOK_DEAD_LETTER_QUEUE_URL');
const deadLetters = deadLetterQueueUrl ? new SqsDeadLetterQueue(createSqsClient(), deadLetterQueueUrl) : undefined;

/** Webhook deliveries of this process: fan-out on publication and the retry schedule. */
export const deliveryService = new DeliveryService({
  subscriptions: feedStore,
  deliveries: feedStore,
  licences,
  licenceBatches: new DynamoLicenceBatchReader(documentClient, tableName),
  catalogue,
  accessService,
  accessStore,
  objects,
  transport: new GuardedWebhookTransport((address) => forbiddenAddress(address, webhookUrlPolicy.allowLoopbackHttp)),
  ...(deadLetters ? { deadLetters } : {}),
  resolver: systemResolver,
  urlPolicy: webhookUrlPolicy,
  audit,
  clock,
});
