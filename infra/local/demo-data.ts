import { ComptoirClient } from '../../sdk/client.ts';
import type { DemoKeys } from './demo-territory.ts';

const WATER_CSV = ['commune;date;volume_m3;conformite', '75056;2026-10-01;182340;true', '92012;2026-10-01;40211;true', '93066;2026-10-01;35870;false', ''].join('\n');
const TRIPS_CSV = ['trip_id,vehicle_id,depart,arrivee,duree_min', 't1,v-001,2026-11-02T07:40:00Z,2026-11-02T08:05:00Z,25', 't2,v-002,2026-11-02T08:10:00Z,2026-11-02T08:31:00Z,21', ''].join('\n');

async function publish(api: ComptoirClient, datasetId: string, body: string): Promise<void> {
  const bytes = new TextEncoder().encode(body);
  const started = await api.call('createVersion', { params: { id: datasetId }, body: { bytes: bytes.length } });
  if (!('method' in started.upload)) throw new Error('demo files are small enough for one PUT');
  const put = await fetch(started.upload.url, { method: 'PUT', body: bytes, headers: started.upload.headers });
  if (!put.ok) throw new Error(`demo upload answered ${put.status}`);
  await api.call('completeUpload', { params: { id: datasetId, n: started.version.version }, body: {} });
}

/**
 * Gives a new demo territory something to look at, through the public API as any client would: a DSP
 * contract with a delivered dataset, a mobility dataset offered under officer approval, a policy rule,
 * and a licence request waiting in the officers' inbox.
 */
export async function seedDemoData(baseUrl: string, keys: DemoKeys, settle: () => Promise<void>): Promise<void> {
  const as = (slot: keyof DemoKeys) => new ComptoirClient({ baseUrl, key: keys[slot].key });
  const officer = as('officer');
  const dsp = as('dsp');
  const publicBody = as('public');
  const privateFirm = as('private');
  await officer.call('putPolicy', {
    body: {
      rules: [
        {
          id: 'mobilite-entreprises',
          description: 'Les entreprises qui utilisent des données de mobilité partagent leurs enrichissements et ne voient pas les véhicules.',
          when: { theme: 'mobility', licenseeKinds: ['private'] },
          require: [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }, { kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } }],
          requireApproval: true,
        },
        { id: 'trois-ans', description: 'Aucune licence au-delà de trois ans.', maxDuration: 'P3Y' },
      ],
    },
  });
  const today = new Date().toISOString().slice(0, 10);
  const contract = await officer.call('createContract', {
    body: {
      operatorId: keys.dsp.partnerId,
      service: 'Production et distribution d’eau potable',
      startsOn: today,
      endsOn: `${Number(today.slice(0, 4)) + 8}-12-31`,
      obligations: [
        { id: 'volumes', title: 'Volumes distribués par commune', every: 'P1M', graceDays: 10 },
        { id: 'qualite', title: 'Analyses de qualité de l’eau', every: 'P3M', graceDays: 15, openDataAfter: 'P30D' },
      ],
    },
  });
  const water = await dsp.call('createDataset', {
    body: {
      title: 'Volumes d’eau distribués par commune',
      description: 'Volumes mensuels distribués et conformité sanitaire, par commune desservie.',
      theme: 'water',
      keywords: ['eau potable', 'volumes', 'conformité'],
      classification: 'shared',
      format: 'csv',
      schema: { fields: [{ name: 'commune', type: 'string', required: true }, { name: 'date', type: 'date', required: true }, { name: 'volume_m3', type: 'number' }, { name: 'conformite', type: 'boolean' }] },
      obligation: { contractId: contract.id, obligationId: 'volumes' },
    },
  });
  await publish(dsp, water.id, WATER_CSV);
  await dsp.call('createOffer', { body: { datasetId: water.id, template: 'territorial-restricted', clauses: [], audience: ['public', 'private'], approval: 'auto' } });
  const trips = await publicBody.call('createDataset', {
    body: {
      title: 'Trajets de transport à la demande',
      description: 'Trajets anonymisés du service de transport à la demande, mis à jour chaque mois.',
      theme: 'mobility',
      keywords: ['mobilité', 'transport à la demande'],
      classification: 'shared',
      format: 'csv',
      schema: { fields: [{ name: 'trip_id', type: 'string', required: true }, { name: 'vehicle_id', type: 'string', personal: true }, { name: 'depart', type: 'datetime' }, { name: 'arrivee', type: 'datetime' }, { name: 'duree_min', type: 'integer' }] },
    },
  });
  await publish(publicBody, trips.id, TRIPS_CSV);
  const offer = await publicBody.call('createOffer', {
    body: { datasetId: trips.id, template: 'mobility', clauses: [{ kind: 'purpose', params: { allowed: ['calcul-itineraires', 'etude-mobilite'] } }], audience: ['private', 'public'], approval: 'officer' },
  });
  await settle();
  await privateFirm.call('requestLicence', { body: { offerId: offer.id, purpose: 'calcul-itineraires' } });
  await settle();
}
