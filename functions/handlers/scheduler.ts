import type { ScheduledEvent } from 'aws-lambda';
import { runPeriodicChecks } from '../domain/schedule/periodic-checks.ts';
import { logger } from '../http/logger.ts';
import { openDataService } from '../wiring/open-data.ts';
import { contractService } from '../wiring/contracts.ts';
import { ledgerService } from '../wiring/ledger.ts';
import { licenceLifecycle } from '../wiring/lifecycle.ts';
import { inFlightSweeper } from '../wiring/in-flight.ts';
import { auditSequencer } from '../wiring/sequencer.ts';
import { auditCheckpointer } from '../wiring/checkpoints.ts';
import { reminderService } from '../wiring/reminders.ts';

/** The periodic checks, every 5 minutes: late DSP deliveries, open-data delays, versions left in flight, reminders of deadlines ahead, outbox catch-up, audit checkpoint when the chain moved. */
export async function handler(event: ScheduledEvent): Promise<void> {
  const result = await runPeriodicChecks({ contracts: contractService, openData: openDataService, lifecycle: licenceLifecycle, ledger: ledgerService, sequencer: auditSequencer, inFlight: inFlightSweeper, checkpoints: auditCheckpointer, reminders: reminderService }, new Date(event.time));
  logger.info('periodic checks', { ...result });
}
