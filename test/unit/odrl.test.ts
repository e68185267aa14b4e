import jsonld from 'jsonld';
import { DataFactory, Parser, Store, type Quad, type Term } from 'n3';
import { describe, expect, it } from 'vitest';
import { CLAUSE_KINDS, type ClauseKind, type ClauseOf } from '../../contracts/clauses/clause.ts';
import { digestOf } from '../../contracts/digest.ts';
import { COMPTOIR_ODRL_PROFILE, licenceToOdrl } from '../../functions/domain/licences/odrl.ts';
import { comptoirOdrlProfile } from '../../functions/domain/licences/odrl-profile.ts';
import type { LicenceDocument } from '../../schemas/licence.ts';

const { namedNode, literal } = DataFactory;

const BASE = 'https://api.territoire.fr';
const ODRL = 'http://www.w3.org/ns/odrl/2/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const CPT = `${COMPTOIR_ODRL_PROFILE}/`;
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';
const EU = 'http://publications.europa.eu/resource/authority/country/EUR';

const o = (term: string) => namedNode(`${ODRL}${term}`);
const c = (term: string) => namedNode(`${CPT}${term}`);

const LICENCE_IRI = `${BASE}/v1/licences/01JLICENCE`;
const LICENSOR = `${BASE}/partners/01JOPERATOR`;
const LICENSEE = `${BASE}/partners/01JFIRM`;
const PLATFORM = `${BASE}/platform`;
const TARGET = `${BASE}/datasets/01JVEHICLES`;

/** One clause of every kind; the mapped type makes the compiler insist on all of them. */
const PARAMS: { [K in ClauseKind]: ClauseOf<K>['params'] } = {
  purpose: { allowed: ['research', 'urban-planning'] },
  validity: { maxDuration: 'P1Y', notBefore: '2026-02-01T00:00:00Z', notAfter: '2026-12-31T00:00:00Z' },
  quota: { count: 10, per: 'P1M' },
  'partner-kinds': { kinds: ['private', 'dsp'] },
  'eu-residency': {},
  'exclusion-zones': { zone: 'schools', position: { lat: 'lat', lon: 'lon' } },
  'k-anonymity': { k: 5, quasiIdentifiers: ['age_band', 'district'] },
  'drop-fields': { fields: ['driver_name'] },
  'redact-fields': { fields: ['phone'] },
  'pseudonymise-fields': { fields: ['vehicle_id'] },
  'generalise-coordinates': { decimals: 3, position: { geopoint: 'position' } },
  'share-back': { theme: 'mobility', every: 'P3M', graceDays: 15 },
  attribution: { text: 'Source : Métropole, 2026' },
  'delete-on-expiry': { withinDays: 30 },
  'usage-report': { every: 'P6M' },
  'no-resale': {},
  'no-reidentification': {},
};

function licence(kinds: readonly ClauseKind[], validity: LicenceDocument['validity'] = { from: '2026-01-15T10:00:00.000Z', until: '2027-01-15T10:00:00.000Z' }): LicenceDocument {
  return {
    licenceId: '01JLICENCE',
    offer: { id: '01JOFFER', digest: 'b'.repeat(64) },
    licensor: { id: '01JOPERATOR', name: 'Opérateur Mobilité', kind: 'dsp' },
    licensee: { id: '01JFIRM', name: 'Appli Trafic', kind: 'private' },
    dataset: { id: '01JVEHICLES', title: 'Positions des véhicules' },
    template: { id: 'mobility', title: 'Licence mobilités' },
    purpose: 'research',
    clauses: kinds.map((kind) => ({ kind, params: PARAMS[kind] as Record<string, unknown> })),
    texts: { fr: [], en: [] },
    legalText: { fr: 'Texte', en: 'Text' },
    policy: { version: 3, appliedRules: ['mobility-private'] },
    validity,
    issuedAt: '2026-01-15T10:00:00.000Z',
  };
}

// Any fetch means the context is not self-contained.
const offline = async (url: string): Promise<never> => {
  throw new Error(`remote document fetched: ${url}`);
};

async function toQuads(doc: Record<string, unknown>): Promise<Quad[]> {
  const options = { format: 'application/n-quads', documentLoader: offline, safe: true };
  const nquads = await jsonld.toRDF(doc, options as jsonld.Options.ToRdf);
  return new Parser({ format: 'N-Quads' }).parse(nquads as unknown as string);
}

