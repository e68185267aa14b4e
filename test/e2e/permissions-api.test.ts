import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { type CallerRole, type PartyRelation, type RouteDeclaration, type RouteId, type RoutePermission, routes } from '../../schemas/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

/**
 * Who may do what, generated from the route declaration: every keyed route is called by every
 * caller its `allow` entry refuses, and each refusal must answer its documented status and change
 * nothing in the table.
 */

type Slot = 'officer' | 'dsp' | 'public' | 'private';
type Caller = { readonly label: string; readonly key: () => string };
type Call = { readonly params?: Record<string, string>; readonly query?: Record<string, string>; readonly body?: unknown };
/** Routes that take a key: the ones a fixture must exercise. */
type KeyedRouteId = { [K in RouteId]: (typeof routes)[K]['auth'] extends 'key' ? K : never }[RouteId];
/** A valid call of the route by its rightful caller, and who that caller is (its partner slot). */
type Fixture = { readonly rightful: Slot; readonly call: () => Call; readonly otherSide?: Slot };

const CSV = ['station;agent;index', 'S1;Jeanne Martin;10', 'S2;Paul Durand;12', ''].join('\n');

/** Objects partners see the metadata of (a 403 hides nothing), and objects only their parties know. */
const OUTSIDER_STATUS: Record<PartyRelation, 403 | 404> = {
  'dataset-owner': 403,
  'offer-owner': 403,
  'dataset-licensee': 403,
  self: 404,
  'key-owner': 404,
  'contract-operator': 404,
  'licence-party': 404,
  licensee: 404,
  licensor: 404,
  'barter-party': 404,
  counterparty: 404,
  'access-owner': 404,
  subscriber: 404,
  'change-requester': 404,
  'person-partner': 404,
};

/**
 * The reviewed permission table (o officer, a admin, m member; then the party relation): widening
 * a route in the declaration without changing this table too fails the suite.
 */
