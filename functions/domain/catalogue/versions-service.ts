import type { CompleteUploadRequest, CreateVersionRequest, CreateVersionResponse, DatasetVersion } from '../../../schemas/index.ts';
import type { CatalogueStore, VersionRecord } from '../../ports/catalogue.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { LicenseeDirectory } from '../../ports/licensing.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, InvalidRequestError, StateConflictError } from '../errors.ts';
import { isOfficer, type Page, type PageRequest, type Principal } from '../model.ts';
import type { CatalogueService } from './catalogue-service.ts';
import { NotDatasetOwnerError, UploadIncompleteError, VersionNotFoundError } from './errors.ts';
import { UPLOAD_URL_SECONDS, uploadDeadline, validationDeadline } from './in-flight.ts';
import { derivedPrefixOf, incomingKeyOf, objectPrefixOf } from './storage-keys.ts';
import { PART_URL_PAGE, SINGLE_PUT_LIMIT, partCountFor, partSizeFor } from './upload-plan.ts';

const VERSION_RACE_RETRIES = 3;

/** The public view of a stored version (no storage keys). */
export function versionView(v: VersionRecord): DatasetVersion {
  const { incomingKey: _i, incomingEtag: _e, objectKey: _o, uploadId: _u, partSize: _s, partCount: _c, sweepAt: _w, redrives: _r, claim: _k, leaseUntil: _l, ...view } = v;
  return view;
}

/** Completion must name each part 1..N exactly once: S3 would refuse anything else, later and less clearly. */
function assertEveryPart(parts: readonly { partNumber: number }[], partCount: number): void {
  const numbers = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !numbers.has(n));
  const extra = [...numbers].filter((n) => n > partCount);
  if (missing.length || extra.length || numbers.size !== parts.length) {
    const problems = [missing.length ? `missing part(s) ${missing.slice(0, 10).join(', ')}` : '', extra.length ? `no part(s) ${extra.join(', ')} in a ${partCount}-part upload` : '', numbers.size !== parts.length ? 'a part is listed twice' : '']
      .filter(Boolean)
      .join('; ');
    throw new UploadIncompleteError(`complete needs every part 1..${partCount} once with its ETag: ${problems}`);
  }
}

export interface VersionsDeps {
  readonly store: CatalogueStore;
  readonly contracts: ContractStore;
  /** Enforced variants of a version, forgotten when it is purged. */
  readonly variants: { dropVariants(datasetId: string, version: number): Promise<number> };
  readonly objects: ObjectStore;
  readonly catalogue: CatalogueService;
  /** Licensees read the versions of the datasets they license (purged ones included). */
  readonly licensees: LicenseeDirectory;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/** Immutable dataset versions: presigned uploads, completion, reading and purge. */
export class VersionsService {
  constructor(private readonly deps: VersionsDeps) {}

  async create(principal: Principal, datasetId: string, req: CreateVersionRequest): Promise<CreateVersionResponse> {
    for (let attempt = 1; ; attempt++) {
      const dataset = await this.deps.catalogue.load(datasetId);
      if (dataset.ownerId !== principal.partnerId) throw new NotDatasetOwnerError('deliver versions');
      const n = dataset.nextVersion + 1;
      const incomingKey = incomingKeyOf(datasetId, n);
      const multipart = req.bytes > SINGLE_PUT_LIMIT;
      const partSize = multipart ? partSizeFor(req.bytes) : undefined;
      const uploadId = multipart ? await this.deps.objects.startMultipart(incomingKey) : undefined;
      const now = this.deps.clock.now();
      const version: VersionRecord = {
        datasetId,
        version: n,
        status: 'uploading',
        bytes: req.bytes,
        ...(req.sha256 ? { declaredSha256: req.sha256 } : {}),
        createdAt: now.toISOString(),
        open: false,
        incomingKey,
        sweepAt: uploadDeadline(now),
        ...(uploadId && partSize ? { uploadId, partSize, partCount: partCountFor(req.bytes, partSize) } : {}),
      };
      try {
        await this.deps.store.createVersion(
          dataset,
          version,
          this.deps.audit.record({ actor: actorOf(principal), action: 'dataset.version.created', subject: datasetId, parties: [dataset.ownerId], data: { version: n, bytes: req.bytes } }),
        );
      } catch (error) {
        if (uploadId) await this.deps.objects.abortMultipart(incomingKey, uploadId).catch(() => undefined);
        if (error instanceof StateConflictError && attempt < VERSION_RACE_RETRIES) continue;
        throw error;
      }
      return { version: versionView(version), upload: await this.uploadInstructions(version) };
    }
  }

