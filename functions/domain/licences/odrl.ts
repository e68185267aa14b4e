import { addDuration } from '../../../contracts/calendar.ts';
import { CLAUSE_PARAMS, type Clause, type ClauseKind, type ClauseOf, type PositionRef } from '../../../contracts/clauses/clause.ts';
import { digestOf } from '../../../contracts/digest.ts';
import { fillPlaceholders } from '../../../contracts/placeholders.ts';
import type { LicenceDocument } from '../../../schemas/licence.ts';
import { datasetIri, partnerIri } from '../catalogue/dcat.ts';
import { COMPTOIR_ODRL_PROFILE, type ProfileAction, type ProfileLeftOperand } from './odrl-profile.ts';

/**
 * ODRL 2.2 rendering of an effective licence, for data-space connectors (EDC and the like).
 *
 * Where each clause kind lands (every clause lands somewhere, and each node it produces carries
 * `comptoir:clause` = its kind, so a reader can always map ODRL back to the clause catalogue):
 *
 * | clause                 | ODRL construct                                                                                   |
 * |------------------------|--------------------------------------------------------------------------------------------------|
 * | purpose                | permission constraint `purpose isAnyOf <comptoir:purpose/slug>…` (IRIs, not literals)            |
 * | validity               | permission constraints `dateTime gteq from` and `dateTime lt until` (folded with doc.validity)    |
 * | quota                  | permission constraint `count lteq N` with `comptoir:per` = the window (xsd:duration)             |
 * | partner-kinds          | permission constraint `recipient isAnyOf <comptoir:partnerKind/kind>…`                            |
 * | eu-residency           | permission constraint `spatial isPartOf <…/authority/country/EUR>` (the EU in the EU Country NAL) |
 * | exclusion-zones        | permission duty (platform) `comptoir:excludeZone`, refined by zone layer IRI and position fields  |
 * | k-anonymity            | permission duty (platform) `anonymize`, refined by `comptoir:groupSize gteq k`, quasi-identifiers |
 * | drop-fields            | permission duty (platform) `delete`, refined by `comptoir:technique eq drop`, fields              |
 * | redact-fields          | permission duty (platform) `delete`, refined by `comptoir:technique eq redact`, fields            |
 * | pseudonymise-fields    | permission duty (platform) `comptoir:pseudonymise` (⊂ `anonymize`), refined by technique, fields |
 * | generalise-coordinates | permission duty (platform) `comptoir:generaliseCoordinates`, refined by decimals and position     |
 * | share-back             | agreement obligation (licensee) `comptoir:shareBack`, refined by theme, `timeInterval`, grace     |
 * | attribution            | agreement obligation (licensee) `attribute` on the target, refined by the text, names filled in   |
 * | delete-on-expiry       | agreement obligation (licensee) `delete` on the target, `dateTime lteq until + withinDays`        |
 * | usage-report           | agreement obligation (licensee) `inform` the licensor, refined by `timeInterval eq every`         |
 * | no-resale              | prohibition `sell` on the target                                                                 |
 * | no-reidentification    | prohibition `comptoir:reidentify` on the target                                                  |
 *
 * Choices:
 * - Transforms are *pre-conditions* of the permission (ODRL `duty` of the permission): the platform
 *   performs them before it delivers, so the duty's `assignee` and `comptoir:performedBy` are the
 *   platform (`${baseUrl}/platform`), not the licensee.
 * - Obligations are requirements on the licensee that survive single accesses (deletion after expiry,
 *   periodic share-back and reports), so they are the Agreement's `obligation` duties, assigned to the
 *   licensee, rather than pre-conditions of the permission.
 * - Purposes and partner kinds are IRIs under the profile namespace (`comptoir:` =
 *   `${COMPTOIR_ODRL_PROFILE}/`) so they compare as identifiers; field names, themes and texts are
 *   plain literals.
 * - The quota's window is `comptoir:per`, not ODRL `unit`: `unit` names the unit of measure of the
 *   right operand (an IRI such as a currency), not a recurring window.
 * - `maxDuration` runs from `validity.from` (the document is issued when the licence is activated),
 *   and the validity window is the strictest of the document's and every validity clause's bounds.
 * - Every `comptoir:` action, left operand and property is declared in the profile document
 *   (`odrl-profile.ts`, served at `/odrl/profile/v1`); each action is `includedIn` the ODRL action it
 *   refines. Pseudonymisation is its own action: keyed pseudonyms are not anonymous data.
 * - Texts the clauses carry with placeholders (`Données : {{licensor}}`) are exported with the names filled in.
 * - `comptoir:digest` is SHA-256 of the RFC 8785 canonical form of `doc` (the licence digest that the
 *   signatures cover, when `doc` is the signed document), as `xsd:hexBinary`.
 */

