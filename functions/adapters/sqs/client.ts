import { SQSClient } from '@aws-sdk/client-sqs';

/** One SQS client per process, created at module scope by the wiring. */
export const createSqsClient = (): SQSClient => new SQSClient({});
