import type { Clause } from '../../../contracts/clauses/clause.ts';
import type { Dataset, RegisterEntry, RegisterOptOut, RegisterQuery, RegisterState } from '../../../schemas/index.ts';
import type { StoredLicence } from '../../ports/licensing.ts';
import type { StoredRegisterMask } from '../../ports/register.ts';
import { clauseTexts } from '../licences/licence-document.ts';

/** The licence states a register entry can be in: the licence is or was in force. */
export const REGISTER_STATES: readonly RegisterState[] = ['active', 'suspended', 'expired', 'terminated', 'revoked'];
const ENDS = new Set<string>(['expired', 'terminated', 'revoked']);
/** Clauses whose text names the purpose or carries free text about the data: withheld while an entry is masked. */
const MASKED_KINDS = new Set<string>(['purpose', 'attribution']);
const MASKED_VALUES = { dataset: 'jeu de données masqué', purpose: 'finalité masquée' };
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi;

/** Free text published on the register (reasons, clause texts) with e-mail addresses taken out: people are never named by their address. */
export const withoutEmails = (text: string): string => text.replace(EMAIL, '[adresse retirée]');

/** The dataset facts an entry shows (the current metadata, or the signed document's when the dataset is gone). */
export type RegisterDataset = Pick<Dataset, 'id' | 'title' | 'theme' | 'classification'>;

/** What an entry is rendered from; every field but the licence is looked up by the service. */
export interface EntrySources {
  readonly licence: StoredLicence;
  readonly dataset: RegisterDataset | undefined;
  readonly consideration: RegisterEntry['consideration'];
  readonly mask: StoredRegisterMask | undefined;
  readonly proofs: RegisterEntry['proofs'];
}

/** Whether a licence belongs on the register: it was in force, on data that is not open, in a category not opted out. */
export function isRegistered(licence: StoredLicence, dataset: RegisterDataset | undefined, optOuts: readonly RegisterOptOut[]): boolean {
  if (!licence.activatedAt || !REGISTER_STATES.includes(licence.state as RegisterState)) return false;
  if (dataset?.classification === 'open') return false;
  return !optOuts.some((o) => o.theme === dataset?.theme);
}

/** Whether an entry matches the query's filters (the state and the licensee may already have chosen the list read). */
export function matches(entry: Pick<RegisterEntry, 'licensee' | 'dataset' | 'state' | 'period'>, query: RegisterQuery): boolean {
  if (query.datasetId && entry.dataset.id !== query.datasetId) return false;
  if (query.licenseeId && entry.licensee.id !== query.licenseeId) return false;
  if (query.theme && entry.dataset.theme !== query.theme) return false;
  if (query.state && entry.state !== query.state) return false;
  // In force at some point of [from, until]: it started before the period ends and ended after it starts.
  if (query.until && entry.period.from.slice(0, 10) > query.until) return false;
  if (query.from && entry.period.until && entry.period.until.slice(0, 10) < query.from) return false;
  return true;
}

/** One register entry: organisations only (public profiles), no key, no person, no e-mail. */
export function registerEntry(s: EntrySources): RegisterEntry {
  const { licence, dataset, mask } = s;
  const masked = mask?.masked === true;
  const last = licence.history.at(-1);
  const ended = last && ENDS.has(licence.state) && last.state === licence.state ? last : undefined;
  const until = ended?.at ?? licence.expiresAt;
  const clauses = masked ? maskedTexts(licence) : licence.texts.fr;
  return {
    licenceId: licence.id,
    dataset: {
      id: licence.datasetId,
      ...(masked ? {} : { title: dataset?.title ?? licence.document?.dataset.title ?? licence.datasetId }),
      ...(dataset ? { theme: dataset.theme, classification: dataset.classification } : {}),
      publisher: profile(licence.licensor),
    },
    licensee: profile(licence.licensee),
    ...(masked ? {} : { purpose: licence.purpose }),
    state: licence.state as RegisterState,
    period: { from: licence.activatedAt!, ...(until ? { until } : {}) },
    clauses: clauses.map(withoutEmails),
    consideration: s.consideration,
    approval: { required: licence.requiresApproval, ...(licence.approval ? { approvedAt: licence.approval.at } : {}) },
    ...(ended
      ? { end: { state: ended.state as 'expired' | 'terminated' | 'revoked', at: ended.at, ...(ended.state === 'revoked' && ended.reason ? { reason: withoutEmails(ended.reason) } : {}) } }
      : {}),
    ...(masked && mask.reason && mask.since ? { masked: { reason: withoutEmails(mask.reason), since: mask.since } } : {}),
    proofs: s.proofs,
  };
}

/** The clause texts of a masked entry, from the same wording as the licence, without what names the data or the purpose. */
function maskedTexts(licence: StoredLicence): string[] {
  const kept: Clause[] = licence.clauses.filter((c) => !MASKED_KINDS.has(c.kind));
  return clauseTexts(kept, { licensor: licence.licensor.name, licensee: licence.licensee.name, ...MASKED_VALUES }).fr;
}

// Only the public profile, whatever else the stored record carries.
const profile = (p: { id: string; name: string; kind: RegisterEntry['licensee']['kind'] }) => ({ id: p.id, name: p.name, kind: p.kind });
