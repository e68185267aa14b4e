import type { CatalogueStore, VersionRecord } from '../../ports/catalogue.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import { StateConflictError } from '../errors.ts';
import { MAX_REDRIVES, UPLOAD_URL_SECONDS, validationDeadline } from './in-flight.ts';

/** Versions looked at per run; the rest wait for the next run (oldest deadline first). */
const SWEEP_PAGE = 100;
const AGAIN = 'upload the file again: it becomes a new version';

export interface SweepResult {
  /** Validations handed to ingest again. */
  readonly redriven: number;
  /** Versions ended `failed`, with their reason. */
  readonly failed: number;
}

type Outcome = 'redriven' | 'failed' | 'moved';

/**
 * Leaves no version in flight for ever: past its deadline (see `in-flight.ts`), an upload that was never
 * completed ends `failed`, and a validation that was cut off is re-driven through a
 * `dataset.version.redriven` event (at most {@link MAX_REDRIVES} times) or ends `failed` with the reason.
 * Every write is conditional on the version as read, so concurrent runs re-drive a version once.
 */
export class InFlightSweeper {
  private readonly actor = systemActor('sweeper');

  constructor(private readonly deps: { store: CatalogueStore; objects: ObjectStore; audit: AuditTrail }) {}

  async sweep(now: Date): Promise<SweepResult> {
    const due = await this.deps.store.versionsToSweep(now.toISOString(), SWEEP_PAGE);
    let redriven = 0;
    let failed = 0;
    for (const { datasetId, version } of due) {
      const v = await this.deps.store.getVersion(datasetId, version);
      // The index is read eventually consistent: trust only the version itself.
      if (!v?.sweepAt || v.sweepAt > now.toISOString()) continue;
      const outcome = await this.sweepOne(v, now).catch((error: unknown) => {
        if (error instanceof StateConflictError) return 'moved' as const;
        throw error;
      });
      if (outcome === 'redriven') redriven += 1;
      if (outcome === 'failed') failed += 1;
    }
    return { redriven, failed };
  }

  private async sweepOne(v: VersionRecord, now: Date): Promise<Outcome> {
    if (v.status === 'uploading') {
      return this.fail(v, `the upload was not completed before its URLs expired (${UPLOAD_URL_SECONDS / 60} minutes after the last were issued); ${AGAIN}`);
    }
    if (v.status !== 'validating') return 'moved';
    const redrives = v.redrives ?? 0;
    if (redrives >= MAX_REDRIVES) return this.fail(v, `validation was cut off and re-driven ${redrives} times without finishing; ${AGAIN}`);
    if (!(await this.deps.objects.head(v.incomingKey))) return this.fail(v, `the uploaded object is no longer in storage, so it cannot be validated; ${AGAIN}`);
    const owner = await this.ownerOf(v);
    await this.deps.store.sweep(
      v,
      { redrives: redrives + 1, sweepAt: validationDeadline(now) },
      this.deps.audit.record({ actor: this.actor, action: 'dataset.version.redriven', subject: v.datasetId, parties: owner, data: { version: v.version, attempt: redrives + 1 } }),
    );
    return 'redriven';
  }

  private async fail(v: VersionRecord, reason: string): Promise<Outcome> {
    const owner = await this.ownerOf(v);
    await this.deps.store.sweep(v, { status: 'failed', reason }, this.deps.audit.record({ actor: this.actor, action: 'dataset.version.failed', subject: v.datasetId, parties: owner, data: { version: v.version, reason } }));
    // The state says failed first, so a failure here leaves only bytes the bucket's lifecycle rules expire.
    if (v.uploadId) await this.deps.objects.abortMultipart(v.incomingKey, v.uploadId).catch(() => undefined);
    await this.deps.objects.deleteAllVersions(v.incomingKey).catch(() => undefined);
    return 'failed';
  }

  private async ownerOf(v: VersionRecord): Promise<string[]> {
    const dataset = await this.deps.store.getDataset(v.datasetId);
    return dataset ? [dataset.ownerId] : [];
  }
}