  async partUrls(principal: Principal, datasetId: string, n: number, partNumbers: readonly number[]) {
    const version = await this.ownVersion(principal, datasetId, n, 'upload parts');
    if (version.status !== 'uploading' || !version.uploadId || !version.partCount) {
      throw new BusinessRuleError(`version ${n} is not a multipart upload in progress`, 'not_multipart');
    }
    const beyond = partNumbers.filter((p) => p > version.partCount!);
    if (beyond.length) throw new InvalidRequestError(`this upload has ${version.partCount} parts; no part ${beyond.join(', ')}`);
    // Fresh URLs keep the upload alive: the sweeper ends it only once the last of them has expired.
    await this.deps.store.transition(datasetId, n, ['uploading'], { sweepAt: uploadDeadline(this.deps.clock.now()) }, undefined).catch((error: unknown) => {
      if (error instanceof StateConflictError) throw new BusinessRuleError(`version ${n} is not a multipart upload in progress`, 'not_multipart', { cause: error });
      throw error;
    });
    const parts = await Promise.all(
      [...new Set(partNumbers)].map(async (partNumber) => ({
        partNumber,
        ...(await this.deps.objects.presignPart(version.incomingKey, version.uploadId!, partNumber, UPLOAD_URL_SECONDS)),
      })),
    );
    return { parts: parts.map(({ partNumber, url }) => ({ partNumber, url })), expiresAt: parts[0]!.expiresAt };
  }

  /** Checks the upload is whole and hands it to ingest; calling it again changes nothing. */
  async complete(principal: Principal, datasetId: string, n: number, req: CompleteUploadRequest): Promise<DatasetVersion> {
    const version = await this.ownVersion(principal, datasetId, n, 'complete uploads');
    if (version.status !== 'uploading') return versionView(version);
    if (version.uploadId) {
      if (req.parts) assertEveryPart(req.parts, version.partCount ?? 0);
      await this.deps.objects.completeMultipart(version.incomingKey, version.uploadId, req.parts);
    }
    const uploaded = await this.deps.objects.head(version.incomingKey);
    if (uploaded === undefined) throw new UploadIncompleteError(`nothing was uploaded for version ${n} yet: PUT the bytes to the upload URL first`);
    const size = uploaded.size;
    const actor = actorOf(principal);
    const parties = [principal.partnerId];
    try {
      if (size !== version.bytes) {
        const reason = `uploaded ${size} bytes where ${version.bytes} were declared`;
        await this.deps.store.transition(datasetId, n, ['uploading'], { status: 'rejected', reason }, this.deps.audit.record({ actor, action: 'dataset.version.rejected', subject: datasetId, parties, data: { version: n, reason } }));
      } else {
        await this.deps.store.transition(datasetId, n, ['uploading'], { status: 'validating', incomingEtag: uploaded.etag, sweepAt: validationDeadline(this.deps.clock.now()) }, this.deps.audit.record({ actor, action: 'dataset.version.uploaded', subject: datasetId, parties, data: { version: n, bytes: size } }));
      }
    } catch (error) {
      // A concurrent complete won: the answer is the same.
      if (!(error instanceof StateConflictError)) throw error;
    }
    return this.get(principal, datasetId, n);
  }

  async get(principal: Principal, datasetId: string, n: number): Promise<DatasetVersion> {
    return versionView(await this.readableVersion(principal, datasetId, n));
  }

  async list(principal: Principal, datasetId: string, page: PageRequest): Promise<Page<DatasetVersion>> {
    const dataset = await this.deps.catalogue.load(datasetId);
    if (dataset.ownerId !== principal.partnerId && !isOfficer(principal) && !(await this.deps.licensees.isLicensee(principal.partnerId, datasetId))) {
      throw new NotDatasetOwnerError('list its versions');
    }
    const result = await this.deps.store.listVersions(datasetId, page);
    return { ...result, items: result.items.map(versionView) };
  }

