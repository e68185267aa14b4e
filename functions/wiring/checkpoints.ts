import { createS3Client } from '../adapters/s3/client.ts';
import { S3CheckpointStore } from '../adapters/s3/checkpoint-store.ts';
import { AuditCheckpointer, DEFAULT_CHECKPOINT_EVERY } from '../domain/audit/checkpointer.ts';
import { auditStore } from './audit-store.ts';
import { clock } from './core.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { signer } from './signer.ts';

const bucketName = requireEnv('CHECKPOINT_BUCKET_NAME', 'the CDK stack (bindCheckpoints) or `npm start`');
const endpoint = optionalEnv('COMPTOIR_S3_ENDPOINT');
const everyText = optionalEnv('COMPTOIR_AUDIT_CHECKPOINT_EVERY');
// The checkpointer refuses anything but a positive whole number, at load.
const every = everyText === undefined ? DEFAULT_CHECKPOINT_EVERY : Number(everyText);

/** The write-once checkpoints of this process. */
export const checkpointStore = new S3CheckpointStore(createS3Client(endpoint ? { endpoint } : {}), bucketName);
/** Signs the chain head every `COMPTOIR_AUDIT_CHECKPOINT_EVERY` events (default 1000) and on the schedule. */
export const auditCheckpointer = new AuditCheckpointer({ store: checkpointStore, signer, clock, chain: auditStore, every });
