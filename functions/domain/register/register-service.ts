import type { Contract, LicenceDocument, Register, RegisterContract, RegisterEntry, RegisterOptOut, RegisterQuery, RegisterState } from '../../../schemas/index.ts';
import type { AuditChainStore } from '../../ports/audit.ts';
import type { BarterStore } from '../../ports/barters.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LicenceStore, PolicyStore, StoredLicence, StoredOffer } from '../../ports/licensing.ts';
import type { RegisterMaskStore } from '../../ports/register.ts';
import type { Clock } from '../../ports/time.ts';
import type { Page } from '../model.ts';
import { registerCsv, registerJsonLd } from './register-formats.ts';
import { isRegistered, matches, type RegisterDataset, registerEntry } from './register-entry.ts';

/** How a DSP contract's obligations stand, as the contracts service computes it for officers. */
export type ComplianceOf = (contract: Contract, asOf: string) => Promise<{ obligationId: string; status: RegisterContract['obligations'][number]['status']; nextDue?: string }[]>;

export interface RegisterDeps {
  readonly licences: LicenceStore;
  readonly policies: PolicyStore;
  readonly catalogue: CatalogueStore;
  readonly barters: BarterStore;
  readonly masks: RegisterMaskStore;
  readonly audit: Pick<AuditChainStore, 'entriesOfSubject'>;
  readonly contracts: ContractStore;
  readonly compliance: ComplianceOf;
  readonly identity: Pick<IdentityStore, 'getPartner'>;
  readonly clock: Clock;
}

const DEFAULT_LIMIT = 20;
/** A page reads at most this many pages of licences: a narrow filter answers a short page with a cursor instead of scanning on. */
const MAX_READS = 10;
const PROOF_LIMIT = 100;
const MAX_CONTRACT_PAGES = 10;
// Accesses and duties are the licence's use, not its grant: the register proves the grant, its approval, masking and end.
/** Whether an audit event about a licence proves its register entry (its grant, approval, masking or end; not its use). */
export const isProof = (action: string): boolean => (action.startsWith('licence.') || action.startsWith('register.')) && action !== 'licence.accessed' && !action.startsWith('licence.duty.');
const BARTER_REASON = /^barter (\S+)$/;

/** The public register of data sharing: who receives which non-open data, for what, under which clauses; and what DSP operators owe. */
export class RegisterService {
  constructor(private readonly deps: RegisterDeps) {}

  async list(query: RegisterQuery): Promise<Register> {
    return (await this.page(query)).register;
  }

  /** The page as JSON-LD, with a Hydra link to the next page. */
  async jsonLd(baseUrl: string, query: RegisterQuery): Promise<Record<string, unknown>> {
    const { register, documents } = await this.page(query);
    return registerJsonLd(baseUrl, register, documents, nextUrl(baseUrl, '/open/register.jsonld', query, register.cursor));
  }

  /** The page as CSV, and the URL of the next page (sent as a `Link` header). */
  async csv(baseUrl: string, query: RegisterQuery): Promise<{ csv: string; next?: string }> {
    const { register } = await this.page(query);
    const next = nextUrl(baseUrl, '/open/register.csv', query, register.cursor);
    return { csv: registerCsv(register), ...(next ? { next } : {}) };
  }

  private async page(query: RegisterQuery): Promise<{ register: Register; documents: Map<string, LicenceDocument> }> {
    const [policy, contracts] = await Promise.all([this.deps.policies.getPolicy(), this.contracts()]);
    const optOuts = policy.registerOptOuts ?? [];
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items: RegisterEntry[] = [];
    const documents = new Map<string, LicenceDocument>();
    let cursor = query.cursor;
    for (let reads = 0; reads < MAX_READS && items.length < limit; reads++) {
      const page = await this.read(query, cursor, limit - items.length);
      const entries = await this.entries(page.items, optOuts, query);
      items.push(...entries);
      for (const l of page.items) if (l.document && entries.some((e) => e.licenceId === l.id)) documents.set(l.id, l.document);
      cursor = page.cursor;
      if (!cursor) break;
    }
    return { register: { items, ...(cursor ? { cursor } : {}), contracts, optOuts }, documents };
  }