interface Operand {
  node: Term;
  left: string;
  op: string;
  right: Term[];
}

/** Reading aid over the rendered graph. */
class Graph {
  constructor(readonly store: Store) {}

  static async of(doc: LicenceDocument, baseUrl = BASE): Promise<Graph> {
    return new Graph(new Store(await toQuads(licenceToOdrl(doc, { baseUrl }))));
  }

  objects(s: Term, p: string | Term): Term[] {
    return this.store.getObjects(s, typeof p === 'string' ? namedNode(p) : p, null);
  }

  one(s: Term, p: string | Term): Term {
    const objects = this.objects(s, p);
    expect(objects, `${s.value} ${typeof p === 'string' ? p : p.value}`).toHaveLength(1);
    return objects[0]!;
  }

  agreement(): Term {
    const agreements = this.store.getSubjects(namedNode(RDF_TYPE), o('Agreement'), null);
    expect(agreements).toHaveLength(1);
    return agreements[0]!;
  }

  permission(): Term {
    return this.one(this.agreement(), o('permission'));
  }

  operands(s: Term, p: Term): Operand[] {
    return this.objects(s, p).map((node) => ({
      node,
      left: this.one(node, o('leftOperand')).value,
      op: this.one(node, o('operator')).value,
      right: this.objects(node, o('rightOperand')),
    }));
  }

  /** The action's IRI, looking through a refined action (`rdf:value`). */
  action(rule: Term): string {
    const action = this.one(rule, o('action'));
    return action.termType === 'NamedNode' ? action.value : this.one(action, RDF_VALUE).value;
  }

  refinements(rule: Term): Operand[] {
    const action = this.one(rule, o('action'));
    return action.termType === 'NamedNode' ? [] : this.operands(action, o('refinement'));
  }

  /** Nodes produced by clauses of a kind, and the predicate and subject that hold each. */
  clauseNodes(kind: ClauseKind): { node: Term; via: string; holder: Term }[] {
    return this.store.getSubjects(c('clause'), literal(kind), null).map((node) => {
      const holders = this.store.getQuads(null, null, node, null);
      expect(holders, `${kind} node is held once`).toHaveLength(1);
      return { node, via: holders[0]!.predicate.value, holder: holders[0]!.subject };
    });
  }
}

const values = (terms: Term[]) => terms.map((t) => t.value).sort();
const typedValue = (t: Term | undefined) => (t && t.termType === 'Literal' ? { value: t.value, type: t.datatype.value } : undefined);
const byLeft = (operands: Operand[], left: string) => {
  const found = operands.filter((x) => x.left === left);
  expect(found, left).toHaveLength(1);
  return found[0]!;
};

