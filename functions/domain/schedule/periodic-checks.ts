import type { AuditCheckpointer } from '../audit/checkpointer.ts';
import type { AuditSequencer } from '../audit/sequencer.ts';
import type { InFlightSweeper, SweepResult } from '../catalogue/in-flight-sweeper.ts';
import type { OpenDataService } from '../catalogue/open-data-service.ts';
import type { ContractService } from '../contracts/contract-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { LicenceLifecycle } from '../licences/lifecycle-service.ts';
import type { ReminderService, RemindersResult } from '../notifications/reminders.ts';

export interface PeriodicChecksResult {
  readonly lateFlags: number;
  readonly opened: number;
  readonly overdueDuties: number;
  readonly expired: number;
  readonly escrowsReleased: number;
  /** Reminder events raised (deliveries and duties due soon, licences expiring), each once. */
  readonly reminders: RemindersResult;
  readonly sequenced: number;
  /** The seq of the audit checkpoint written because the chain moved, if one was. */
  readonly checkpointed?: number;
  /** Versions in flight past their deadline: re-driven or ended `failed`. */
  readonly versions: SweepResult;
}

/**
 * Everything the schedule does at `now`: flag late DSP deliveries, open versions whose delay passed,
 * mark overdue duties (suspending their licences), expire licences, release escrowed credits, re-drive or end versions left
 * in flight, raise the reminders of deadlines ahead, catch up with any outbox event the stream missed, then checkpoint the chain head when it moved. The same code runs in the cloud and locally.
 */
export async function runPeriodicChecks(
  deps: {
    contracts: ContractService;
    openData: OpenDataService;
    lifecycle: LicenceLifecycle;
    ledger: LedgerService;
    sequencer: AuditSequencer;
    inFlight: InFlightSweeper;
    checkpoints: Pick<AuditCheckpointer, 'checkpointIfMoved'>;
    reminders: Pick<ReminderService, 'remind'>;
  },
  now: Date,
): Promise<PeriodicChecksResult> {
  // Each job runs even when another fails; failures are raised together afterwards.
  const [late, open, overdue, expired, escrows, swept, reminded, drained] = await Promise.allSettled([
    deps.contracts.flagLateDeliveries(now),
    deps.openData.openDueVersions(now),
    deps.lifecycle.checkOverdue(now),
    deps.lifecycle.expire(now),
    deps.ledger.releaseDue(now),
    deps.inFlight.sweep(now),
    deps.reminders.remind(now),
    // After the catch-up, so the checkpoint signs the head it reached.
    deps.sequencer.drain().then(async (d) => ({ ...d, checkpoint: await deps.checkpoints.checkpointIfMoved() })),
  ]);
  const failures = [late, open, overdue, expired, escrows, swept, reminded, drained].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
  if (failures.length) throw new AggregateError(failures, `${failures.length} periodic check(s) failed`);
  const chain = (drained as PromiseFulfilledResult<{ sequenced: number; checkpoint?: { seq: number } }>).value;
  return {
    lateFlags: (late as PromiseFulfilledResult<number>).value,
    opened: (open as PromiseFulfilledResult<number>).value,
    overdueDuties: (overdue as PromiseFulfilledResult<number>).value,
    expired: (expired as PromiseFulfilledResult<number>).value,
    escrowsReleased: (escrows as PromiseFulfilledResult<number>).value,
    versions: (swept as PromiseFulfilledResult<SweepResult>).value,
    reminders: (reminded as PromiseFulfilledResult<RemindersResult>).value,
    sequenced: chain.sequenced,
    ...(chain.checkpoint ? { checkpointed: chain.checkpoint.seq } : {}),
  };
}
