import type { Clause } from '../../../contracts/clauses/clause.ts';
import { canonicalJson } from '../../../contracts/digest.ts';
import { mergeWithPolicy, type MergeResult } from '../../../contracts/policy/merge.ts';
import type { PolicyPreview, PutPolicyRequest } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { LicenceStore, PolicyStore, StoredOffer } from '../../ports/licensing.ts';
import type { Principal } from '../model.ts';
import { parseRules } from './clause-input.ts';
import { personalFieldsOf } from './offer-service.ts';

/** A preview reads every open offer once; past this many it says it stopped. */
const MAX_OFFERS = 2000;

export interface PolicyPreviewDeps {
  readonly store: LicenceStore;
  readonly policies: PolicyStore;
  readonly catalogue: CatalogueStore;
}

const keyOf = (c: Clause) => canonicalJson(c);
const minus = (a: readonly Clause[], b: readonly Clause[]) => {
  const present = new Set(b.map(keyOf));
  return a.filter((c) => !present.has(keyOf(c)));
};

/** What a draft territory policy would do to the open offers, computed with the very merge licences use. */
export class PolicyPreviewService {
  constructor(private readonly deps: PolicyPreviewDeps) {}

  async preview(principal: Principal, req: PutPolicyRequest): Promise<PolicyPreview> {
    const current = await this.deps.policies.getPolicy();
    const draft = { version: current.version + 1, rules: parseRules(req.rules) };
    const { offers, truncated } = await this.openOffers();
    const datasets = new Map((await this.deps.catalogue.getDatasets([...new Set(offers.map((o) => o.datasetId))])).map((d) => [d.id, d]));
    const items: PolicyPreview['items'] = [];
    for (const offer of offers) {
      const dataset = datasets.get(offer.datasetId);
      if (!dataset) continue;
      for (const audience of offer.audience) {
        const subject = { theme: dataset.theme, classification: dataset.classification, licenseeKind: audience, personalFields: personalFieldsOf(dataset), licenseeIsOwner: false };
        items.push(this.compare(offer, dataset, audience, mergeWithPolicy(offer.clauses, current, subject), mergeWithPolicy(offer.clauses, draft, subject)));
      }
    }
    return { currentVersion: current.version, offers: offers.length, truncated, items };
  }

  private compare(offer: StoredOffer, dataset: DatasetRecord, audience: string, before: MergeResult, after: MergeResult): PolicyPreview['items'][number] {
    const base = { offerId: offer.id, datasetId: dataset.id, datasetTitle: dataset.title, licensor: offer.licensor.name, audience };
    if (!after.ok) return { ...base, outcome: 'refused', violation: after.violation, added: [], removed: [], appliedRules: [] };
    const approval = { ...(before.ok ? { before: before.requiresApproval } : {}), after: after.requiresApproval };
    // An offer the current policy refuses has no effective clauses to compare with.
    if (!before.ok) return { ...base, outcome: 'allowed', added: [], removed: [], appliedRules: after.appliedRules, requiresApproval: approval };
    const added = minus(after.clauses, before.clauses);
    const removed = minus(before.clauses, after.clauses);
    const changed = added.length > 0 || removed.length > 0 || before.requiresApproval !== after.requiresApproval;
    return { ...base, outcome: changed ? 'changed' : 'unchanged', added, removed, appliedRules: after.appliedRules, requiresApproval: approval };
  }

  private async openOffers(): Promise<{ offers: StoredOffer[]; truncated: boolean }> {
    const offers: StoredOffer[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listOffers(undefined, { limit: 100, ...(cursor ? { cursor } : {}) });
      offers.push(...page.items.filter((o) => o.state === 'open'));
      cursor = page.cursor;
    } while (cursor && offers.length < MAX_OFFERS);
    return { offers: offers.slice(0, MAX_OFFERS), truncated: cursor !== undefined || offers.length > MAX_OFFERS };
  }
}