const REVIEWED: Record<RouteId, string> = {
  health: 'anyone',
  ready: 'anyone',
  openapi: 'anyone',
  me: 'oam',
  getNotificationPreferences: 'oam',
  putNotificationPreferences: 'oam',
  createPartner: 'o',
  listPartners: 'oam',
  getPartner: 'oam self +officers',
  createKey: 'oa self +officers',
  listKeys: 'oa self +officers',
  revokeKey: 'oa key-owner +officers',
  invitePerson: 'oa self +officers',
  listPeople: 'oam self +officers',
  removePerson: 'oa person-partner +officers',
  login: 'anyone',
  callback: 'anyone',
  logout: 'oam',
  listAudit: 'oam',
  verifyAudit: 'oam',
  listAuditCheckpoints: 'oam',
  createDataset: 'oa',
  listDatasets: 'oam',
  getDataset: 'oam',
  updateDataset: 'oa dataset-owner',
  createVersion: 'oam dataset-owner',
  listVersions: 'oam dataset-owner +officers',
  getVersion: 'oam dataset-owner +officers',
  partUrls: 'oam dataset-owner',
  completeUpload: 'oam dataset-owner',
  purgeVersion: 'oa dataset-owner +officers',
  listDatasetChanges: 'oam',
  getDatasetChange: 'oam change-requester +officers',
  approveDatasetChange: 'o',
  rejectDatasetChange: 'o',
  withdrawDatasetChange: 'oa change-requester',
  createContract: 'o',
  listContracts: 'oam',
  getContract: 'oam contract-operator +officers',
  contractCompliance: 'oam contract-operator +officers',
  openDatasets: 'anyone',
  openDataset: 'anyone',
  openDownload: 'anyone',
  openRecords: 'anyone',
  openExport: 'anyone',
  openVersionDownload: 'anyone',
  openCatalog: 'anyone',
  datasetUri: 'anyone',
  partnerUri: 'anyone',
  platformUri: 'anyone',
  odrlProfile: 'anyone',
  getPolicy: 'anyone',
  putPolicy: 'o',
  previewPolicy: 'o',
  listZones: 'oam',
  getZone: 'oam',
  putZone: 'o',
  listClauses: 'oam',
  listTemplates: 'oam',
  createOffer: 'oa dataset-owner',
  listOffers: 'oam',
  withdrawOffer: 'oa offer-owner',
  requestLicence: 'oa',
  listLicences: 'oam',
  getLicence: 'oam licence-party +officers',
  approveLicence: 'o',
  rejectLicence: 'o',
  declineLicence: 'a licensor',
  signLicence: 'oa licensee',
  revokeLicence: 'oa licensor +officers',
  terminateLicence: 'oa licence-party',
  openRegister: 'anyone',
  openRegisterJsonLd: 'anyone',
  openRegisterCsv: 'anyone',
  requestRegisterMask: 'o',
  approveRegisterMask: 'o',
  rejectRegisterMask: 'o',
  getLedger: 'oam',
  grantCredits: 'o',
  proposeBarter: 'oa',
  listBarters: 'oam',
  getBarter: 'oam barter-party +officers',
  approveBarter: 'o',
  rejectBarter: 'o',
  acceptBarter: 'oa counterparty',
  declineBarter: 'oa counterparty',
  getLicenceOdrl: 'oam licence-party +officers',
  listDuties: 'oam licence-party +officers',
  attestDuty: 'oa licensee',
  accessLicence: 'oam licensee',
  licenceRecords: 'oam licensee',
  licenceExport: 'oam licensee',
  getAccess: 'oam access-owner',
  createSubscription: 'oam licensee',
  listSubscriptions: 'oam',
  deleteSubscription: 'oam subscriber',
  rotateSubscriptionSecret: 'oam subscriber',
  listDeliveries: 'oam subscriber',
  getFeed: 'oam dataset-licensee',
};
const summaryOf = (r: RouteDeclaration): string =>
  r.allow === 'anyone' ? 'anyone' : `${r.allow.roles.map((x) => x[0]).join('')}${r.allow.party ? ` ${r.allow.party}` : ''}${r.allow.officers ? ' +officers' : ''}`;

