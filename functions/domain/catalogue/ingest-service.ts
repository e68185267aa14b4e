import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openFromOf } from '../../../contracts/delivery-schedule.ts';
import type { QualityReport } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord, VersionRecord } from '../../ports/catalogue.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { ObjectStore, ObjectWriter } from '../../ports/object-store.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, systemActor, type PendingAuditEvent } from '../audit/audit-trail.ts';
import { StateConflictError } from '../errors.ts';
import { createValidator } from '../ingest/validation/index.ts';
import { parquetKeyOf } from '../query/columnar.ts';
import { ingestLeaseUntil, validationDeadline } from './in-flight.ts';
import { objectKeyOf } from './storage-keys.ts';

export type IngestOutcome = 'published' | 'rejected' | 'skipped';

interface Measured {
  readonly sha256: string;
  readonly bytes: number;
  readonly report: QualityReport;
  /** Where this attempt wrote the bytes. */
  readonly objectKey: string;
  /** Set when the upload is not the one its owner completed. */
  readonly replaced?: boolean;
}

const PUBLISH_RACE_RETRIES = 5;

/**
 * Reads an uploaded object once: hashes, counts and validates it while writing the very same bytes
 * under `versions/`, then publishes or rejects the version. Memory stays constant whatever the size.
 */
export class IngestService {
  private readonly actor = systemActor('ingest');

  constructor(
    private readonly deps: {
      store: CatalogueStore;
      objects: ObjectStore;
      writer: ObjectWriter;
      contracts: ContractStore;
      audit: AuditTrail;
      clock: Clock;
      ids: IdGenerator;
    },
  ) {}

  async ingest(datasetId: string, n: number): Promise<IngestOutcome> {
    const version = await this.deps.store.getVersion(datasetId, n);
    // Duplicate or late event: only a validating version is ingested.
    if (version?.status !== 'validating') return 'skipped';
    const dataset = await this.deps.store.getDataset(datasetId);
    if (!dataset) return 'skipped';
    const now = this.deps.clock.now();
    const claim = await this.deps.store.claimIngest(datasetId, n, now.toISOString(), ingestLeaseUntil(now), validationDeadline(now));
    // Another attempt holds a live lease (a duplicate event, or a re-drive racing a slow ingest).
    if (claim === undefined) return 'skipped';

    const measured = await this.copyAndMeasure(dataset, version);
    const reason = this.rejection(version, measured);
    const outcome = reason ? await this.reject(dataset, version, measured, reason) : await this.publish(dataset, version, measured, claim);
    await this.deps.objects.deleteAllVersions(version.incomingKey).catch(() => undefined);
    return outcome;
  }

  private async copyAndMeasure(dataset: DatasetRecord, version: VersionRecord): Promise<Measured> {
    const objectKey = objectKeyOf(dataset.id, version.version, this.deps.ids.next('obj'));
    const source = await this.deps.objects.read(version.incomingKey);
    // A leaked upload URL used after completion changes the ETag: those bytes are never published.
    if (version.incomingEtag && source.etag !== version.incomingEtag) {
      source.body.destroy();
      return { sha256: '', bytes: 0, report: { rows: 0, errorCount: 0, errors: [], truncated: false, emptyCounts: {} }, objectKey, replaced: true };
    }
    const hash = createHash('sha256');
    const validator = createValidator(dataset.format, dataset.schema?.fields ?? []);
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        validator.push(chunk);
        done(null, chunk);
      },
    });
    const writing = this.deps.writer.write(objectKey, tap, version.bytes).catch((error: unknown) => {
      tap.destroy(error as Error);
      throw error;
    });
    await Promise.all([pipeline(source.body, tap), writing]);
    return { sha256: hash.digest('hex'), bytes, report: validator.finish(), objectKey };
  }

  private rejection(version: VersionRecord, m: Measured): string | undefined {
    if (m.replaced) return 'the uploaded object was replaced after the upload was completed; start a new version';
    if (m.bytes !== version.bytes) return `read ${m.bytes} bytes where ${version.bytes} were declared`;
    if (version.declaredSha256 && version.declaredSha256 !== m.sha256) return `SHA-256 ${m.sha256} does not match the declared ${version.declaredSha256}`;
    if (m.report.errorCount > 0) return `${m.report.errorCount} value(s) break the declared schema; see the quality report`;
    return undefined;
  }

  private async reject(dataset: DatasetRecord, version: VersionRecord, m: Measured, reason: string): Promise<IngestOutcome> {
    if (!m.replaced) await this.deps.objects.deleteAllVersions(m.objectKey);
    try {
      await this.deps.store.transition(
        dataset.id,
        version.version,
        ['validating'],
        { status: 'rejected', reason, sha256: m.sha256, rows: m.report.rows, quality: m.report },
        this.deps.audit.record({ actor: this.actor, action: 'dataset.version.rejected', subject: dataset.id, parties: [dataset.ownerId], data: { version: version.version, reason, sha256: m.sha256, errors: m.report.errorCount } }),
      );
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      return 'skipped';
    }
    return 'rejected';
  }

  private async publish(initial: DatasetRecord, inFlight: VersionRecord, m: Measured, claim: number): Promise<IngestOutcome> {
    const { sweepAt: _s, leaseUntil: _l, ...version } = inFlight;
    const publishedAt = this.deps.clock.now().toISOString();
    const obligation = initial.obligation ? await this.obligationOf(initial.obligation) : undefined;
    const openFrom = obligation?.openDataAfter ? openFromOf(publishedAt, obligation.openDataAfter) : undefined;
    const hasPersonalFields = initial.schema?.fields.some((f) => f.personal) ?? false;
    const open = initial.classification === 'open';
    const published: VersionRecord = {
      ...version,
      claim,
      objectKey: m.objectKey,
      status: 'published',
      sha256: m.sha256,
      rows: m.report.rows,
      quality: m.report,
      publishedAt,
      open,
      ...(openFrom && !open ? { openFrom } : {}),
      ...(openFrom && !open && hasPersonalFields ? { openBlocked: 'personal_fields' } : {}),
    };
    const parties = [initial.ownerId];
    const events: PendingAuditEvent[] = [
      this.deps.audit.record({
        actor: this.actor,
        action: 'dataset.version.published',
        subject: initial.id,
        parties,
        data: { version: version.version, sha256: m.sha256, bytes: m.bytes, rows: m.report.rows, publishedAt, open, ...(published.openFrom ? { openFrom: published.openFrom } : {}) },
      }),
      ...(published.openBlocked
        ? [this.deps.audit.record({ actor: this.actor, action: 'dataset.version.open_blocked', subject: initial.id, parties, data: { version: version.version, reason: 'the schema has personal fields: an officer must decide' } })]
        : []),
    ];
    let dataset = initial;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.publish({ version: published, claim, previousLatest: dataset.latestVersion, ...(dataset.obligation ? { delivery: dataset.obligation } : {}), events });
        return 'published';
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        if (error.code === 'version_state_changed') {
          // Another attempt published, or the version was purged: this attempt's own objects must not linger.
          await this.deps.objects.deleteAllVersions(m.objectKey);
          await this.deps.objects.deleteAllVersions(parquetKeyOf(m.objectKey)).catch(() => undefined);
          return 'skipped';
        }
        if (attempt >= PUBLISH_RACE_RETRIES) throw error;
        dataset = (await this.deps.store.getDataset(initial.id)) ?? initial;
      }
    }
  }

  private async obligationOf(ref: { contractId: string; obligationId: string }) {
    const contract = await this.deps.contracts.getContract(ref.contractId);
    return contract?.obligations.find((o) => o.id === ref.obligationId);
  }
}
