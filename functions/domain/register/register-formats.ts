import type { LicenceDocument, Register, RegisterEntry } from '../../../schemas/index.ts';
import { datasetIri, partnerIri } from '../catalogue/dcat.ts';
import { COMPTOIR_ODRL_PROFILE } from '../licences/odrl-profile.ts';
import { licenceToOdrl } from '../licences/odrl.ts';

// Self-contained: harvesters never fetch a remote context.
const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  odrl: 'http://www.w3.org/ns/odrl/2/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  comptoir: `${COMPTOIR_ODRL_PROFILE}/`,
};

/** The register page as JSON-LD: DCAT-AP datasets, the ODRL agreements as `GET /v1/licences/{id}/odrl` exports them, and the audit events that prove each entry. */
export function registerJsonLd(baseUrl: string, register: Register, documents: ReadonlyMap<string, LicenceDocument>, nextUrl: string | undefined): Record<string, unknown> {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    '@context': CONTEXT,
    '@id': `${base}/open/register.jsonld`,
    '@type': 'comptoir:Register',
    'dct:title': { '@value': 'Registre des partages', '@language': 'fr' },
    ...(nextUrl ? { 'hydra:next': { '@id': nextUrl } } : {}),
    'comptoir:entry': register.items.map((e) => entryNode(base, e, documents.get(e.licenceId))),
    'comptoir:contract': register.contracts.map((c) => ({
      '@id': `${base}/open/register#contract-${encodeURIComponent(c.contractId)}`,
      '@type': 'comptoir:ServiceContract',
      'dct:title': c.service,
      'comptoir:operator': agent(base, c.operator),
      'comptoir:obligation': c.obligations.map((o) => ({ 'dct:identifier': o.obligationId, 'dct:title': o.title, 'comptoir:every': { '@value': o.every, '@type': 'xsd:duration' }, 'comptoir:status': o.status })),
    })),
    'comptoir:optOut': register.optOuts.map((o) => ({ 'comptoir:theme': o.theme, 'comptoir:legalBasis': o.legalBasis })),
  };
}

function entryNode(base: string, e: RegisterEntry, doc: LicenceDocument | undefined): Record<string, unknown> {
  const dataset = {
    '@id': datasetIri(base, e.dataset.id),
    '@type': 'dcat:Dataset',
    'dct:identifier': { '@value': e.dataset.id },
    ...(e.dataset.title ? { 'dct:title': e.dataset.title } : {}),
    'dct:publisher': agent(base, e.dataset.publisher),
  };
  // A masked entry's agreement would name the purpose: only the parties and the reason are published.
  const agreement = doc && !e.masked ? licenceToOdrl(doc, { baseUrl: base }) : { '@type': 'odrl:Agreement', 'odrl:assigner': { '@id': partnerIri(base, e.dataset.publisher.id) }, 'odrl:assignee': { '@id': partnerIri(base, e.licensee.id) } };
  return {
    '@id': `${base}/open/register#${encodeURIComponent(e.licenceId)}`,
    '@type': 'comptoir:RegisterEntry',
    'comptoir:state': e.state,
    'comptoir:from': { '@value': e.period.from, '@type': 'xsd:dateTime' },
    ...(e.period.until ? { 'comptoir:until': { '@value': e.period.until, '@type': 'xsd:dateTime' } } : {}),
    ...(e.masked ? { 'comptoir:maskedReason': e.masked.reason } : {}),
    ...(e.end?.reason ? { 'comptoir:endReason': e.end.reason } : {}),
    'comptoir:licensee': agent(base, e.licensee),
    'comptoir:dataset': dataset,
    'comptoir:agreement': agreement,
    'comptoir:proof': e.proofs.map((p) => ({ 'comptoir:seq': p.seq, 'comptoir:action': p.action, 'comptoir:hash': { '@value': p.hash, '@type': 'xsd:hexBinary' }, 'comptoir:bodyHash': { '@value': p.bodyHash, '@type': 'xsd:hexBinary' } })),
  };
}

const agent = (base: string, p: { id: string; name: string }) => ({ '@id': partnerIri(base, p.id), '@type': 'foaf:Agent', 'foaf:name': p.name });

/** The columns of the CSV register, in order. */
export const REGISTER_CSV_COLUMNS = [
  'licence_id', 'dataset_id', 'dataset_title', 'theme', 'classification', 'publisher_id', 'publisher_name', 'publisher_kind',
  'licensee_id', 'licensee_name', 'licensee_kind', 'purpose', 'state', 'from', 'until', 'consideration', 'credits',
  'approval_required', 'approved_at', 'end_state', 'end_at', 'end_reason', 'masked_reason', 'clauses', 'proofs',
] as const;

/** One row per entry (RFC 4180, CRLF); clauses one per line inside their cell, proofs as `seq:hash`. */
export function registerCsv(register: Register): string {
  const rows = register.items.map((e) => {
    const credits = e.consideration.kind === 'free' ? undefined : e.consideration.credits;
    const row: Record<(typeof REGISTER_CSV_COLUMNS)[number], string | number | boolean | undefined> = {
      licence_id: e.licenceId, dataset_id: e.dataset.id, dataset_title: e.dataset.title, theme: e.dataset.theme, classification: e.dataset.classification,
      publisher_id: e.dataset.publisher.id, publisher_name: e.dataset.publisher.name, publisher_kind: e.dataset.publisher.kind,
      licensee_id: e.licensee.id, licensee_name: e.licensee.name, licensee_kind: e.licensee.kind, purpose: e.purpose, state: e.state,
      from: e.period.from, until: e.period.until, consideration: e.consideration.kind, credits, approval_required: e.approval.required, approved_at: e.approval.approvedAt,
      end_state: e.end?.state, end_at: e.end?.at, end_reason: e.end?.reason, masked_reason: e.masked?.reason,
      clauses: e.clauses.join('\n'), proofs: e.proofs.map((p) => `${p.seq}:${p.hash}`).join(' '),
    };
    return REGISTER_CSV_COLUMNS.map((c) => cell(row[c])).join(',');
  });
  return [REGISTER_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

// A spreadsheet runs a cell that starts like a formula: such text is published with a leading apostrophe.
const FORMULA = /^[=+\-@\t\r]/;

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' && FORMULA.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