  /** The list that holds the fewest licences besides the ones asked for: a state's, a licensee's, or all of them. */
  private read(query: RegisterQuery, cursor: string | undefined, limit: number): Promise<Page<StoredLicence>> {
    const page = { limit, ...(cursor ? { cursor } : {}) };
    if (query.state) return this.deps.licences.listByState(query.state, page);
    if (query.licenseeId) return this.deps.licences.listByParty(query.licenseeId, page);
    return this.deps.licences.listByState(undefined, page);
  }

  private async entries(licences: readonly StoredLicence[], optOuts: readonly RegisterOptOut[], query: RegisterQuery): Promise<RegisterEntry[]> {
    const datasets = new Map<string, RegisterDataset>((await this.deps.catalogue.getDatasets([...new Set(licences.map((l) => l.datasetId))])).map((d) => [d.id, d]));
    const kept = licences.filter((l) => isRegistered(l, datasets.get(l.datasetId), optOuts));
    const masks = await this.deps.masks.getMany(kept.map((l) => l.id));
    const offers = new Map<string, Promise<StoredOffer | undefined>>();
    const offerOf = (id: string) => offers.get(id) ?? offers.set(id, this.deps.licences.getOffer(id)).get(id)!;
    const entries = await Promise.all(
      kept.map(async (licence) => {
        const [consideration, proofs] = await Promise.all([this.consideration(licence, offerOf), this.proofs(licence.id)]);
        return registerEntry({ licence, dataset: datasets.get(licence.datasetId), consideration, mask: masks.get(licence.id), proofs });
      }),
    );
    return entries.filter((e) => matches(e, query));
  }

  private async consideration(licence: StoredLicence, offerOf: (id: string) => Promise<StoredOffer | undefined>): Promise<RegisterEntry['consideration']> {
    const barterId = BARTER_REASON.exec(licence.history[0]?.reason ?? '')?.[1];
    if (barterId) {
      const barter = await this.deps.barters.getBarter(barterId);
      const counterpart = barter && (barter.want.licenceId === licence.id ? barter.give.licenceId : barter.want.licenceId);
      // Balancing credits are paid by the proposer, who receives the `want` side.
      const credits = barter?.credits && barter.want.licenceId === licence.id ? barter.credits : undefined;
      return { kind: 'barter', ...(counterpart ? { counterpartLicenceId: counterpart } : {}), ...(credits ? { credits } : {}) };
    }
    const credits = (await offerOf(licence.offerId))?.price?.credits;
    return credits ? { kind: 'credits', credits } : { kind: 'free' };
  }

  private async proofs(licenceId: string): Promise<RegisterEntry['proofs']> {
    const page = await this.deps.audit.entriesOfSubject(licenceId, 0, PROOF_LIMIT);
    return page.entries.filter((e) => isProof(e.body.action)).map((e) => ({ seq: e.seq, action: e.body.action, bodyHash: e.bodyHash, hash: e.hash }));
  }

  /** Every DSP contract with the compliance of each obligation today. */
  private async contracts(): Promise<RegisterContract[]> {
    const all: Contract[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_CONTRACT_PAGES; pages++) {
      const page = await this.deps.contracts.listContracts({ limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.cursor;
      if (!cursor) break;
    }
    const asOf = this.deps.clock.now().toISOString();
    return Promise.all(
      all.map(async (c) => {
        const [operator, compliance] = await Promise.all([this.deps.identity.getPartner(c.operatorId), this.deps.compliance(c, asOf)]);
        const status = new Map(compliance.map((o) => [o.obligationId, o]));
        return {
          contractId: c.id,
          operator: operator ? { id: operator.id, name: operator.name, kind: operator.kind } : { id: c.operatorId, name: c.operatorId, kind: 'dsp' as const },
          service: c.service,
          startsOn: c.startsOn,
          endsOn: c.endsOn,
          obligations: c.obligations.map((o) => ({
            obligationId: o.id,
            title: o.title,
            every: o.every,
            status: status.get(o.id)?.status ?? 'missing',
            ...(status.get(o.id)?.nextDue ? { nextDue: status.get(o.id)!.nextDue! } : {}),
          })),
        };
      }),
    );
  }
}

export type { RegisterState };

/** The same filters, from the next cursor on. */
function nextUrl(baseUrl: string, path: string, query: RegisterQuery, cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const params = Object.entries({ ...query, cursor }).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]]));
  return `${baseUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(params)}`;
}
