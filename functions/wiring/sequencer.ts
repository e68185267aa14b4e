import { createEventBridgePublisher } from '../adapters/events/eventbridge-publisher.ts';
import { AuditSequencer } from '../domain/audit/sequencer.ts';
import { logger } from '../http/logger.ts';
import { auditStore } from './audit-store.ts';
import { auditCheckpointer } from './checkpoints.ts';
import { requireEnv } from './env.ts';

const busName = requireEnv('EVENT_BUS_NAME', 'the CDK stack (bindEventBus)');

/** The chain's single writer, forwarding sequenced events to EventBridge and checkpointing every N events. */
export const auditSequencer = new AuditSequencer({
  store: auditStore,
  publisher: createEventBridgePublisher(busName),
  checkpoints: auditCheckpointer,
  onCheckpointError: (error) => logger.error('audit checkpoint not written; the schedule writes it', { error }),
});
