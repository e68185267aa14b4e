import { createHash } from 'node:crypto';
import type { Clause } from '../../../contracts/clauses/clause.ts';
import { PolicyEngine, type Reason } from '../../../contracts/engine/evaluate.ts';
import type { AccessDecision, AccessRequestBody, Actor } from '../../../schemas/index.ts';
import type { AccessGuards, AccessRecord, AccessStore } from '../../ports/access.ts';
import type { CatalogueStore, DatasetRecord, VersionRecord } from '../../ports/catalogue.ts';
import type { LicenceStore, PolicyStore, StoredLicence } from '../../ports/licensing.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, DependencyError, ForbiddenError, NotFoundError } from '../errors.ts';
import { planTransforms, type TransformPlan, type TransformSpec } from '../enforcement/index.ts';
import type { Principal } from '../model.ts';
import { planCacheKey, versionCacheKey, type AccessCache, type CachedLicence } from './access-cache.ts';
import { LicenceNotFoundError } from './errors.ts';
import { VARIANT_LEASE_MS } from './variant-lease.ts';

/** Download URLs live at most 15 minutes. */
const URL_SECONDS = 900;
const RETRY_AFTER_SECONDS = 2;
/** A prepared access must be collected within the hour (a variant of tens of GB takes minutes). */
const POLL_WINDOW_MS = 3600_000;

export class AccessNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('access', id, options);
  }
}

/** The transforms of a licence as the enforcement plan of one dataset version. */
export interface EnforcementPlan {
  readonly plan: TransformPlan;
  /** Unique per bytes produced: the plan, and the licence when its key pseudonymises. */
  readonly variantKey: string;
}

/** A dataset version a caller has already read, with the licence's enforcement plan for it. */
export interface KnownVersion {
  readonly dataset: DatasetRecord;
  readonly version: VersionRecord;
  readonly enforcement: Awaited<ReturnType<AccessService['enforcementOf']>>;
}

export interface AccessDeps {
  readonly licences: LicenceStore;
  readonly policies: PolicyStore;
  readonly catalogue: CatalogueStore;
  readonly store: AccessStore;
  readonly objects: ObjectStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly engine?: PolicyEngine;
  /** Reads kept in the function's memory (one per process); without it every decision reads the table. */
  readonly cache?: AccessCache;
}

/** A guard of the counting transaction failed: what the decision read has changed. */
const STALE = Symbol('stale');

/** A decision, with the access it recorded when it permits. */
export interface RecordedDecision {
  readonly decision: AccessDecision;
  readonly record?: AccessRecord;
}

const deny = (reasons: Reason[]): AccessDecision => ({ decision: 'deny', reasons });

/** Access under a licence: clauses checked, quota counted atomically, bytes delivered enforced. */
export class AccessService {
  private readonly engine: PolicyEngine;

  constructor(private readonly deps: AccessDeps) {
    this.engine = deps.engine ?? new PolicyEngine();
  }

