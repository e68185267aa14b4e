import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER_CSV_COLUMNS } from '../../functions/domain/register/register-formats.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const DCAT = 'http://www.w3.org/ns/dcat#';
const ODRL = 'http://www.w3.org/ns/odrl/2/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** RFC 4180: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('the public register of data sharing', () => {
  let t: TestRuntime;
  let datasetId: string;
  let safetyDatasetId: string;
  let secondOfficer: { key: string; keyId: string };
  const ids = {} as Record<'active' | 'revoked' | 'expired' | 'masked' | 'pending' | 'safety', string>;
  const texts = {} as Record<string, string[]>;

  const ok = <T extends { status: number; body: any }>(r: T, status = 201): T => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r;
  };
  const register = async (query = '') => ok(await t.call('GET', `/open/register${query}`), 200).body;
  const entryOf = async (licenceId: string, query = '') => (await register(query)).items.find((e: { licenceId: string }) => e.licenceId === licenceId);
  const offer = async (dataset: string, clauses: unknown[] = []) =>
    ok(await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: dataset, template: 'territorial-restricted', audience: ['private'], approval: 'officer', clauses } })).body.id as string;
  /** Requested by the firm, approved by an officer, signed: in force. */
  const activeLicence = async (offerId: string, purpose: string, sign = true) => {
    const id = ok(await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId, purpose } })).body.id as string;
    if (!sign) return id;
    ok(await t.call('POST', `/v1/licences/${id}/approve`, { key: t.keys.officer.key, body: {} }), 200);
    const signed = ok(await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key }), 200);
    texts[id] = signed.body.texts.fr;
    return id;
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const { officer, dsp } = t.keys;
    const schema = { fields: [{ name: 'station', type: 'string' }, { name: 'index', type: 'integer' }] };
    const create = async (title: string, theme: string) =>
      ok(await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title, description: 'Relevés', theme, classification: 'restricted', format: 'csv', schema } })).body.id as string;
    [datasetId, safetyDatasetId] = await Promise.all([create('Relevés des compteurs du réseau', 'water'), create('Plan des vannes', 'safety')]);
    const issued = ok(await t.call('POST', `/v1/partners/${officer.partnerId}/keys`, { key: officer.key, body: { role: 'officer', label: 'second officer' } }));
    secondOfficer = { key: issued.body.key, keyId: issued.body.keyId };
    ok(await t.call('POST', '/v1/contracts', {
      key: officer.key,
      body: { operatorId: dsp.partnerId, service: 'Eau potable', startsOn: '2026-01-01', endsOn: '2030-12-31', obligations: [{ id: 'releves', title: 'Relevés mensuels', every: 'P1M', graceDays: 10 }] },
    }));
    const [yearly, shortLived, safety] = await Promise.all([offer(datasetId), offer(datasetId, [{ kind: 'validity', params: { maxDuration: 'P2D' } }]), offer(safetyDatasetId)]);
    ids.active = await activeLicence(yearly, 'etude-trafic');
    ids.revoked = await activeLicence(yearly, 'etude-fuites');
    ids.masked = await activeLicence(yearly, 'enquete-reseau');
    ids.expired = await activeLicence(shortLived, 'etude-courte');
    ids.safety = await activeLicence(safety, 'etude-vannes');
    ids.pending = await activeLicence(yearly, 'jamais-signee', false);
    ok(await t.call('POST', `/v1/licences/${ids.revoked}/revoke`, { key: officer.key, body: { reason: 'fin du partenariat, écrire à jeanne.martin@example.fr' } }), 200);
    await t.runtime.runSchedule(new Date(Date.now() + 3 * DAY));
    await t.runtime.settle();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('lists a licence signed, approved, revoked and expired with its state, its clauses as the inbox shows them, its end and its proofs; never one that was not in force', async () => {
    // Act
    const page = await register('?limit=100');
    const byId = new Map(page.items.map((e: { licenceId: string }) => [e.licenceId, e]));

    // Assert
    const active = byId.get(ids.active) as any;
    expect(active).toMatchObject({
      state: 'active',
      purpose: 'etude-trafic',
      dataset: { id: datasetId, title: 'Relevés des compteurs du réseau', theme: 'water', classification: 'restricted', publisher: { id: t.keys.dsp.partnerId, name: 'Eaux du Grand Territoire (délégataire eau potable)', kind: 'dsp' } },
      licensee: { id: t.keys.private.partnerId, name: 'Trajets Malins SAS', kind: 'private' },
      consideration: { kind: 'free' },
      approval: { required: true, approvedAt: expect.any(String) },
    });
    expect(active.clauses).toEqual(texts[ids.active]);
    expect(active.clauses).toContain('Les données ne peuvent être utilisées que pour : etude-trafic.');
    expect(active.end).toBeUndefined();
    expect(byId.get(ids.revoked)).toMatchObject({ state: 'revoked', end: { state: 'revoked', reason: 'fin du partenariat, écrire à [adresse retirée]' } });
    expect(byId.get(ids.expired)).toMatchObject({ state: 'expired', end: { state: 'expired' } });
    expect((byId.get(ids.expired) as any).end.reason).toBeUndefined();
    expect(byId.has(ids.pending)).toBe(false);
    // Each proof is a link of the chain.
    const chain = ok(await t.call('GET', `/v1/audit?subject=${ids.revoked}`, { key: t.keys.officer.key }), 200).body.items;
    const proofs = (byId.get(ids.revoked) as any).proofs;
    expect(proofs.map((p: { action: string }) => p.action)).toEqual(expect.arrayContaining(['licence.requested', 'licence.signed', 'licence.revoked']));
    for (const p of proofs) expect(chain).toContainEqual(expect.objectContaining({ seq: p.seq, hash: p.hash, bodyHash: p.bodyHash }));
    // The DSP contracts and their compliance.
    expect(page.contracts).toContainEqual(
      expect.objectContaining({ operator: { id: t.keys.dsp.partnerId, name: 'Eaux du Grand Territoire (délégataire eau potable)', kind: 'dsp' }, service: 'Eau potable', obligations: [expect.objectContaining({ obligationId: 'releves', status: expect.stringMatching(/^(on_time|late|missing)$/) })] }),
    );
  });

  it('filters by dataset, licensee, theme, state and period, and pages with a cursor', async () => {
    const only = async (query: string) => (await register(`?limit=100&${query}`)).items.map((e: { licenceId: string }) => e.licenceId).sort();

    expect(await only('state=revoked')).toEqual([ids.revoked]);
    expect(await only('state=expired')).toEqual([ids.expired]);
    expect(await only('theme=safety')).toEqual([ids.safety]);
    expect(await only(`datasetId=${safetyDatasetId}`)).toEqual([ids.safety]);
    expect(await only(`licenseeId=${t.keys.public.partnerId}`)).toEqual([]);
    expect(await only(`licenseeId=${t.keys.private.partnerId}&theme=water`)).toEqual([ids.active, ids.revoked, ids.masked, ids.expired].sort());
    expect(await only('until=2020-01-01')).toEqual([]);
    expect(await only(`from=${new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10)}&theme=water`)).toEqual([ids.active, ids.masked].sort());

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await register(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e: { licenceId: string }) => e.licenceId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Object.entries(ids).filter(([k]) => k !== 'pending').map(([, v]) => v).sort());

    expect((await t.call('GET', '/open/register?state=pending_approval')).status).toBe(400);
    expect((await t.call('GET', '/open/register?from=2026-02-01&until=2026-01-01')).status).toBe(400);
  });

  it('masks an entry only with a second officer key, shows its reason, hides its title and purpose, and shows them again once unmasked', async () => {
    // Arrange
    const asked = await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: t.keys.officer.key, body: { action: 'mask', reason: 'sécurité des réseaux' } });
    expect(asked.body).toMatchObject({ masked: false, pending: { action: 'mask', reason: 'sécurité des réseaux' } });
    expect((await entryOf(ids.masked)).purpose).toBe('enquete-reseau');

    // Act: the asking key cannot approve; another officer key can
    const sameKey = await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: t.keys.officer.key, body: {} });
    expect(sameKey).toMatchObject({ status: 403, body: { error: { code: 'four_eyes' } } });
    ok(await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: secondOfficer.key, body: {} }), 200);
    await t.runtime.settle();

    // Assert
    const masked = await entryOf(ids.masked);
    expect(masked.masked).toMatchObject({ reason: 'sécurité des réseaux' });
    expect(masked.dataset.title).toBeUndefined();
    expect(masked.purpose).toBeUndefined();
    const text = JSON.stringify(masked);
    expect(text).not.toContain('enquete-reseau');
    expect(text).not.toContain('Relevés des compteurs');
    expect(masked.clauses.length).toBeGreaterThan(0);
    expect(masked.proofs.map((p: { action: string }) => p.action)).toEqual(expect.arrayContaining(['register.mask.requested', 'register.masked']));
    const csv = await (await fetch(`${t.runtime.url}/open/register.csv?datasetId=${datasetId}&limit=100`)).text();
    expect(csv).not.toContain('enquete-reseau');
    const ld = await (await fetch(`${t.runtime.url}/open/register.jsonld?datasetId=${datasetId}&limit=100`)).text();
    expect(ld).not.toContain('enquete-reseau');

    // A request for what is already so, and a second approval, change nothing.
    expect((await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: t.keys.officer.key, body: { action: 'mask', reason: 'encore' } })).status).toBe(409);
    expect((await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: secondOfficer.key, body: {} })).status).toBe(409);
    expect((await t.call('POST', `/v1/register/${ids.pending}/mask`, { key: t.keys.officer.key, body: { action: 'mask', reason: 'essai' } })).status).toBe(422);
    expect((await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: t.keys.dsp.key, body: { action: 'unmask', reason: 'essai' } })).status).toBe(403);

    // Unmasking is four eyes too.
    ok(await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: secondOfficer.key, body: { action: 'unmask', reason: 'enquête close' } }), 200);
    // While it waits, nobody replaces it with a request of their own (which they could then approve).
    const replacing = await t.call('POST', `/v1/register/${ids.masked}/mask`, { key: t.keys.officer.key, body: { action: 'unmask', reason: 'autre motif' } });
    expect(replacing).toMatchObject({ status: 409, body: { error: { code: 'mask_pending' } } });
    expect((await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: secondOfficer.key, body: {} })).status).toBe(403);
    ok(await t.call('POST', `/v1/register/${ids.masked}/mask/approve`, { key: t.keys.officer.key, body: {} }), 200);
    expect(await entryOf(ids.masked)).toMatchObject({ purpose: 'enquete-reseau', dataset: { title: 'Relevés des compteurs du réseau' } });
    expect((await entryOf(ids.masked)).masked).toBeUndefined();
  });

  it('never shows a person: no e-mail, no key id, in JSON, JSON-LD or CSV, over the demo territory', async () => {
    const partners = ok(await t.call('GET', '/v1/partners', { key: t.keys.officer.key }), 200).body.items as { contactEmail: string }[];
    const keyIds = await Promise.all(
      (['officer', 'dsp', 'public', 'private'] as const).map(async (slot) => ok(await t.call('GET', '/v1/me', { key: t.keys[slot].key }), 200).body.principal.keyId as string),
    );
    const bodies = await Promise.all(['/open/register?limit=100', '/open/register.jsonld?limit=100', '/open/register.csv?limit=100'].map(async (p) => (await fetch(`${t.runtime.url}${p}`)).text()));
    for (const body of bodies) {
      expect(body).not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i);
      for (const p of partners) expect(body).not.toContain(p.contactEmail);
      for (const keyId of [...keyIds, secondOfficer.keyId]) expect(body).not.toContain(keyId);
    }
  });

  it('serves JSON-LD that parses into DCAT datasets and ODRL agreements, and CSV that round-trips', async () => {
    // Act
    const [json, ldRes, csvRes] = await Promise.all([
      register('?limit=100'),
      fetch(`${t.runtime.url}/open/register.jsonld?limit=100`),
      fetch(`${t.runtime.url}/open/register.csv?limit=100`),
    ]);

    // Assert: JSON-LD
    expect(ldRes.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const quads = (await jsonld.toRDF((await ldRes.json()) as jsonld.JsonLdDocument)) as unknown as { subject: { value: string }; predicate: { value: string }; object: { value: string } }[];
    const typed = (type: string) => quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === type).map((q) => q.subject.value);
    expect(typed(`${DCAT}Dataset`)).toContain(`${t.runtime.url}/datasets/${datasetId}`);
    expect(typed(`${ODRL}Agreement`).length).toBe(json.items.length);

    // Assert: CSV
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await csvRes.text());
    expect(header).toEqual([...REGISTER_CSV_COLUMNS]);
    const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    expect(records.map((r) => r.licence_id)).toEqual(json.items.map((e: { licenceId: string }) => e.licenceId));
    for (const [i, e] of json.items.entries()) {
      expect(records[i]).toMatchObject({ dataset_id: e.dataset.id, dataset_title: e.dataset.title ?? '', licensee_name: e.licensee.name, state: e.state, from: e.period.from, end_reason: e.end?.reason ?? '', purpose: e.purpose ?? '' });
      expect(records[i]!.clauses!.split('\n')).toEqual(e.clauses);
      expect(records[i]!.proofs).toBe(e.proofs.map((p: { seq: number; hash: string }) => `${p.seq}:${p.hash}`).join(' '));
    }

    // Paging: the next page of the CSV is in the Link header.
    const first = await fetch(`${t.runtime.url}/open/register.csv?limit=1`);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = parseCsv(await (await fetch(next!)).text());
    expect(second[1]![0]).not.toBe(parseCsv(await first.text())[1]![0]);
  });

  it('leaves out a whole category the territory opts out of, with its legal basis, and shows it again when the opt-out is lifted', async () => {
    // Arrange
    const legalBasis = 'CRPA art. L311-5 : sécurité publique et sécurité des systèmes d’information';
    const current = ok(await t.call('GET', '/v1/policy'), 200).body;

    // Act
    ok(await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: current.rules, registerOptOuts: [{ theme: 'safety', legalBasis }] } }), 200);
    const during = await register('?limit=100');
    const maskWhileOut = await t.call('POST', `/v1/register/${ids.safety}/mask`, { key: t.keys.officer.key, body: { action: 'mask', reason: 'essai' } });
    ok(await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: current.rules } }), 200);
    await t.runtime.settle();

    // Assert
    expect(during.optOuts).toEqual([{ theme: 'safety', legalBasis }]);
    expect(during.items.map((e: { licenceId: string }) => e.licenceId)).not.toContain(ids.safety);
    expect(maskWhileOut.status).toBe(422);
    expect((await register('?limit=100')).items.map((e: { licenceId: string }) => e.licenceId)).toContain(ids.safety);
    const audit = ok(await t.call('GET', '/v1/audit?subject=policy', { key: t.keys.officer.key }), 200).body.items;
    expect(audit.map((e: { body: { data: Record<string, unknown> } }) => e.body.data.registerOptOuts)).toContainEqual([{ theme: 'safety', legalBasis }]);
    // An opt-out names a whole category: a second one for the same theme is refused.
    expect((await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: [], registerOptOuts: [{ theme: 'safety', legalBasis }, { theme: 'safety', legalBasis }] } })).status).toBe(400);
  });
});