describe('licenceToOdrl', () => {
  it('uses every clause kind in the fixture', () => {
    expect(Object.keys(PARAMS).sort()).toEqual([...CLAUSE_KINDS].sort());
  });

  it('has a self-contained context and expands in safe mode without fetching anything', async () => {
    const doc = licenceToOdrl(licence(CLAUSE_KINDS), { baseUrl: BASE });
    const context = doc['@context'];
    expect(typeof context).toBe('object');
    expect(Array.isArray(context)).toBe(false);
    expect((context as Record<string, unknown>).odrl).toBe(ODRL);
    expect(JSON.stringify(context)).not.toMatch(/\.jsonld|odrl\.jsonld/);
    const quads = await toQuads(doc);
    expect(quads.length).toBeGreaterThan(50);
  });

  it('renders the agreement: profile, parties, target, issue date, digest and declared purpose', async () => {
    const doc = licence(CLAUSE_KINDS);
    const g = await Graph.of(doc);
    const a = g.agreement();
    expect(a.value).toBe(LICENCE_IRI);
    expect(g.one(a, o('profile')).value).toBe(COMPTOIR_ODRL_PROFILE);
    expect(g.one(a, o('assigner')).value).toBe(LICENSOR);
    expect(g.one(a, o('assignee')).value).toBe(LICENSEE);
    expect(g.one(a, o('target')).value).toBe(TARGET);
    expect(typedValue(g.one(a, 'http://purl.org/dc/terms/issued'))).toEqual({ value: doc.issuedAt, type: `${XSD}dateTime` });
    expect(typedValue(g.one(a, c('digest')))).toEqual({ value: digestOf(doc), type: `${XSD}hexBinary` });
    expect(g.one(a, c('declaredPurpose')).value).toBe(`${CPT}purpose/research`);
  });

  it('renders one use permission on the target with the purpose, dateTime, count, recipient and spatial constraints', async () => {
    const g = await Graph.of(licence(CLAUSE_KINDS));
    const p = g.permission();
    expect(g.action(p)).toBe(`${ODRL}use`);
    expect(g.one(p, o('target')).value).toBe(TARGET);
    const constraints = g.operands(p, o('constraint'));
    expect(values(constraints.map((x) => namedNode(x.left)))).toEqual(
      [`${ODRL}count`, `${ODRL}dateTime`, `${ODRL}dateTime`, `${ODRL}purpose`, `${ODRL}recipient`, `${ODRL}spatial`].sort(),
    );

    const purpose = byLeft(constraints, `${ODRL}purpose`);
    expect(purpose.op).toBe(`${ODRL}isAnyOf`);
    expect(values(purpose.right)).toEqual([`${CPT}purpose/research`, `${CPT}purpose/urban-planning`]);

    const dates = constraints.filter((x) => x.left === `${ODRL}dateTime`);
    const gteq = dates.find((x) => x.op === `${ODRL}gteq`);
    const lt = dates.find((x) => x.op === `${ODRL}lt`);
    // notBefore is later than validity.from; notAfter is earlier than both validity.until and from + P1Y.
    expect(typedValue(gteq?.right[0])).toEqual({ value: '2026-02-01T00:00:00Z', type: `${XSD}dateTime` });
    expect(typedValue(lt?.right[0])).toEqual({ value: '2026-12-31T00:00:00Z', type: `${XSD}dateTime` });

    const count = byLeft(constraints, `${ODRL}count`);
    expect(count.op).toBe(`${ODRL}lteq`);
    expect(typedValue(count.right[0])).toEqual({ value: '10', type: `${XSD}integer` });
    expect(typedValue(g.one(count.node, c('per')))).toEqual({ value: 'P1M', type: `${XSD}duration` });

    const recipient = byLeft(constraints, `${ODRL}recipient`);
    expect(recipient.op).toBe(`${ODRL}isAnyOf`);
    expect(values(recipient.right)).toEqual([`${CPT}partnerKind/dsp`, `${CPT}partnerKind/private`]);

    const spatial = byLeft(constraints, `${ODRL}spatial`);
    expect(spatial.op).toBe(`${ODRL}isPartOf`);
    expect(spatial.right.map((t) => [t.termType, t.value])).toEqual([['NamedNode', EU]]);
  });

  it('renders a platform duty for each transform, an assignee obligation for each obligation, a prohibition for each declaration', async () => {
    const g = await Graph.of(licence(CLAUSE_KINDS));
    const a = g.agreement();
    const kindOf = (node: Term) => g.one(node, c('clause')).value;

    const duties = g.objects(g.permission(), o('duty'));
    expect(duties.map(kindOf).sort()).toEqual(['drop-fields', 'exclusion-zones', 'generalise-coordinates', 'k-anonymity', 'pseudonymise-fields', 'redact-fields']);
    for (const d of duties) {
      expect(g.one(d, o('assignee')).value).toBe(PLATFORM);
      expect(g.one(d, c('performedBy')).value).toBe(PLATFORM);
    }

    const obligations = g.objects(a, o('obligation'));
    expect(obligations.map(kindOf).sort()).toEqual(['attribution', 'delete-on-expiry', 'share-back', 'usage-report']);
    for (const d of obligations) expect(g.one(d, o('assignee')).value).toBe(LICENSEE);

    const prohibitions = g.objects(a, o('prohibition'));
    expect(Object.fromEntries(prohibitions.map((p) => [kindOf(p), g.action(p)]))).toEqual({
      'no-resale': `${ODRL}sell`,
      'no-reidentification': `${CPT}reidentify`,
    });
    for (const p of prohibitions) expect(g.one(p, o('target')).value).toBe(TARGET);
  });

  it('drops no clause: every kind is tagged on some node of the graph', async () => {
    const g = await Graph.of(licence(CLAUSE_KINDS));
    const tagged = new Set(g.store.getObjects(null, c('clause'), null).map((t) => t.value));
    expect([...tagged].sort()).toEqual([...CLAUSE_KINDS].sort());
  });

  type Placement = 'permission constraint' | 'permission duty' | 'obligation' | 'prohibition';
  const HOLDER: Record<Placement, string> = {
    'permission constraint': `${ODRL}constraint`,
    'permission duty': `${ODRL}duty`,
    obligation: `${ODRL}obligation`,
    prohibition: `${ODRL}prohibition`,
  };

  // kind, where it lands, the ODRL action (rules) or left operand (constraints), then what else it carries.
  const TABLE: [ClauseKind, Placement, string, (g: Graph, node: Term) => void][] = [
    ['purpose', 'permission constraint', `${ODRL}purpose`, () => {}],
    [
      'validity',
      'permission constraint',
      `${ODRL}dateTime`,
      (g) => {
        const ops = values(g.store.getSubjects(c('clause'), literal('validity'), null).map((n) => g.one(n, o('operator'))));
        expect(ops).toEqual([`${ODRL}gteq`, `${ODRL}lt`]);
      },
    ],
    ['quota', 'permission constraint', `${ODRL}count`, (g, n) => expect(g.one(n, c('per')).value).toBe('P1M')],
    ['partner-kinds', 'permission constraint', `${ODRL}recipient`, () => {}],
    ['eu-residency', 'permission constraint', `${ODRL}spatial`, (g, n) => expect(g.one(n, o('rightOperand')).value).toBe(EU)],
    [
      'exclusion-zones',
      'permission duty',
      `${CPT}excludeZone`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}zone`).right.map((t) => t.value)).toEqual([`${BASE}/v1/zones/schools`]);
        expect(byLeft(r, `${CPT}latitudeField`).right.map((t) => t.value)).toEqual(['lat']);
        expect(byLeft(r, `${CPT}longitudeField`).right.map((t) => t.value)).toEqual(['lon']);
      },
    ],
    [
      'k-anonymity',
      'permission duty',
      `${ODRL}anonymize`,
      (g, n) => {
        const r = g.refinements(n);
        const size = byLeft(r, `${CPT}groupSize`);
        expect([size.op, size.right[0]?.value]).toEqual([`${ODRL}gteq`, '5']);
        expect(values(byLeft(r, `${CPT}quasiIdentifier`).right)).toEqual(['age_band', 'district']);
        expect(byLeft(r, `${CPT}technique`).right[0]?.value).toBe(`${CPT}technique/k-anonymity`);
      },
    ],
    [
      'drop-fields',
      'permission duty',
      `${ODRL}delete`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}technique`).right[0]?.value).toBe(`${CPT}technique/drop`);
        expect(byLeft(r, `${CPT}field`)).toMatchObject({ op: `${ODRL}isAllOf` });
        expect(values(byLeft(r, `${CPT}field`).right)).toEqual(['driver_name']);
      },
    ],
    [
      'redact-fields',
      'permission duty',
      `${ODRL}delete`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}technique`).right[0]?.value).toBe(`${CPT}technique/redact`);
        expect(values(byLeft(r, `${CPT}field`).right)).toEqual(['phone']);
      },
    ],
    [
      'pseudonymise-fields',
      'permission duty',
      `${CPT}pseudonymise`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}technique`).right[0]?.value).toBe(`${CPT}technique/hmac-sha256`);
        expect(values(byLeft(r, `${CPT}field`).right)).toEqual(['vehicle_id']);
      },
    ],
    [
      'generalise-coordinates',
      'permission duty',
      `${CPT}generaliseCoordinates`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}decimals`)).toMatchObject({ op: `${ODRL}lteq` });
        expect(byLeft(r, `${CPT}decimals`).right[0]?.value).toBe('3');
        expect(byLeft(r, `${CPT}geopointField`).right[0]?.value).toBe('position');
      },
    ],
    [
      'share-back',
      'obligation',
      `${CPT}shareBack`,
      (g, n) => {
        const r = g.refinements(n);
        expect(byLeft(r, `${CPT}theme`).right[0]?.value).toBe('mobility');
        expect(typedValue(byLeft(r, `${ODRL}timeInterval`).right[0])).toEqual({ value: 'P3M', type: `${XSD}duration` });
        expect(typedValue(byLeft(r, `${CPT}gracePeriod`).right[0])).toEqual({ value: 'P15D', type: `${XSD}duration` });
      },
    ],
    [
      'attribution',
      'obligation',
      `${ODRL}attribute`,
      (g, n) => {
        expect(byLeft(g.refinements(n), `${CPT}attributionText`).right[0]?.value).toBe('Source : Métropole, 2026');
        expect(g.one(n, o('target')).value).toBe(TARGET);
      },
    ],
    [
      'delete-on-expiry',
      'obligation',
      `${ODRL}delete`,
      (g, n) => {
        const cs = g.operands(n, o('constraint'));
        const deadline = byLeft(cs, `${ODRL}dateTime`);
        // 30 days after validity.until (2027-01-15T10:00Z), in Paris wall-clock time.
        expect([deadline.op, deadline.right[0]?.value]).toEqual([`${ODRL}lteq`, '2027-02-14T10:00:00.000Z']);
        expect(typedValue(byLeft(cs, `${CPT}afterExpiry`).right[0])).toEqual({ value: 'P30D', type: `${XSD}duration` });
      },
    ],
    [
      'usage-report',
      'obligation',
      `${ODRL}inform`,
      (g, n) => {
        expect(typedValue(byLeft(g.refinements(n), `${ODRL}timeInterval`).right[0])).toEqual({ value: 'P6M', type: `${XSD}duration` });
        expect(g.one(n, o('informedParty')).value).toBe(LICENSOR);
      },
    ],
    ['no-resale', 'prohibition', `${ODRL}sell`, () => {}],
    ['no-reidentification', 'prohibition', `${CPT}reidentify`, () => {}],
  ];

  it('has one table row per clause kind', () => {
    expect(TABLE.map(([kind]) => kind).sort()).toEqual([...CLAUSE_KINDS].sort());
  });

  it.each(TABLE)('%s lands in the %s as %s', async (kind, placement, what, check) => {
    const g = await Graph.of(licence([kind]));
    const nodes = g.clauseNodes(kind);
    expect(nodes.length).toBeGreaterThan(0);
    const expectedHolder = placement.startsWith('permission') ? g.permission() : g.agreement();
    for (const { node, via, holder } of nodes) {
      expect(via).toBe(HOLDER[placement]);
      expect(holder.equals(expectedHolder)).toBe(true);
      if (placement === 'permission constraint') expect(g.one(node, o('leftOperand')).value).toBe(what);
      else expect(g.action(node)).toBe(what);
    }
    check(g, nodes[0]!.node);
  });

  it('bounds the permission by the document validity even without a validity clause, and leaves the end open when there is none', async () => {
    const g = await Graph.of(licence([], { from: '2026-01-15T10:00:00.000Z' }));
    const dates = g.operands(g.permission(), o('constraint'));
    expect(dates.map((x) => [x.left, x.op, x.right[0]?.value])).toEqual([[`${ODRL}dateTime`, `${ODRL}gteq`, '2026-01-15T10:00:00.000Z']]);
    expect(g.store.getObjects(null, c('clause'), null)).toHaveLength(0);
  });

  it('folds maxDuration into the end of validity, counted from validity.from', async () => {
    const doc = licence([], { from: '2026-01-15T10:00:00.000Z' });
    doc.clauses = [{ kind: 'validity', params: { maxDuration: 'P6M' } }];
    const g = await Graph.of(doc);
    const lt = g.operands(g.permission(), o('constraint')).find((x) => x.op === `${ODRL}lt`);
    // Calendar months in Paris wall-clock time, like the access evaluator: 11:00 CET → 11:00 CEST.
    expect(lt?.right[0]?.value).toBe('2026-07-15T09:00:00.000Z');
  });

  it('keeps only the relative deletion delay when the licence has no end', async () => {
    const g = await Graph.of(licence(['delete-on-expiry'], { from: '2026-01-15T10:00:00.000Z' }));
    const [node] = g.clauseNodes('delete-on-expiry');
    expect(g.operands(node!.node, o('constraint')).map((x) => x.left)).toEqual([`${CPT}afterExpiry`]);
  });

  it('renders every quota when policy merging kept several', async () => {
    const doc = licence(['quota']);
    doc.clauses.push({ kind: 'quota', params: { count: 100, per: 'P1Y' } });
    const g = await Graph.of(doc);
    const counts = g.operands(g.permission(), o('constraint')).filter((x) => x.left === `${ODRL}count`);
    expect(counts.map((x) => x.right[0]?.value).sort()).toEqual(['10', '100']);
  });

  it('accepts a base URL with a trailing slash', async () => {
    const g = await Graph.of(licence(['no-resale']), `${BASE}/`);
    expect(g.agreement().value).toBe(LICENCE_IRI);
  });

  it.each([
    ['an unknown kind', { kind: 'teleport', params: {} }],
    ['an inherited property name', { kind: 'toString', params: {} }],
    ['bad parameters', { kind: 'quota', params: { count: 0, per: 'P1M' } }],
  ])('throws RangeError on %s', (_label, clause) => {
    const doc = licence([]);
    doc.clauses = [clause];
    expect(() => licenceToOdrl(doc, { baseUrl: BASE })).toThrow(RangeError);
  });

  it('is pure: the same document renders the same JSON-LD', () => {
    const doc = licence(CLAUSE_KINDS);
    expect(licenceToOdrl(doc, { baseUrl: BASE })).toEqual(licenceToOdrl(structuredClone(doc), { baseUrl: BASE }));
  });
  it('fills the names an attribution text holds, as the licence document does', async () => {
    const doc = licence(['attribution']);
    doc.clauses = [{ kind: 'attribution', params: { text: 'Données : {{licensor}} pour {{licensee}}' } }];
    const g = await Graph.of(doc);
    const [node] = g.clauseNodes('attribution');
    expect(byLeft(g.refinements(node!.node), `${CPT}attributionText`).right[0]?.value).toBe('Données : Opérateur Mobilité pour Appli Trafic');
    expect(JSON.stringify(licenceToOdrl(doc, { baseUrl: BASE }))).not.toContain('{{');
  });
});

describe('the Comptoir ODRL profile', () => {
  const SKOS = 'http://www.w3.org/2004/02/skos/core#';
  const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';

  it('expands offline and declares pseudonymise an action included in odrl:anonymize', async () => {
    const profile = new Store(await toQuads(comptoirOdrlProfile() as unknown as Record<string, unknown>));
    expect(profile.getObjects(c('pseudonymise'), namedNode(RDF_TYPE), null).map((t) => t.value)).toEqual([`${ODRL}Action`]);
    expect(profile.getObjects(c('pseudonymise'), o('includedIn'), null).map((t) => t.value)).toEqual([`${ODRL}anonymize`]);
    expect(profile.getObjects(c('pseudonymise'), namedNode(`${SKOS}broader`), null).map((t) => t.value)).toEqual([`${ODRL}anonymize`]);
    expect(profile.getObjects(c('pseudonymise'), namedNode(`${RDFS}isDefinedBy`), null).map((t) => t.value)).toEqual([COMPTOIR_ODRL_PROFILE]);
  });

  it('declares every profile action, left operand and property an export of every clause kind uses', async () => {
    const profile = new Store(await toQuads(comptoirOdrlProfile() as unknown as Record<string, unknown>));
    const declared = (iri: string, type: string) => profile.has(DataFactory.quad(namedNode(iri), namedNode(RDF_TYPE), namedNode(type)));
    const g = await Graph.of(licence(CLAUSE_KINDS));
    const rules = [...g.objects(g.permission(), o('duty')), ...g.objects(g.agreement(), o('obligation')), ...g.objects(g.agreement(), o('prohibition'))];
    const actions = rules.map((r) => g.action(r)).filter((a) => a.startsWith(CPT));
    const lefts = g.store.getObjects(null, o('leftOperand'), null).map((t) => t.value).filter((v) => v.startsWith(CPT));
    const properties = g.store.getPredicates(null, null, null).map((t) => t.value).filter((v) => v.startsWith(CPT));
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(declared(a, `${ODRL}Action`), a).toBe(true);
    for (const l of lefts) expect(declared(l, `${ODRL}LeftOperand`), l).toBe(true);
    for (const p of properties) expect(declared(p, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#Property'), p).toBe(true);
    // Every action of the profile refines an ODRL action.
    for (const action of profile.getSubjects(namedNode(RDF_TYPE), o('Action'), null)) {
      expect(profile.getObjects(action, o('includedIn'), null).map((t) => t.value.startsWith(ODRL)), action.value).toEqual([true]);
    }
  });
});