export { COMPTOIR_ODRL_PROFILE };

const ODRL = 'http://www.w3.org/ns/odrl/2/';
/** The European Union in the EU Publications Office Country authority table. */
const EU_SPATIAL = 'http://publications.europa.eu/resource/authority/country/EUR';

type Node = Record<string, unknown>;

const vocab = (id: string) => ({ '@id': id, '@type': '@vocab' });
const iriValued = (id: string) => ({ '@id': id, '@type': '@id' });

// Self-contained: connectors never fetch a remote context. Only the terms used below are defined,
// so a JSON-LD processor in safe mode fails on anything else.
const CONTEXT = {
  odrl: ODRL,
  dct: 'http://purl.org/dc/terms/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  comptoir: `${COMPTOIR_ODRL_PROFILE}/`,
  uid: '@id',
  Agreement: 'odrl:Agreement',
  profile: iriValued('odrl:profile'),
  assigner: iriValued('odrl:assigner'),
  assignee: iriValued('odrl:assignee'),
  target: iriValued('odrl:target'),
  informedParty: iriValued('odrl:informedParty'),
  permission: 'odrl:permission',
  prohibition: 'odrl:prohibition',
  obligation: 'odrl:obligation',
  duty: 'odrl:duty',
  constraint: 'odrl:constraint',
  refinement: 'odrl:refinement',
  action: vocab('odrl:action'),
  leftOperand: vocab('odrl:leftOperand'),
  operator: vocab('odrl:operator'),
  rightOperand: 'odrl:rightOperand',
  // actions
  use: 'odrl:use',
  anonymize: 'odrl:anonymize',
  delete: 'odrl:delete',
  attribute: 'odrl:attribute',
  inform: 'odrl:inform',
  sell: 'odrl:sell',
  // left operands
  purpose: 'odrl:purpose',
  dateTime: 'odrl:dateTime',
  count: 'odrl:count',
  recipient: 'odrl:recipient',
  spatial: 'odrl:spatial',
  timeInterval: 'odrl:timeInterval',
  // operators
  eq: 'odrl:eq',
  lt: 'odrl:lt',
  lteq: 'odrl:lteq',
  gteq: 'odrl:gteq',
  isAnyOf: 'odrl:isAnyOf',
  isAllOf: 'odrl:isAllOf',
  isPartOf: 'odrl:isPartOf',
} as const;

// Profile terms are the declared ones only: the compiler refuses an undeclared `comptoir:` term.
type Term = keyof typeof CONTEXT | `comptoir:${ProfileLeftOperand | ProfileAction}` | `odrl:${string}`;

const typed = (value: string | number, type: string) => ({ '@value': value, '@type': type });
const dateTimeLiteral = (v: string) => typed(v, 'xsd:dateTime');
const durationLiteral = (v: string) => typed(v, 'xsd:duration');
const integerLiteral = (n: number) => typed(n, 'xsd:integer');
const ref = (id: string) => ({ '@id': id });

function constraint(leftOperand: Term, operator: Term, rightOperand: unknown, extra: Node = {}): Node {
  return { leftOperand, operator, rightOperand, ...extra };
}

/** An action refined by constraints on how it is exercised (ODRL 2.2 §2.5.2: `rdf:value` + `refinement`). */
function refined(action: `odrl:${string}` | `comptoir:${ProfileAction}`, refinement: Node[]): Node {
  return { 'rdf:value': ref(action), refinement };
}

const fields = (names: readonly string[], leftOperand: `comptoir:${ProfileLeftOperand}` = 'comptoir:field') => constraint(leftOperand, 'isAllOf', [...names]);

function position(p: PositionRef): Node[] {
  return 'geopoint' in p
    ? [constraint('comptoir:geopointField', 'eq', p.geopoint)]
    : [constraint('comptoir:latitudeField', 'eq', p.lat), constraint('comptoir:longitudeField', 'eq', p.lon)];
}

const slugIri = (kind: 'purpose' | 'partnerKind', slug: string) => ref(`comptoir:${kind}/${encodeURIComponent(slug)}`);

