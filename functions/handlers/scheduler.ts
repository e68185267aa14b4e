import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '../http/logger.ts';
import { auditSequencer } from '../wiring/sequencer.ts';

/** Periodic checks; for now the audit outbox catch-up, a safety net behind the stream consumer. */
export async function handler(_event: ScheduledEvent): Promise<void> {
  const result = await auditSequencer.drain();
  if (result.sequenced || result.published) logger.warn('outbox catch-up found unsequenced events', { ...result });
}
