import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPTOIR_ODRL_PROFILE } from '../../functions/domain/licences/odrl-profile.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { toQuads, validateDcat } from '../support/shacl.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under some loaders.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as unknown as FormatsPlugin;

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const ODRL = 'http://www.w3.org/ns/odrl/2/';
const CPT = `${COMPTOIR_ODRL_PROFILE}/`;
/** What Chromium sends when following a link. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const CSV = 'line;driver_name;passengers\nA;Jeanne Martin;120\nB;Paul Durand;80\n';
const SCHEMA = { fields: [{ name: 'line', type: 'string' }, { name: 'driver_name', type: 'string' }, { name: 'passengers', type: 'integer' }] };

describe('open formats for off-the-shelf clients: JSON Feed, DCAT-AP with Hydra paging, resolvable URIs, ODRL', () => {
  let t: TestRuntime;
  let url: string;
  let shared: string;
  let licenceId: string;
  const open: string[] = [];

  const get = (path: string, accept?: string) => fetch(`${url}${path}`, { redirect: 'manual', ...(accept ? { headers: { accept } } : {}) });
  const jsonLd = async (res: Response) => (await res.json()) as Record<string, unknown>;
  const publish = async (key: string, datasetId: string) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key, body: { bytes: Buffer.byteLength(CSV) } });
    expect((await fetch(started.body.upload.url, { method: 'PUT', body: CSV })).ok).toBe(true);
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    url = t.runtime.url;
    for (const [title, licence] of [['Arrêts de bus', 'odbl-1.0'], ['Bornes de recharge', undefined], ['Parcs relais', undefined], ['Pistes cyclables', 'etalab-2.0']] as const) {
      const created = await t.call('POST', '/v1/datasets', {
        key: t.keys.public.key,
        body: { title, description: 'Données ouvertes du territoire', theme: 'mobility', keywords: ['mobilité'], classification: 'open', format: 'csv', schema: SCHEMA, ...(licence ? { licence } : {}) },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await publish(t.keys.public.key, created.body.id);
      open.push(created.body.id);
    }
    const created = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Fréquentation des lignes', description: 'Montées par ligne', theme: 'mobility', classification: 'shared', format: 'csv', schema: SCHEMA },
    });
    shared = created.body.id;
    await publish(t.keys.dsp.key, shared);
    // The mobility template's attribution reads "Données : {{licensor}}".
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: { datasetId: shared, template: 'mobility', clauses: [{ kind: 'pseudonymise-fields', params: { fields: ['driver_name'] } }], audience: ['private'] },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'etude-frequentation' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key });
    expect(signed.body.state, JSON.stringify(signed.body)).toBe('active');
    licenceId = signed.body.id;
    await publish(t.keys.dsp.key, shared);
  });
  afterAll(() => t.stop());

  it('declares each format\'s media type, and the 303 for browsers, in the OpenAPI document', async () => {
    const { paths } = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> } }> };
    const media = (path: string) => Object.keys(paths[path]!.get.responses['200']!.content ?? {});
    expect(media('/v1/feeds/{datasetId}')).toEqual(['application/feed+json']);
    expect(media('/open/catalog.jsonld')).toEqual(['application/ld+json']);
    expect(media('/v1/licences/{id}/odrl')).toEqual(['application/ld+json']);
    expect(media('/odrl/profile/v1')).toEqual(['application/ld+json']);
    for (const path of ['/datasets/{id}', '/partners/{id}', '/platform']) expect(media(path), path).toEqual(['application/ld+json', 'application/json']);
    for (const path of ['/datasets/{id}', '/platform']) expect(paths[path]!.get.responses['303']?.headers, path).toHaveProperty('Location');
    expect(paths['/partners/{id}']!.get.responses['303']).toBeUndefined();
  });

  describe('JSON Feed', () => {
    it('is served as application/feed+json and is valid JSON Feed 1.1', async () => {
      const res = await fetch(`${url}/v1/feeds/${shared}`, { headers: { authorization: `Bearer ${t.keys.private.key}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/feed\+json/);
      const feed = (await res.json()) as { items: unknown[] };
      // strictRequired off: the spec's "content_html or content_text" names properties declared one level up.
      const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(new URL('../fixtures/json-feed/json-feed-1.1.schema.json', import.meta.url), 'utf8')));
      expect(validate(feed), ajv.errorsText(validate.errors)).toBe(true);
      // Both published versions: the one before the licence and the one after.
      expect(feed.items).toHaveLength(2);
    });

    it('speaks French and links to the console\'s dataset page, not to API URLs that need a key', async () => {
      const feed = (await t.call('GET', `/v1/feeds/${shared}`, { key: t.keys.private.key })).body;
      expect(feed.language).toBe('fr');
      expect(feed.title).toBe('Fréquentation des lignes — nouvelles versions');
      expect(feed.description).toMatch(/^Versions publiées de « Fréquentation des lignes »/);
      const [item] = feed.items;
      expect(item.content_text).toMatch(/^Version 2 publiée le \d{1,2} \S+ \d{4} à \d{2}:\d{2} UTC\. Obtenez-la avec POST \/v1\/licences\//);
      const page = `${url}/#/datasets/${shared}`;
      expect(feed.home_page_url).toBe(page);
      expect(item.url).toBe(page);
      expect(feed.feed_url).toBe(`${url}/v1/feeds/${shared}`);
    });
  });

  describe('DCAT-AP catalogue', () => {
    it('names the collectivity\'s contact point and each dataset\'s licence, the same as its distributions\'', async () => {
      const res = await get('/open/catalog.jsonld');
      expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      const store = new Store(await toQuads(await jsonLd(res)));
      const collectivity = (await t.call('GET', `/v1/partners/${t.keys.officer.partnerId}`, { key: t.keys.officer.key })).body;
      for (const subject of [`${url}/open/catalog.jsonld`, ...open.map((id) => `${url}/datasets/${id}`)]) {
        const [contact] = store.getObjects(subject, `${DCAT}contactPoint`, null);
        expect(contact, subject).toBeDefined();
        expect(store.getObjects(contact!, RDF_TYPE, null).map((o) => o.value)).toContain(`${VCARD}Kind`);
        expect(store.getObjects(contact!, `${VCARD}hasEmail`, null).map((o) => o.value)).toEqual([`mailto:${collectivity.contactEmail}`]);
        expect(store.getObjects(contact!, `${VCARD}fn`, null).map((o) => o.value)).toEqual([collectivity.name]);
      }
      const licences = (n: string) => store.getObjects(n, `${DCT}license`, null).map((o) => o.value);
      expect(licences(`${url}/datasets/${open[0]}`)).toEqual(['https://opendatacommons.org/licenses/odbl/1-0/']);
      expect(licences(`${url}/datasets/${open[1]}`)).toEqual(['https://www.etalab.gouv.fr/licence-ouverte-open-licence/']);
      for (const id of open) {
        for (const distribution of store.getObjects(`${url}/datasets/${id}`, `${DCAT}distribution`, null)) expect(licences(distribution.value)).toEqual(licences(`${url}/datasets/${id}`));
      }
    });

    /** Follows `hydra:next` from the first page, as udata does; every page must conform on its own. */
    const harvest = async (limit: number) => {
      const pages: { doc: Record<string, unknown>; view: string; next: string | undefined; datasets: string[]; total: string; perPage: string }[] = [];
      let next: string | undefined = `${url}/open/catalog.jsonld?limit=${limit}`;
      while (next && pages.length < 20) {
        const res = await fetch(next);
        expect(res.status, next).toBe(200);
        const doc = await jsonLd(res);
        const { report, why } = await validateDcat(doc);
        expect(report.conforms, why.join('\n')).toBe(true);
        const store = new Store(await toQuads(doc));
        const [view] = store.getSubjects(RDF_TYPE, `${HYDRA}PartialCollectionView`, null);
        expect(store.getObjects(view!, RDF_TYPE, null).map((o) => o.value)).toContain(`${HYDRA}PagedCollection`);
        const one = (p: string) => store.getObjects(view!, `${HYDRA}${p}`, null).map((o) => o.value);
        expect(one('first')).toEqual([`${url}/open/catalog.jsonld?limit=${limit}`]);
        expect(one('nextPage')).toEqual(one('next'));
        pages.push({ doc, view: view!.value, next: one('next')[0], datasets: store.getObjects(`${url}/open/catalog.jsonld`, `${DCAT}dataset`, null).map((o) => o.value), total: one('totalItems')[0]!, perPage: one('itemsPerPage')[0]! });
        next = one('next')[0];
      }
      return pages;
    };

    it('pages with Hydra: every open dataset once, hydra:next on every page but the last, totals and page size stated', async () => {
      const pages = await harvest(3);
      expect(pages.map((p) => p.datasets.length)).toEqual([3, 1]);
      expect(pages.flatMap((p) => p.datasets).sort()).toEqual(open.map((id) => `${url}/datasets/${id}`).sort());
      expect(pages.map((p) => [p.total, p.perPage])).toEqual([['4', '3'], ['4', '3']]);
      expect(pages[0]!.next).toBe(pages[1]!.view);
      expect(pages[1]!.next).toBeUndefined();
      // The pages merged, as a harvester stores them, still conform.
      const { report, why } = await validateDcat({ '@graph': pages.map((p) => p.doc) });
      expect(report.conforms, why.join('\n')).toBe(true);
    });

    it('names no next page after a last page that happens to be full', async () => {
      const pages = await harvest(2);
      expect(pages.map((p) => p.datasets.length)).toEqual([2, 2]);
      expect(pages[1]!.next).toBeUndefined();
    });

    it('refuses a forged cursor and an unknown parameter with 400', async () => {
      expect((await get(`/open/catalog.jsonld?cursor=${Buffer.from('{"pk":"x"}').toString('base64url')}`)).status).toBe(400);
      expect((await get('/open/catalog.jsonld?page=2')).status).toBe(400);
    });
  });

  describe('resolvable URIs', () => {
    it('describes an open dataset at its URI in JSON-LD, the same node the catalogue holds, conforming to DCAT-AP', async () => {
      const res = await get(`/datasets/${open[0]}`, 'application/ld+json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      expect(res.headers.get('vary')).toMatch(/accept/i);
      const doc = await jsonLd(res);
      expect(doc).toMatchObject({ '@id': `${url}/datasets/${open[0]}`, '@type': 'dcat:Dataset', 'dct:title': 'Arrêts de bus' });
      const { report, why } = await validateDcat(doc);
      expect(report.conforms, why.join('\n')).toBe(true);
      const catalogue = await jsonLd(await get('/open/catalog.jsonld'));
      const { '@context': _context, ...node } = doc;
      expect((catalogue['dcat:dataset'] as { '@id': string }[]).find((d) => d['@id'] === doc['@id'])).toEqual(node);
    });

    it('answers plain JSON to a client that asks for application/json, and JSON-LD by default', async () => {
      const json = await get(`/datasets/${open[0]}`, 'application/json');
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await jsonLd(json))['@id']).toBe(`${url}/datasets/${open[0]}`);
      expect((await get(`/datasets/${open[0]}`)).headers.get('content-type')).toMatch(/^application\/ld\+json/);
    });

    it('sends a browser to the dataset\'s console page with 303', async () => {
      const res = await get(`/datasets/${open[0]}`, BROWSER);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${url}/#/datasets/${open[0]}`);
    });

    it('answers 404 for a dataset that is not open, and leaks nothing of it', async () => {
      for (const accept of ['application/ld+json', 'application/json', undefined]) {
        const res = await get(`/datasets/${shared}`, accept);
        expect(res.status, String(accept)).toBe(404);
        expect(await res.text()).not.toContain('Fréquentation');
      }
      expect((await get('/datasets/dst_nope', 'application/ld+json')).status).toBe(404);
    });

    it('describes a partner by its name only, to browsers too (its console page is not public)', async () => {
      for (const accept of ['application/ld+json', BROWSER]) {
        const res = await get(`/partners/${t.keys.public.partnerId}`, accept);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
        const doc = await jsonLd(res);
        const store = new Store(await toQuads(doc));
        const iri = `${url}/partners/${t.keys.public.partnerId}`;
        expect(store.getObjects(iri, RDF_TYPE, null).map((o) => o.value).sort()).toEqual(['http://www.w3.org/ns/org#Organization', `${FOAF}Agent`]);
        expect(store.getObjects(iri, `${FOAF}name`, null).map((o) => o.value)).toEqual(["Agence d'urbanisme du Grand Territoire"]);
        // Neither the contact e-mail nor the SIREN the partner registered with.
        expect(JSON.stringify(doc)).not.toMatch(/agence-urbanisme\.example|521436980/);
        expect(Object.keys(doc).sort()).toEqual(['@context', '@id', '@type', 'foaf:name']);
      }
      expect((await get('/partners/prt_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'application/ld+json')).status).toBe(404);
    });

    it('describes the platform as an agent acting for the collectivity, and sends browsers to the console', async () => {
      const res = await get('/platform', 'application/ld+json');
      expect(res.status).toBe(200);
      const store = new Store(await toQuads(await jsonLd(res)));
      expect(store.getObjects(`${url}/platform`, RDF_TYPE, null).map((o) => o.value)).toContain(`${FOAF}Agent`);
      expect(store.getObjects(`${url}/platform`, 'http://www.w3.org/ns/prov#actedOnBehalfOf', null).map((o) => o.value)).toEqual([`${url}/partners/${t.keys.officer.partnerId}`]);
      const browser = await get('/platform', BROWSER);
      expect(browser.status).toBe(303);
      expect(browser.headers.get('location')).toBe(`${url}/`);
    });

    it('resolves every dataset, partner and platform URI the catalogue and an ODRL agreement name', async () => {
      const catalogue = new Store(await toQuads(await jsonLd(await get('/open/catalog.jsonld'))));
      const agreement = new Store(await toQuads(await jsonLd(await fetch(`${url}/v1/licences/${licenceId}/odrl`, { headers: { authorization: `Bearer ${t.keys.private.key}` } }))));
      const iris = new Set(
        [...catalogue.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null), ...catalogue.getObjects(null, `${DCT}publisher`, null), ...agreement.getObjects(null, `${ODRL}assigner`, null), ...agreement.getObjects(null, `${ODRL}assignee`, null)].map((o) => o.value),
      );
      expect([...iris].some((i) => i.endsWith('/platform'))).toBe(true);
      for (const iri of iris) {
        const res = await fetch(iri, { headers: { accept: 'application/ld+json' } });
        expect(res.status, iri).toBe(200);
        expect((await jsonLd(res))['@id'], iri).toBe(iri);
      }
      // The agreement's target is a shared dataset: a browser still reaches its console page.
      const [target] = agreement.getObjects(null, `${ODRL}target`, null);
      expect(target!.value).toBe(`${url}/datasets/${shared}`);
      expect((await fetch(target!.value, { redirect: 'manual', headers: { accept: BROWSER } })).headers.get('location')).toBe(`${url}/#/datasets/${shared}`);
    });
  });

  describe('ODRL', () => {
    it('exports the attribution with the licensor\'s name filled in and pseudonymisation as the profile\'s own action', async () => {
      const res = await fetch(`${url}/v1/licences/${licenceId}/odrl`, { headers: { authorization: `Bearer ${t.keys.private.key}` } });
      expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      const text = await res.text();
      expect(text).not.toContain('{{');
      const store = new Store(await toQuads(JSON.parse(text)));
      expect(store.getObjects(null, `${CPT}attributionText`, null)).toHaveLength(0);
      const texts = store.getSubjects(`${ODRL}leftOperand`, `${CPT}attributionText`, null).flatMap((c) => store.getObjects(c, `${ODRL}rightOperand`, null)).map((o) => o.value);
      expect(texts).toEqual(['Données : Eaux du Grand Territoire (délégataire eau potable)']);
      const actions = store.getObjects(null, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value', null).map((o) => o.value);
      expect(actions).toContain(`${CPT}pseudonymise`);
      expect(actions).not.toContain(`${ODRL}anonymize`);
    });

    it('serves the profile the export references, where pseudonymise is an action included in odrl:anonymize', async () => {
      const res = await get('/odrl/profile/v1');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      const store = new Store(await toQuads(await jsonLd(res)));
      expect(store.getObjects(`${CPT}pseudonymise`, RDF_TYPE, null).map((o) => o.value)).toEqual([`${ODRL}Action`]);
      expect(store.getObjects(`${CPT}pseudonymise`, `${ODRL}includedIn`, null).map((o) => o.value)).toEqual([`${ODRL}anonymize`]);
      expect(store.getSubjects(RDF_TYPE, 'http://www.w3.org/2002/07/owl#Ontology', null).map((o) => o.value)).toEqual([COMPTOIR_ODRL_PROFILE]);
    });
  });
});
