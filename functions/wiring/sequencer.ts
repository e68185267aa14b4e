import { createEventBridgePublisher } from '../adapters/events/eventbridge-publisher.ts';
import { AuditSequencer } from '../domain/audit/sequencer.ts';
import { auditStore } from './audit.ts';
import { requireEnv } from './env.ts';

const busName = requireEnv('EVENT_BUS_NAME', 'the CDK stack (bindEventBus)');

/** The chain's single writer, forwarding sequenced events to EventBridge. */
export const auditSequencer = new AuditSequencer({ store: auditStore, publisher: createEventBridgePublisher(busName) });