  async access(principal: Principal, licenceId: string, req: AccessRequestBody): Promise<AccessDecision> {
    const actor = actorOf(principal);
    const cache = this.deps.cache;
    if (!cache) return this.grantUnder(await this.licenseeLicence(principal, licenceId), req, actor);
    // The first attempt may use the cache; a guard that fails sends a second one to the table for every read.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const cached = attempt === 1 ? cache.licences.get(licenceId) : undefined;
      const held = cached ?? (await this.readLicence(licenceId));
      this.mustBeLicensee(principal, licenceId, held?.licence);
      // Kept from the read, not from the last use: a hit does not extend its life.
      if (!cached && held.licence.state === 'active') cache.licences.set(licenceId, held);
      else if (!cached) cache.licences.delete(licenceId);
      const decided = await this.decide(held.licence, req, actor, { revision: held.revision, cachedLicence: cached !== undefined, useCache: attempt === 1 });
      if (decided !== STALE) return decided.decision;
      cache.forget(licenceId, held.licence.datasetId);
    }
    // Changed twice between read and write: rare enough that the caller simply asks again.
    throw new DependencyError('the licence or its dataset changed during the decision; ask again', { retryAfterSeconds: 1 });
  }

  /**
   * The access decision on a licence already authorised, for its licensee or the platform acting for it (feeds);
   * `known` spares the reads (and the enforcement plan) the caller already holds.
   */
  async grantUnder(licence: StoredLicence, req: AccessRequestBody, actor: Actor, known?: KnownVersion): Promise<AccessDecision> {
    return (await this.grantRecordedUnder(licence, req, actor, known)).decision;
  }

  /** `grantUnder`, with the access record a permit wrote: what it names (object, variant) needs no second read. */
  async grantRecordedUnder(licence: StoredLicence, req: AccessRequestBody, actor: Actor, known?: KnownVersion): Promise<RecordedDecision> {
    return (await this.decide(licence, req, actor, known ? { known } : {})) as RecordedDecision;
  }

  /**
   * One decision. With `revision`, the counting transaction checks what was read (licence, dataset, version)
   * and `STALE` comes back when any of it changed; a denial decided on cached reads is `STALE` too, so only
   * fresh reads (or the transaction) ever deny.
   */
  private async decide(licence: StoredLicence, req: AccessRequestBody, actor: Actor, how: { known?: KnownVersion; revision?: number; cachedLicence?: boolean; useCache?: boolean }): Promise<RecordedDecision | typeof STALE> {
    if (licence.state !== 'active') return how.cachedLicence ? STALE : { decision: deny([{ clause: 'validity', message: `the licence is ${licence.state}` }]) };
    const now = this.deps.clock.now().toISOString();
    const request = { purpose: req.purpose, ...(req.region ? { region: req.region } : {}) };
    // Quota counts are not read first: the conditional write that counts the access enforces the limit.
    const decision = this.engine.evaluate(licence.clauses, request, { now, licensee: licence.licensee, activatedAt: licence.activatedAt ?? now, quotaUsed: {} });
    if (decision.decision === 'deny') return how.cachedLicence ? STALE : { decision: deny(decision.reasons) };
    const { known } = how;
    const found = known ? { dataset: known.dataset, version: known.version } : await this.versionOf(licence.datasetId, req.version, how.useCache === true);
    const { dataset, version } = found;
    if (!dataset || !version || version.status !== 'published' || !version.objectKey) {
      throw new BusinessRuleError(req.version ? `version ${req.version} is not published (it may have been purged)` : 'the dataset has no published version yet', 'version_unavailable');
    }

    const enforcement = known ? known.enforcement : await this.cachedEnforcement(licence, how.revision, dataset, version, how.useCache === true);
    if (enforcement && 'denied' in enforcement) return how.useCache ? STALE : { decision: deny([enforcement.denied]) };
    const record: AccessRecord = {
      accessId: this.deps.ids.next('acc'),
      licenceId: licence.id,
      licensorId: licence.licensor.id,
      licenseeId: licence.licensee.id,
      datasetId: dataset.id,
      version: version.version,
      purpose: req.purpose,
      at: now,
      objectKey: version.objectKey,
      ...(enforcement ? { variantKey: enforcement.variantKey } : {}),
      transforms: decision.transforms,
      obligations: decision.obligations,
    };
    // Every access keeps a record, so each accessId handed out can be polled for a fresh URL.
    const ready = !record.variantKey || (await this.deps.store.getVariant(record.variantKey))?.status === 'ready';
    const event = this.deps.audit.record({
      actor,
      action: 'licence.accessed',
      subject: licence.id,
      parties: [licence.licensor.id, licence.licensee.id],
      data: { accessId: record.accessId, datasetId: dataset.id, version: version.version, purpose: req.purpose, transforms: decision.transforms.map((t) => t.kind), ...(record.variantKey ? { variantKey: record.variantKey } : {}) },
    });
    const guards: AccessGuards | undefined =
      how.revision === undefined
        ? undefined
        : {
            licence: { id: licence.id, revision: how.revision },
            // A publication moves the dataset's updatedAt, so a cached latest version is checked by this guard as well.
            dataset: { id: dataset.id, updatedAt: dataset.updatedAt },
            version: { datasetId: dataset.id, version: version.version },
          };
    // The URL is signed while the access is counted: signing needs no I/O, and nothing is returned unless granted.
    const [granted, answer] = await Promise.all([
      this.deps.store.grant(licence.id, record, decision.quotas, event, guards),
      ready ? this.ready(record, record.variantKey ?? record.objectKey, dataset.id) : Promise.resolve(undefined),
    ]);
    if ('stale' in granted) return STALE;
    if (!granted.granted) return { decision: deny(granted.exhausted.map((q) => ({ clause: 'quota', message: `quota of ${q.limit} accesses reached until ${q.windowEnd}` }))) };
    return { decision: answer ?? (await this.answer(record, dataset.id)), record };
  }

  /** The dataset and the version asked for (its latest published one by default), from the cache when both are there. */
  private async versionOf(datasetId: string, asked: number | undefined, useCache: boolean): Promise<{ dataset?: DatasetRecord; version?: VersionRecord }> {
    const cache = this.deps.cache;
    if (cache && useCache) {
      const dataset = cache.datasets.get(datasetId);
      const n = asked ?? dataset?.latestVersion;
      const version = n === undefined ? undefined : cache.versions.get(versionCacheKey(datasetId, n));
      if (dataset && version) return { dataset, version };
    }
    const [dataset, version] = await Promise.all([
      this.deps.catalogue.getDataset(datasetId),
      asked ? this.deps.catalogue.getVersion(datasetId, asked) : this.deps.catalogue.latestPublishedVersion(datasetId),
    ]);
    if (cache && dataset) cache.datasets.set(datasetId, dataset);
    if (cache && version) {
      // Only published versions are kept: their object never changes, and the counting transaction checks they still are.
      if (version.status === 'published' && version.objectKey) cache.versions.set(versionCacheKey(datasetId, version.version), version);
      else cache.versions.delete(versionCacheKey(datasetId, version.version));
    }
    return { ...(dataset ? { dataset } : {}), ...(version ? { version } : {}) };
  }

  /** The enforcement plan, kept per licence revision, dataset state and version unless it depends on a zone layer (which changes on its own). */
  private async cachedEnforcement(licence: StoredLicence, revision: number | undefined, dataset: DatasetRecord, version: VersionRecord, useCache: boolean) {
    const cache = this.deps.cache;
    const cacheable = cache !== undefined && revision !== undefined && !licence.clauses.some((c) => c.kind === 'exclusion-zones');
    const key = planCacheKey(licence.id, revision ?? 0, dataset, version.version);
    const hit = cacheable && useCache ? cache.plans.get(key) : undefined;
    if (hit) return 'none' in hit ? undefined : hit;
    const enforcement = await this.enforcementOf(licence, dataset.format, dataset.schema?.fields ?? [], version);
    if (cacheable) cache.plans.set(key, enforcement ?? { none: true });
    return enforcement;
  }

  /** The same answer later: the URL once the enforced variant exists. */
  async poll(principal: Principal, accessId: string): Promise<AccessDecision> {
    const record = await this.deps.store.getAccess(accessId);
    if (!record || record.licenseeId !== principal.partnerId) throw new AccessNotFoundError(accessId);
    // The access was granted then; the bytes are handed out only while that still holds.
    const now = this.deps.clock.now().getTime();
    if (now - Date.parse(record.at) > POLL_WINDOW_MS) return deny([{ clause: 'validity', message: 'this access is too old to be collected; ask again' }]);
    const [licence, version] = await Promise.all([this.deps.licences.getLicence(record.licenceId), this.deps.catalogue.getVersion(record.datasetId, record.version)]);
    if (licence?.state !== 'active') return deny([{ clause: 'validity', message: `the licence is ${licence?.state ?? 'gone'}` }]);
    if (version?.status !== 'published') return deny([{ clause: 'validity', message: `version ${record.version} is no longer published` }]);
    return this.answer(record, record.datasetId, { polling: true });
  }

  /** The transforms of a licence for one version: zones loaded, fields checked, variant key derived. */
  async enforcementOf(licence: StoredLicence, format: string, fields: Parameters<typeof planTransforms>[1], version: VersionRecord): Promise<EnforcementPlan | { denied: Reason } | undefined> {
    // Fields flagged personal now are pseudonymised even if the flag came after the licence was signed.
    const personal = fields.filter((f) => f.personal).map((f) => f.name);
    const transforms: Clause[] = [
      ...licence.clauses.filter((c) => ['exclusion-zones', 'k-anonymity', 'drop-fields', 'redact-fields', 'pseudonymise-fields', 'generalise-coordinates'].includes(c.kind)),
      ...(personal.length ? [{ kind: 'pseudonymise-fields', params: { fields: personal } } as Clause] : []),
    ];
    if (transforms.length === 0) return undefined;
    if (format !== 'csv') return { denied: { clause: transforms[0]!.kind, message: `transforms are enforced on CSV datasets; this one is ${format}` } };
    const specs: TransformSpec[] = [];
    for (const c of transforms) {
      const spec = await this.specOf(c);
      if ('denied' in spec) return spec;
      specs.push(spec);
    }
    let plan: TransformPlan;
    try {
      plan = planTransforms(specs, fields);
    } catch (error) {
      return { denied: { clause: transforms[0]!.kind, message: (error as Error).message } };
    }
    const perLicence = plan.steps.some((s) => s.kind === 'pseudonymise-fields') ? licence.id : '';
    const id = createHash('sha256').update(`${plan.fingerprint}:${perLicence}`).digest('hex').slice(0, 32);
    return { plan, variantKey: `derived/${version.datasetId}/v${version.version}/${id}.csv` };
  }

  private async specOf(c: Clause): Promise<TransformSpec | { denied: Reason }> {
    switch (c.kind) {
      case 'exclusion-zones': {
        const zone = await this.deps.policies.getZone(c.params.zone);
        // Fail closed: without its zones a variant could leak the rows they exclude.
        if (!zone) return { denied: { clause: 'exclusion-zones', message: `zone layer ${c.params.zone} is missing` } };
        return { kind: 'exclusion-zones', position: c.params.position, polygons: zone.layer.features.map((f) => f.geometry) };
      }
      case 'k-anonymity':
        return { kind: 'k-anonymity', k: c.params.k, quasiIdentifiers: c.params.quasiIdentifiers };
      case 'drop-fields':
      case 'redact-fields':
      case 'pseudonymise-fields':
        return { kind: c.kind, fields: c.params.fields };
      case 'generalise-coordinates':
        return { kind: 'generalise-coordinates', position: c.params.position, decimals: c.params.decimals };
      default:
        return { denied: { clause: c.kind, message: `${c.kind} is not a transform` } };
    }
  }

  private base(record: AccessRecord) {
    return { decision: 'permit' as const, accessId: record.accessId, version: record.version, transforms: record.transforms, obligations: record.obligations };
  }

  private async ready(record: AccessRecord, key: string, datasetId: string): Promise<AccessDecision> {
    const name = `${datasetId}-v${record.version}${record.variantKey ? '-enforced' : ''}.csv`;
    const url = await this.deps.objects.presignGet(key, URL_SECONDS, name);
    return { ...this.base(record), status: 'ready', url: url.url, expiresAt: url.expiresAt };
  }

  private async answer(record: AccessRecord, datasetId: string, options: { polling?: boolean } = {}): Promise<AccessDecision> {
    if (!record.variantKey) return this.ready(record, record.objectKey, datasetId);
    const variant = await this.deps.store.getVariant(record.variantKey);
    if (variant?.status === 'ready') return this.ready(record, record.variantKey, datasetId);
    const base = this.base(record);
    if (variant?.status === 'failed') throw new BusinessRuleError(`the enforced variant could not be built: ${variant.error ?? 'unknown error'}; ask again to retry`, 'variant_failed');
    // A poll never starts a build: a lapsed lease, or no build a whole lease after the access, means the builder is gone.
    const now = this.deps.clock.now().getTime();
    const stalled = variant ? Date.parse(variant.leaseUntil ?? '') < now : now - Date.parse(record.at) > VARIANT_LEASE_MS;
    if (options.polling && stalled) throw new BusinessRuleError('the enforced variant is no longer being built (its builder stopped); ask again to rebuild it', 'variant_stalled');
    return { ...base, status: 'preparing', retryAfter: RETRY_AFTER_SECONDS };
  }

  /** The licence the caller holds as licensee: 404 to strangers, 403 to the licensor. */
  async licenseeLicence(principal: Principal, id: string): Promise<StoredLicence> {
    const licence = await this.deps.licences.getLicence(id);
    this.mustBeLicensee(principal, id, licence);
    return licence;
  }

  private async readLicence(id: string): Promise<CachedLicence> {
    const held = await this.deps.licences.readLicence(id);
    if (!held) throw new LicenceNotFoundError(id);
    return held;
  }

  /** The parties of a licence never change, so a cached licence answers this as well as a fresh one. */
  private mustBeLicensee(principal: Principal, id: string, licence: StoredLicence | undefined): asserts licence is StoredLicence {
    if (!licence || (licence.licensee.id !== principal.partnerId && licence.licensor.id !== principal.partnerId)) throw new LicenceNotFoundError(id);
    if (licence.licensee.id !== principal.partnerId) throw new ForbiddenError('only the licensee accesses data under a licence', 'licensee_only');
  }
}
