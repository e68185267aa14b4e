import type { AuditSequencer } from '../audit/sequencer.ts';
import type { OpenDataService } from '../catalogue/open-data-service.ts';
import type { ContractService } from '../contracts/contract-service.ts';

export interface PeriodicChecksResult {
  readonly lateFlags: number;
  readonly opened: number;
  readonly sequenced: number;
}

/**
 * Everything the schedule does at `now`: flag late DSP deliveries, open versions whose delay passed,
 * and catch up with any outbox event the stream missed. The same code runs in the cloud and locally.
 */
export async function runPeriodicChecks(
  deps: { contracts: ContractService; openData: OpenDataService; sequencer: AuditSequencer },
  now: Date,
): Promise<PeriodicChecksResult> {
  const lateFlags = await deps.contracts.flagLateDeliveries(now);
  const opened = await deps.openData.openDueVersions(now);
  const { sequenced } = await deps.sequencer.drain();
  return { lateFlags, opened, sequenced };
}