  /** Removes the bytes and every variant; the hash and the reason stay in the audit trail. */
  async purge(principal: Principal, datasetId: string, n: number, reason: string): Promise<DatasetVersion> {
    const dataset = await this.deps.catalogue.load(datasetId);
    if (dataset.ownerId !== principal.partnerId && !isOfficer(principal)) throw new NotDatasetOwnerError('purge versions');
    const version = await this.deps.store.getVersion(datasetId, n);
    if (!version) throw new VersionNotFoundError(datasetId, n);
    if (version.status !== 'purged') {
      const purgedAt = this.deps.clock.now().toISOString();
      await this.deps.store.transition(
        datasetId,
        n,
        ['uploading', 'validating', 'published', 'rejected', 'failed'],
        { status: 'purged', purgedAt, reason, open: false },
        this.deps.audit.record({
          actor: actorOf(principal),
          action: 'dataset.version.purged',
          subject: datasetId,
          parties: [dataset.ownerId],
          data: { version: n, reason, ...(version.sha256 ? { sha256: version.sha256 } : {}), bytes: version.bytes },
        }),
      );
    }
    // Storage is cleaned after the state says purged, so a failure here is mended by purging again.
    if (version.uploadId) await this.deps.objects.abortMultipart(version.incomingKey, version.uploadId);
    await this.deps.objects.deleteAllVersions(version.incomingKey);
    await this.deps.objects.deletePrefix(objectPrefixOf(datasetId, n));
    await this.deps.variants.dropVariants(datasetId, n);
    await this.deps.objects.deletePrefix(derivedPrefixOf(datasetId, n));
    if (dataset.obligation && version.publishedAt) await this.deps.contracts.removeDelivery(dataset.obligation, { datasetId, version: n, publishedAt: version.publishedAt });
    await this.deps.store.refreshListing(datasetId);
    return this.get(principal, datasetId, n);
  }

  private async uploadInstructions(v: VersionRecord): Promise<CreateVersionResponse['upload']> {
    if (!v.uploadId || !v.partSize || !v.partCount) {
      const put = await this.deps.objects.presignPut(v.incomingKey, v.bytes, UPLOAD_URL_SECONDS);
      return { method: 'PUT', url: put.url, headers: { 'content-length': String(v.bytes) }, expiresAt: put.expiresAt };
    }
    const first = Array.from({ length: Math.min(PART_URL_PAGE, v.partCount) }, (_, i) => i + 1);
    const parts = await Promise.all(first.map(async (partNumber) => ({ partNumber, ...(await this.deps.objects.presignPart(v.incomingKey, v.uploadId!, partNumber, UPLOAD_URL_SECONDS)) })));
    return { uploadId: v.uploadId, partSize: v.partSize, partCount: v.partCount, parts: parts.map(({ partNumber, url }) => ({ partNumber, url })), expiresAt: parts[0]!.expiresAt };
  }

  private async ownVersion(principal: Principal, datasetId: string, n: number, action: string): Promise<VersionRecord> {
    const dataset = await this.deps.catalogue.load(datasetId);
    if (dataset.ownerId !== principal.partnerId) throw new NotDatasetOwnerError(action);
    const version = await this.deps.store.getVersion(datasetId, n);
    if (!version) throw new VersionNotFoundError(datasetId, n);
    return version;
  }

  /** Owners, officers and the dataset's licensees read its versions. */
  private async readableVersion(principal: Principal, datasetId: string, n: number): Promise<VersionRecord> {
    const dataset = await this.deps.catalogue.load(datasetId);
    if (dataset.ownerId !== principal.partnerId && !isOfficer(principal) && !(await this.deps.licensees.isLicensee(principal.partnerId, datasetId))) {
      throw new NotDatasetOwnerError('read its versions');
    }
    const version = await this.deps.store.getVersion(datasetId, n);
    if (!version) throw new VersionNotFoundError(datasetId, n);
    return version;
  }
}
