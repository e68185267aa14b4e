import { SQSClient } from '@aws-sdk/client-sqs';
import { sdkClientConfig } from '../sdk-timeouts.ts';

/** One SQS client per process, created at module scope by the wiring. */
export const createSqsClient = (): SQSClient => new SQSClient(sdkClientConfig('other'));