describe('who may do what, for every route (generated from the route declaration)', () => {
  let t: TestRuntime;
  const receiver = new WebhookReceiver();
  const members = {} as Record<Exclude<Slot, 'officer'>, string>;
  let memberKeyId = '';
  const w = {} as {
    datasetId: string; privateDatasetId: string; offerId: string; privateOfferId: string; contractId: string;
    awaitingId: string; activeId: string; changeId: string; pendingId: string; barterId: string; accessId: string; dutyId: string; subscriptionId: string;
    personId: string;
  };
  const db = createDocumentClient({ endpoint: dynamoEndpoint() });

  /** Every item of the test's table, hashed: a refusal must leave it as it was. */
  const snapshot = async (): Promise<string> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const lines = items.map((i) => JSON.stringify(Object.fromEntries(Object.entries(i).sort(([a], [b]) => a.localeCompare(b))))).sort();
    return createHash('sha256').update(lines.join('\n')).digest('hex');
  };

  const publish = async (key: string, datasetId: string) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
  };
  const ok = <T extends { status: number; body: any }>(r: T, status = 201): T => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r;
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    await receiver.start();
    const { officer, dsp, private: firm } = t.keys;
    for (const slot of ['dsp', 'public', 'private'] as const) {
      const issued = ok(await t.call('POST', `/v1/partners/${t.keys[slot].partnerId}/keys`, { key: t.keys[slot].key, body: { role: 'member', label: 'script' } }));
      members[slot] = issued.body.key;
      if (slot === 'dsp') memberKeyId = issued.body.keyId;
    }
    w.personId = ok(await t.call('POST', `/v1/partners/${dsp.partnerId}/people`, { key: dsp.key, body: { email: 'releveur@eaux.example', role: 'member' } })).body.id;
    const schema = { fields: [{ name: 'station', type: 'string' }, { name: 'agent', type: 'string', personal: true }, { name: 'index', type: 'integer' }] };
    w.contractId = ok(await t.call('POST', '/v1/contracts', {
      key: officer.key,
      body: { operatorId: dsp.partnerId, service: 'Eau potable', startsOn: '2026-01-01', endsOn: '2030-12-31', obligations: [{ id: 'releves', title: 'Relevés', every: 'P1M', graceDays: 10 }] },
    })).body.id;
    w.datasetId = ok(await t.call('POST', '/v1/datasets', { key: dsp.key, body: { title: 'Relevés', description: 'Index', theme: 'water', classification: 'shared', format: 'csv', schema } })).body.id;
    await publish(dsp.key, w.datasetId);
    w.privateDatasetId = ok(await t.call('POST', '/v1/datasets', { key: firm.key, body: { title: 'Trajets', description: 'Trajets', theme: 'mobility', classification: 'shared', format: 'csv', schema } })).body.id;
    w.offerId = ok(await t.call('POST', '/v1/offers', {
      key: dsp.key,
      body: { datasetId: w.datasetId, template: 'territorial-restricted', audience: ['private', 'public'], approval: 'auto', clauses: [{ kind: 'usage-report', params: { every: 'P1M' } }] },
    })).body.id;
    const approvalOffer = ok(await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: w.datasetId, template: 'territorial-restricted', audience: ['private'], approval: 'officer' } })).body.id;
    w.privateOfferId = ok(await t.call('POST', '/v1/offers', { key: firm.key, body: { datasetId: w.privateDatasetId, template: 'territorial-restricted', audience: ['dsp'], approval: 'auto' } })).body.id;
    const request = async (offerId: string) => ok(await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId, purpose: 'etude' } })).body.id as string;
    w.activeId = await request(w.offerId);
    ok(await t.call('POST', `/v1/licences/${w.activeId}/sign`, { key: firm.key }), 200);
    w.awaitingId = await request(w.offerId);
    w.pendingId = await request(approvalOffer);
    w.barterId = ok(await t.call('POST', '/v1/barters', { key: firm.key, body: { offerId: w.offerId, give: { offerId: w.privateOfferId }, purpose: 'etude' } })).body.id;
    const access = await t.call('POST', `/v1/licences/${w.activeId}/access`, { key: firm.key, body: { purpose: 'etude' } });
    expect(access.status, JSON.stringify(access.body)).toBe(202);
    w.accessId = access.body.accessId;
    w.dutyId = ok(await t.call('GET', `/v1/licences/${w.activeId}/duties`, { key: firm.key }), 200).body.items[0].dutyId;
    // A privacy downgrade waits for an officer as a change request.
    w.changeId = ok(await t.call('PATCH', `/v1/datasets/${w.datasetId}`, { key: dsp.key, body: { schema: { fields: schema.fields.map(({ personal: _p, ...f }) => f) } } }), 202).body.id;
    w.subscriptionId = ok(await t.call('POST', '/v1/subscriptions', { key: firm.key, body: { licenceId: w.activeId, webhook: { url: `${receiver.url}/hook` } } })).body.subscription.id;
    await t.runtime.settle();
  });
  afterAll(async () => {
    await receiver.stop();
    db.destroy();
    await t.stop();
  });

  const REASON = { reason: 'essai de permission' };
  /** One valid call per keyed route; a route declared without one fails the completeness test below. */
  const fixtures: Record<KeyedRouteId, Fixture> = {
    me: { rightful: 'private', call: () => ({}) },
    createPartner: { rightful: 'officer', call: () => ({ body: { name: 'Nouvelle SAS', kind: 'private', contactEmail: 'x@nouvelle.example' } }) },
    listPartners: { rightful: 'private', call: () => ({}) },
    getPartner: { rightful: 'dsp', call: () => ({ params: { id: t.keys.dsp.partnerId } }) },
    createKey: { rightful: 'dsp', call: () => ({ params: { id: t.keys.dsp.partnerId }, body: { role: 'member', label: 'x' } }) },
    listKeys: { rightful: 'dsp', call: () => ({ params: { id: t.keys.dsp.partnerId } }) },
    revokeKey: { rightful: 'dsp', call: () => ({ params: { keyId: memberKeyId } }) },
    invitePerson: { rightful: 'dsp', call: () => ({ params: { id: t.keys.dsp.partnerId }, body: { email: 'nouvelle@eaux.example', role: 'member' } }) },
    listPeople: { rightful: 'dsp', call: () => ({ params: { id: t.keys.dsp.partnerId } }) },
    removePerson: { rightful: 'dsp', call: () => ({ params: { personId: w.personId } }) },
    logout: { rightful: 'private', call: () => ({}) },
    getNotificationPreferences: { rightful: 'private', call: () => ({}) },
    putNotificationPreferences: { rightful: 'private', call: () => ({ body: { language: 'en' } }) },
    listAudit: { rightful: 'private', call: () => ({}) },
    verifyAudit: { rightful: 'private', call: () => ({}) },
    listAuditCheckpoints: { rightful: 'private', call: () => ({}) },
    createDataset: { rightful: 'private', call: () => ({ body: { title: 'X', description: 'X', theme: 'water', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'a', type: 'string' }] } } }) },
    listDatasets: { rightful: 'private', call: () => ({}) },
    getDataset: { rightful: 'private', call: () => ({ params: { id: w.datasetId } }) },
    updateDataset: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId }, body: { title: 'Relevés (modifié)' } }) },
    createVersion: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId }, body: { bytes: 10 } }) },
    listVersions: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId } }) },
    getVersion: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId, n: '1' } }) },
    partUrls: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId, n: '1' }, body: { partNumbers: [1] } }) },
    completeUpload: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId, n: '1' }, body: {} }) },
    purgeVersion: { rightful: 'dsp', call: () => ({ params: { id: w.datasetId, n: '1' }, body: REASON }) },
    listDatasetChanges: { rightful: 'dsp', call: () => ({}) },
    getDatasetChange: { rightful: 'dsp', call: () => ({ params: { id: w.changeId } }) },
    approveDatasetChange: { rightful: 'officer', call: () => ({ params: { id: w.changeId }, body: {} }) },
    rejectDatasetChange: { rightful: 'officer', call: () => ({ params: { id: w.changeId }, body: REASON }) },
    withdrawDatasetChange: { rightful: 'dsp', call: () => ({ params: { id: w.changeId }, body: {} }) },
    createContract: { rightful: 'officer', call: () => ({ body: { operatorId: t.keys.dsp.partnerId, service: 'X', startsOn: '2026-01-01', endsOn: '2027-01-01', obligations: [] } }) },
    listContracts: { rightful: 'dsp', call: () => ({}) },
    getContract: { rightful: 'dsp', call: () => ({ params: { id: w.contractId } }) },
    contractCompliance: { rightful: 'dsp', call: () => ({ params: { id: w.contractId } }) },
    putPolicy: { rightful: 'officer', call: () => ({ body: { rules: [] } }) },
    previewPolicy: { rightful: 'officer', call: () => ({ body: { rules: [] } }) },
    listZones: { rightful: 'private', call: () => ({}) },
    getZone: { rightful: 'private', call: () => ({ params: { name: 'ecoles' } }) },
    putZone: { rightful: 'officer', call: () => ({ params: { name: 'ecoles' }, body: { type: 'FeatureCollection', features: [] } }) },
    listClauses: { rightful: 'private', call: () => ({}) },
    listTemplates: { rightful: 'private', call: () => ({}) },
    createOffer: { rightful: 'dsp', call: () => ({ body: { datasetId: w.datasetId, template: 'territorial-restricted', audience: ['private'] } }) },
    listOffers: { rightful: 'private', call: () => ({}) },
    withdrawOffer: { rightful: 'dsp', call: () => ({ params: { id: w.offerId } }) },
    requestLicence: { rightful: 'private', call: () => ({ body: { offerId: w.offerId, purpose: 'etude' } }) },
    listLicences: { rightful: 'private', call: () => ({}) },
    getLicence: { rightful: 'private', call: () => ({ params: { id: w.activeId } }) },
    approveLicence: { rightful: 'officer', call: () => ({ params: { id: w.pendingId }, body: {} }) },
    rejectLicence: { rightful: 'officer', call: () => ({ params: { id: w.pendingId }, body: REASON }) },
    declineLicence: { rightful: 'dsp', otherSide: 'private', call: () => ({ params: { id: w.awaitingId }, body: REASON }) },
    signLicence: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { id: w.awaitingId } }) },
    revokeLicence: { rightful: 'dsp', otherSide: 'private', call: () => ({ params: { id: w.activeId }, body: REASON }) },
    terminateLicence: { rightful: 'private', call: () => ({ params: { id: w.activeId }, body: REASON }) },
    requestRegisterMask: { rightful: 'officer', call: () => ({ params: { id: w.activeId }, body: { action: 'mask', reason: 'sécurité des réseaux' } }) },
    approveRegisterMask: { rightful: 'officer', call: () => ({ params: { id: w.activeId }, body: {} }) },
    rejectRegisterMask: { rightful: 'officer', call: () => ({ params: { id: w.activeId }, body: REASON }) },
    getLedger: { rightful: 'private', call: () => ({}) },
    grantCredits: { rightful: 'officer', call: () => ({ body: { partnerId: t.keys.private.partnerId, credits: 10 } }) },
    proposeBarter: { rightful: 'private', call: () => ({ body: { offerId: w.offerId, give: { offerId: w.privateOfferId }, purpose: 'etude' } }) },
    listBarters: { rightful: 'private', call: () => ({}) },
    getBarter: { rightful: 'private', call: () => ({ params: { id: w.barterId } }) },
    approveBarter: { rightful: 'officer', call: () => ({ params: { id: w.barterId }, body: { side: 'want' } }) },
    rejectBarter: { rightful: 'officer', call: () => ({ params: { id: w.barterId }, body: REASON }) },
    acceptBarter: { rightful: 'dsp', otherSide: 'private', call: () => ({ params: { id: w.barterId }, body: { purpose: 'etude' } }) },
    declineBarter: { rightful: 'dsp', otherSide: 'private', call: () => ({ params: { id: w.barterId }, body: {} }) },
    getLicenceOdrl: { rightful: 'private', call: () => ({ params: { id: w.activeId } }) },
    listDuties: { rightful: 'private', call: () => ({ params: { id: w.activeId } }) },
    attestDuty: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { id: w.activeId, dutyId: w.dutyId }, body: { statement: 'rapport' } }) },
    accessLicence: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { id: w.activeId }, body: { purpose: 'etude' } }) },
    getAccess: { rightful: 'private', call: () => ({ params: { id: w.accessId } }) },
    licenceRecords: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { id: w.activeId }, query: { limit: '1' } }) },
    licenceExport: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { id: w.activeId, format: 'csv' } }) },
    createSubscription: { rightful: 'private', otherSide: 'dsp', call: () => ({ body: { licenceId: w.activeId, webhook: { url: `${receiver.url}/other` } } }) },
    listSubscriptions: { rightful: 'private', call: () => ({}) },
    deleteSubscription: { rightful: 'private', call: () => ({ params: { id: w.subscriptionId } }) },
    rotateSubscriptionSecret: { rightful: 'private', call: () => ({ params: { id: w.subscriptionId } }) },
    listDeliveries: { rightful: 'private', call: () => ({ params: { id: w.subscriptionId } }) },
    getFeed: { rightful: 'private', otherSide: 'dsp', call: () => ({ params: { datasetId: w.datasetId } }) },
  };

  const keyed = (Object.entries(routes) as [RouteId, RouteDeclaration][]).filter(([, r]) => r.auth === 'key');

  it('declares a permission for every route, and a fixture for every keyed route', () => {
    for (const [id, r] of Object.entries(routes) as [RouteId, RouteDeclaration][]) {
      expect(r.allow, id).toBeDefined();
      expect(r.allow === 'anyone', `${id}: routes without a key are for anyone, keyed routes name their roles`).toBe(r.auth === 'none');
    }
    expect(Object.keys(fixtures).sort()).toEqual(keyed.map(([id]) => id).sort());
  });

  it('declares exactly the reviewed permissions', () => {
    expect(Object.fromEntries((Object.entries(routes) as [RouteId, RouteDeclaration][]).map(([id, r]) => [id, summaryOf(r)]))).toEqual(REVIEWED);
  });

  /** A key of `role` belonging to the rightful partner (or the nearest one that can hold that role). */
  const keyOfRole = (role: CallerRole, rightful: Slot): Caller => {
    if (role === 'officer') return { label: 'an officer key', key: () => t.keys.officer.key };
    const slot = rightful === 'officer' ? 'dsp' : rightful;
    return role === 'admin'
      ? { label: `the admin key of ${slot}`, key: () => t.keys[slot].key }
      : { label: `a member key of ${slot}`, key: () => members[slot] };
  };

  /** Every caller the declaration refuses, with the status it must get. */
  const refusals = (p: RoutePermission, f: Fixture): { caller: Caller; status: 403 | 404; code?: string }[] => {
    const cases: { caller: Caller; status: 403 | 404; code?: string }[] = (['officer', 'admin', 'member'] as const)
      .filter((role) => !p.roles.includes(role))
      .map((role) => ({ caller: keyOfRole(role, f.rightful), status: 403 as const, code: 'role_not_allowed' }));
    if (!p.party) return cases;
    const outsider: Slot = f.rightful === 'public' || f.otherSide === 'public' ? 'private' : 'public';
    cases.push({ caller: { label: `the admin key of an unrelated partner (${outsider})`, key: () => t.keys[outsider].key }, status: OUTSIDER_STATUS[p.party] });
    if (f.otherSide) cases.push({ caller: { label: `the admin key of the other party (${f.otherSide})`, key: () => t.keys[f.otherSide!].key }, status: 403 });
    if (!p.officers && p.roles.includes('officer') && f.rightful !== 'officer') {
      cases.push({ caller: { label: 'an officer key (the collectivity is no party)', key: () => t.keys.officer.key }, status: OUTSIDER_STATUS[p.party] });
    }
    return cases;
  };

  const pathOf = (r: RouteDeclaration, c: Call) => {
    const path = r.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(c.params?.[name] ?? `missing-${name}`));
    return c.query ? `${path}?${new URLSearchParams(c.query)}` : path;
  };

  for (const [id, r] of keyed) {
    const p = r.allow as RoutePermission;
    const f = fixtures[id as keyof typeof fixtures];
    const cases = f ? refusals(p, f) : [];
    if (cases.length === 0) continue;
    it(`${id}: ${r.method} ${r.path} refuses ${cases.map((c) => c.caller.label).join('; ')}`, async () => {
      for (const c of cases) {
        const call = f.call();
        const before = await snapshot();
        const res = await t.call(r.method, pathOf(r, call), { key: c.caller.key(), ...(call.body !== undefined ? { body: call.body } : r.body ? { body: {} } : {}) });
        await t.runtime.settle();
        expect(res.status, `${id} by ${c.caller.label}: ${JSON.stringify(res.body)}`).toBe(c.status);
        if (c.code) expect(res.body.error.code).toBe(c.code);
        expect(await snapshot(), `${id} by ${c.caller.label} changed the table`).toBe(before);
      }
    });
  }
});
