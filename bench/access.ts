import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { LocalRuntime } from '../infra/local/runtime.ts';
import type { DemoKeys } from '../infra/local/demo-territory.ts';
import { summarize, timeIt } from './stats.ts';

/** Calls the running API as a client would. */
async function call(runtime: LocalRuntime, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(runtime.url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await res.json()) as Record<string, any>;
}

/** The access decision (load licence, evaluate, count quota, record, presign) against a raw GetItem + presign. */
export async function benchAccess(runtime: LocalRuntime, keys: DemoKeys, dynamoEndpoint: string, tableName: string, rounds: number): Promise<void> {
  const csv = 'line,passengers\nA,120\n';
  const ds = await call(runtime, keys.dsp.key, 'POST', '/v1/datasets', { title: 'Fréquentation', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } });
  const started = await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions`, { bytes: csv.length });
  await fetch(started.upload.url, { method: 'PUT', body: csv });
  await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions/1/complete`, {});
  await runtime.settle();
  const offer = await call(runtime, keys.dsp.key, 'POST', '/v1/offers', { datasetId: ds.id, template: 'territorial-restricted', clauses: [{ kind: 'quota', params: { count: 1_000_000, per: 'P1D' } }], audience: ['private'] });
  const licence = await call(runtime, keys.private.key, 'POST', '/v1/licences', { offerId: offer.id, purpose: 'planning' });
  await call(runtime, keys.private.key, 'POST', `/v1/licences/${licence.id}/sign`);

  const { identityService } = await import('../functions/wiring/identity.ts');
  const { accessService } = await import('../functions/wiring/access.ts');
  const { objectStore } = await import('../functions/wiring/storage.ts');
  const principal = (await identityService.authenticate(`Bearer ${keys.private.key}`))!;
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint });
  const getLicence = new GetItemCommand({ TableName: tableName, Key: { pk: { S: `LICENCE#${licence.id}` }, sk: { S: 'LICENCE' } }, ConsistentRead: true });
  const baseline = async () => {
    await raw.send(getLicence);
    await objectStore.presignGet(`versions/${ds.id}/v1/x`, 900, 'x.csv');
  };
  const decide = async () => {
    const d = await accessService.access(principal, licence.id, { purpose: 'planning' });
    if (d.decision !== 'permit' || !d.url) throw new Error(`access not permitted: ${JSON.stringify(d)}`);
  };
  // The floor of any decision that counts the access and records it with its audit event atomically: those three writes alone.
  let n = 0;
  const floor = async () => {
    const id = `bench-floor-${n++}`;
    const at = new Date().toISOString();
    await Promise.all([
      raw.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: tableName, Key: { pk: { S: `LICENCE#${licence.id}` }, sk: { S: 'QUOTA#floor' } }, UpdateExpression: 'ADD #c :one', ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '1000000000' } } } },
            { Put: { TableName: tableName, Item: { pk: { S: `ACCESS#${id}` }, sk: { S: 'ACCESS' }, licenceId: { S: licence.id }, datasetId: { S: ds.id }, purpose: { S: 'planning' }, at: { S: at }, objectKey: { S: `versions/${ds.id}/v1/x.csv` } }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: tableName, Item: { pk: { S: `FLOOR#${id}` }, sk: { S: 'EVENT' }, action: { S: 'licence.accessed' }, subject: { S: licence.id }, at: { S: at } } } },
          ],
        }),
      ),
      objectStore.presignGet(`versions/${ds.id}/v1/x`, 900, 'x.csv'),
    ]);
  };
  for (let i = 0; i < 50; i++) {
    await baseline();
    await decide();
    await floor();
  }
  const b: number[] = [];
  const a: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < rounds; i++) {
    b.push(await timeIt(baseline));
    a.push(await timeIt(decide));
    f.push(await timeIt(floor));
  }
  const sb = summarize(b);
  const sa = summarize(a);
  const sf = summarize(f);
  console.log(`\nAccess decision (load licence, dataset and version, evaluate, count quota and record atomically, presign), ${rounds} interleaved rounds`);
  console.log(`  raw GetItem + presign         median ${sb.median.toFixed(2)} ms   p95 ${sb.p95.toFixed(2)} ms`);
  console.log(`  access decision               median ${sa.median.toFixed(2)} ms   p95 ${sa.p95.toFixed(2)} ms`);
  console.log(`  ratio (median)                ${(sa.median / sb.median).toFixed(2)}x   (target <= 2x)`);
  console.log(`  floor: raw TransactWriteItems of quota, access record and audit event ∥ presign`);
  console.log(`                                median ${sf.median.toFixed(2)} ms   p95 ${sf.p95.toFixed(2)} ms   ratio ${(sf.median / sb.median).toFixed(2)}x`);
  raw.destroy();
}