/** Checks a clause body against the catalogue; unknown kinds and bad parameters are RangeErrors. */
function checked(body: { kind: string; params: Record<string, unknown> }): Clause {
  if (!Object.hasOwn(CLAUSE_PARAMS, body.kind)) throw new RangeError(`unknown clause kind: ${body.kind}`);
  const kind = body.kind as ClauseKind;
  const parsed = CLAUSE_PARAMS[kind].safeParse(body.params ?? {});
  if (!parsed.success) throw new RangeError(`invalid parameters for clause ${kind}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return { kind, params: parsed.data } as Clause;
}

const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : Date.parse(b) < Date.parse(a) ? b : a);

/** The validity window: the document's, narrowed by every validity clause (maxDuration counted from `from`). */
function window(doc: LicenceDocument, clauses: readonly ClauseOf<'validity'>[]): { from: string; until?: string } {
  let from = doc.validity.from;
  let until = doc.validity.until;
  for (const { params } of clauses) {
    if (params.notBefore && Date.parse(params.notBefore) > Date.parse(from)) from = params.notBefore;
    until = earlier(until, params.notAfter);
    if (params.maxDuration) until = earlier(until, addDuration(doc.validity.from, params.maxDuration));
  }
  return until === undefined ? { from } : { from, until };
}

/** The licence as an ODRL 2.2 Agreement (JSON-LD, self-contained context) under the Comptoir profile. */
export function licenceToOdrl(doc: LicenceDocument, options: { baseUrl: string }): Record<string, unknown> {
  const base = options.baseUrl.replace(/\/+$/, '');
  // The same IRIs as the DCAT catalogue's, which `/partners/{id}`, `/platform` and `/datasets/{id}` resolve.
  const partner = (id: string) => partnerIri(base, id);
  const platform = `${base}/platform`;
  const target = datasetIri(base, doc.dataset.id);
  const licensor = partner(doc.licensor.id);
  const licensee = partner(doc.licensee.id);
  const names = { licensor: doc.licensor.name, licensee: doc.licensee.name, dataset: doc.dataset.title, purpose: doc.purpose };

  const clauses = doc.clauses.map(checked);
  const validityClauses = clauses.filter((c): c is ClauseOf<'validity'> => c.kind === 'validity');
  const { from, until } = window(doc, validityClauses);

  const constraints: Node[] = [];
  const transforms: Node[] = [];
  const obligations: Node[] = [];
  const prohibitions: Node[] = [];

  // The validity window always bounds the permission; it is tagged as the validity clause's when there is one.
  const validityTag = validityClauses.length > 0 ? { 'comptoir:clause': 'validity' } : {};
  constraints.push(constraint('dateTime', 'gteq', dateTimeLiteral(from), validityTag));
  if (until !== undefined) constraints.push(constraint('dateTime', 'lt', dateTimeLiteral(until), validityTag));

  const byPlatform = (kind: ClauseKind, action: Node): Node => ({
    'comptoir:clause': kind,
    action,
    target,
    assignee: platform,
    'comptoir:performedBy': ref(platform),
  });
  const byLicensee = (kind: ClauseKind, body: Node): Node => ({ 'comptoir:clause': kind, assignee: licensee, ...body });
  const forbidden = (kind: ClauseKind, action: Term): Node => ({ 'comptoir:clause': kind, target, assignee: licensee, action });

  for (const c of clauses) {
    const tag = { 'comptoir:clause': c.kind };
    switch (c.kind) {
      case 'purpose':
        constraints.push(constraint('purpose', 'isAnyOf', c.params.allowed.map((p) => slugIri('purpose', p)), tag));
        break;
      case 'validity':
        break; // folded into the dateTime constraints above
      case 'quota':
        constraints.push(constraint('count', 'lteq', integerLiteral(c.params.count), { ...tag, 'comptoir:per': durationLiteral(c.params.per) }));
        break;
      case 'partner-kinds':
        constraints.push(constraint('recipient', 'isAnyOf', c.params.kinds.map((k) => slugIri('partnerKind', k)), tag));
        break;
      case 'eu-residency':
        constraints.push(constraint('spatial', 'isPartOf', ref(EU_SPATIAL), tag));
        break;
      case 'exclusion-zones':
        transforms.push(
          byPlatform(
            c.kind,
            refined('comptoir:excludeZone', [constraint('comptoir:zone', 'eq', ref(`${base}/v1/zones/${encodeURIComponent(c.params.zone)}`)), ...position(c.params.position)]),
          ),
        );
        break;
      case 'k-anonymity':
        transforms.push(
          byPlatform(
            c.kind,
            refined('odrl:anonymize', [
              constraint('comptoir:technique', 'eq', ref('comptoir:technique/k-anonymity')),
              constraint('comptoir:groupSize', 'gteq', integerLiteral(c.params.k)),
              fields(c.params.quasiIdentifiers, 'comptoir:quasiIdentifier'),
            ]),
          ),
        );
        break;
      case 'drop-fields':
        transforms.push(byPlatform(c.kind, refined('odrl:delete', [constraint('comptoir:technique', 'eq', ref('comptoir:technique/drop')), fields(c.params.fields)])));
        break;
      case 'redact-fields':
        transforms.push(byPlatform(c.kind, refined('odrl:delete', [constraint('comptoir:technique', 'eq', ref('comptoir:technique/redact')), fields(c.params.fields)])));
        break;
      case 'pseudonymise-fields':
        transforms.push(
          byPlatform(c.kind, refined('comptoir:pseudonymise', [constraint('comptoir:technique', 'eq', ref('comptoir:technique/hmac-sha256')), fields(c.params.fields)])),
        );
        break;
      case 'generalise-coordinates':
        transforms.push(
          byPlatform(
            c.kind,
            refined('comptoir:generaliseCoordinates', [constraint('comptoir:decimals', 'lteq', integerLiteral(c.params.decimals)), ...position(c.params.position)]),
          ),
        );
        break;
      case 'share-back':
        obligations.push(
          byLicensee(c.kind, {
            action: refined('comptoir:shareBack', [
              constraint('comptoir:theme', 'eq', c.params.theme),
              constraint('timeInterval', 'eq', durationLiteral(c.params.every)),
              constraint('comptoir:gracePeriod', 'lteq', durationLiteral(`P${c.params.graceDays}D`)),
            ]),
          }),
        );
        break;
      case 'attribution':
        obligations.push(byLicensee(c.kind, { target, action: refined('odrl:attribute', [constraint('comptoir:attributionText', 'eq', fillPlaceholders(c.params.text, names))]) }));
        break;
      case 'delete-on-expiry': {
        const grace = `P${c.params.withinDays}D`;
        const deadline = until === undefined ? undefined : c.params.withinDays === 0 ? until : addDuration(until, grace);
        obligations.push(
          byLicensee(c.kind, {
            target,
            action: 'delete',
            constraint: [
              ...(deadline === undefined ? [] : [constraint('dateTime', 'lteq', dateTimeLiteral(deadline))]),
              constraint('comptoir:afterExpiry', 'lteq', durationLiteral(grace)),
            ],
          }),
        );
        break;
      }
      case 'usage-report':
        obligations.push(
          byLicensee(c.kind, { target, informedParty: licensor, action: refined('odrl:inform', [constraint('timeInterval', 'eq', durationLiteral(c.params.every))]) }),
        );
        break;
      case 'no-resale':
        prohibitions.push(forbidden(c.kind, 'sell'));
        break;
      case 'no-reidentification':
        prohibitions.push(forbidden(c.kind, 'comptoir:reidentify'));
        break;
      default: {
        const unreachable: never = c;
        throw new RangeError(`unknown clause kind: ${(unreachable as { kind: string }).kind}`);
      }
    }
  }

  const permission: Node = { target, action: 'use', constraint: constraints, ...(transforms.length > 0 ? { duty: transforms } : {}) };
  return {
    '@context': CONTEXT,
    '@type': 'Agreement',
    uid: `${base}/v1/licences/${encodeURIComponent(doc.licenceId)}`,
    profile: COMPTOIR_ODRL_PROFILE,
    assigner: licensor,
    assignee: licensee,
    target,
    'dct:issued': dateTimeLiteral(doc.issuedAt),
    'dct:title': doc.template.title,
    'comptoir:digest': typed(digestOf(doc), 'xsd:hexBinary'),
    'comptoir:declaredPurpose': slugIri('purpose', doc.purpose),
    permission: [permission],
    ...(prohibitions.length > 0 ? { prohibition: prohibitions } : {}),
    ...(obligations.length > 0 ? { obligation: obligations } : {}),
  };
}

