import { MODE_OF, type Clause, type PositionRef } from '../../../contracts/clauses/clause.ts';
import { digestOf } from '../../../contracts/digest.ts';
import { mergeWithPolicy } from '../../../contracts/policy/merge.ts';
import { templateById } from '../../../contracts/templates.ts';
import type { CreateOfferRequest, Offer } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LicenceStore, PolicyStore, StoredOffer } from '../../ports/licensing.ts';
import type { Signer } from '../../ports/signer.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { DatasetNotFoundError, NotDatasetOwnerError } from '../catalogue/errors.ts';
import { BusinessRuleError, NotFoundError, UnauthenticatedError } from '../errors.ts';
import type { Page, PageRequest, Principal } from '../model.ts';
import { parseClauses } from './clause-input.ts';

export class OfferNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('offer', id, options);
  }
}

export interface OfferDeps {
  readonly store: LicenceStore;
  readonly policies: PolicyStore;
  readonly catalogue: CatalogueStore;
  readonly identity: IdentityStore;
  readonly signer: Signer;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Personal fields of a dataset's schema. */
export const personalFieldsOf = (d: DatasetRecord) => d.schema?.fields.filter((f) => f.personal).map((f) => f.name) ?? [];

/** The public view of an offer: the signed document's `offerId` is its `id`. */
export const offerView = (o: StoredOffer): Offer => {
  const { ownerId: _owner, offerId: _id, ...view } = o;
  return view;
};

/** Offers: an owner's terms for a dataset, checked against the territory policy and countersigned. */
export class OfferService {
  constructor(private readonly deps: OfferDeps) {}

  async create(principal: Principal, req: CreateOfferRequest): Promise<Offer> {
    const dataset = await this.deps.catalogue.getDataset(req.datasetId);
    if (!dataset) throw new DatasetNotFoundError(req.datasetId);
    if (dataset.ownerId !== principal.partnerId) throw new NotDatasetOwnerError('offer it');
    const template = templateById(req.template);
    if (!template) throw new BusinessRuleError(`no licence template ${req.template} (see GET /v1/licence-templates)`, 'unknown_template');
    if (template.openData && dataset.classification !== 'open') {
      throw new BusinessRuleError(`${template.id} is an open-data licence; the dataset is ${dataset.classification}`, 'open_template_needs_open_data');
    }
    const clauses = [...template.defaultClauses, ...parseClauses(req.clauses, ['clauses'])];
    this.assertFieldsExist(clauses, dataset);
    await this.assertZonesExist(clauses);
    const policy = await this.deps.policies.getPolicy();
    for (const kind of req.audience) {
      const merged = mergeWithPolicy(clauses, policy, { theme: dataset.theme, classification: dataset.classification, licenseeKind: kind, personalFields: personalFieldsOf(dataset), licenseeIsOwner: false });
      if (!merged.ok) {
        throw new BusinessRuleError(`refused by territory rule ${merged.violation.rule}: ${merged.violation.message}`, 'policy_violation', { details: [{ ...merged.violation, audience: kind }] });
      }
    }
    const owner = await this.deps.identity.getPartner(principal.partnerId);
    if (!owner) throw new UnauthenticatedError();
    const createdAt = this.deps.clock.now().toISOString();
    const document = {
      offerId: this.deps.ids.next('off'),
      datasetId: dataset.id,
      licensor: { id: owner.id, name: owner.name, kind: owner.kind },
      template: template.id,
      clauses,
      ...(req.price ? { price: req.price } : {}),
      ...(req.barter ? { barter: req.barter } : {}),
      approval: req.approval,
      audience: [...req.audience].sort(),
      policyVersion: policy.version,
      createdAt,
    };
    const digest = digestOf(document);
    // The owner's act, authenticated by its key, recorded under the platform's signature.
    const offeredBy = { partnerId: principal.partnerId, keyId: principal.keyId, at: createdAt };
    const signature = { ...(await this.deps.signer.sign(digestOf({ offer: digest, offeredBy }))), offeredBy };
    const offer: StoredOffer = { id: document.offerId, ...document, state: 'open', digest, signature, ownerId: owner.id };
    await this.deps.store.createOffer(
      offer,
      this.deps.audit.record({ actor: actorOf(principal), action: 'offer.created', subject: offer.id, parties: [owner.id], data: { datasetId: dataset.id, template: template.id, digest, audience: offer.audience } }),
    );
    return offerView(offer);
  }

  async list(_principal: Principal, datasetId: string | undefined, page: PageRequest): Promise<Page<Offer>> {
    const result = await this.deps.store.listOffers(datasetId, page);
    return { ...result, items: result.items.map(offerView) };
  }

  async withdraw(principal: Principal, id: string): Promise<void> {
    const offer = await this.deps.store.getOffer(id);
    if (!offer) throw new OfferNotFoundError(id);
    if (offer.ownerId !== principal.partnerId) throw new NotDatasetOwnerError('withdraw its offers');
    await this.deps.store.withdrawOffer(id, this.deps.audit.record({ actor: actorOf(principal), action: 'offer.withdrawn', subject: id, parties: [offer.ownerId], data: { datasetId: offer.datasetId } }));
  }

  /** Transform clauses must name fields of the dataset's schema. */
  private assertFieldsExist(clauses: readonly Clause[], dataset: DatasetRecord): void {
    const known = new Set(dataset.schema?.fields.map((f) => f.name) ?? []);
    const named = clauses.flatMap((c) => {
      if (MODE_OF[c.kind] !== 'transform') return [];
      const p = c.params as { fields?: string[]; quasiIdentifiers?: string[]; position?: PositionRef };
      const position = p.position ? ('geopoint' in p.position ? [p.position.geopoint] : [p.position.lat, p.position.lon]) : [];
      return [...(p.fields ?? []), ...(p.quasiIdentifiers ?? []), ...position];
    });
    const unknown = [...new Set(named.filter((f) => !known.has(f)))];
    if (unknown.length) throw new BusinessRuleError(`the dataset's schema has no field ${unknown.join(', ')}`, 'unknown_field');
  }

  private async assertZonesExist(clauses: readonly Clause[]): Promise<void> {
    for (const c of clauses) {
      if (c.kind === 'exclusion-zones' && !(await this.deps.policies.getZone(c.params.zone))) {
        throw new BusinessRuleError(`no zone layer ${c.params.zone} (officers publish them with PUT /v1/zones/{name})`, 'unknown_zone');
      }
    }
  }
}
