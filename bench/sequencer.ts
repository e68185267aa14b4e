import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../contracts/digest.ts';
import { createDocumentClient } from '../functions/adapters/dynamo/client.ts';
import { DynamoAuditStore } from '../functions/adapters/dynamo/audit-store.ts';
import { outboxKey, outboxPut } from '../functions/adapters/dynamo/outbox.ts';
import { ensureTable } from '../functions/adapters/provisioning.ts';
import { AuditTrail, systemActor, type PendingAuditEvent } from '../functions/domain/audit/audit-trail.ts';
import { appendLinks, GENESIS_HEAD } from '../functions/domain/audit/chain.ts';
import { AuditSequencer } from '../functions/domain/audit/sequencer.ts';
import { systemClock, ulidGenerator } from '../functions/domain/ids.ts';

const REGION = 'eu-west-3';

async function writeOutbox(db: ReturnType<typeof createDocumentClient>, tableName: string, events: readonly PendingAuditEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 25) {
    const puts = events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: outboxPut(tableName, e).Put.Item } }));
    await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: puts } }));
  }
}

/**
 * Sequencer throughput (outbox to chained, published and marked) against raw TransactWriteItems of the
 * same items (one chain entry and one outbox rewrite per event, 100 items a transaction), same run.
 */
export async function benchSequencer(dynamoEndpoint: string, count: number): Promise<void> {
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION });
  const db = createDocumentClient({ endpoint: dynamoEndpoint, region: REGION });
  const trail = new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) });
  const record = (i: number) => trail.record({ actor: systemActor('bench'), action: 'licence.accessed', subject: `lic_${i % 50}`, parties: ['prt_a', 'prt_b'], data: { purpose: 'planning', i } });
  const rounds: { sequencer: number; raw: number; shaped: number }[] = [];
  try {
    // Two rounds, alternating, so both sides see the same (shared, noisy) machine.
    for (let round = 0; round < 2; round++) {
      const seqTable = `bench-seq-${round}`;
      const rawTable = `bench-raw-${round}`;
      const shapedTable = `bench-shaped-${round}`;
      await Promise.all([seqTable, rawTable, shapedTable].map((t) => ensureTable(raw, t)));
      const events = Array.from({ length: count }, (_, i) => record(i));
      await writeOutbox(db, seqTable, events);
      // DynamoDB Local slows as it fills: the sequencer goes first in one round and last in the other.
      const runSequencer = async () => {
        const sequencer = new AuditSequencer({ store: new DynamoAuditStore(db, seqTable), publisher: { publish: async () => undefined } });
        const start = performance.now();
        const result = await sequencer.drain();
        const sequencerMs = performance.now() - start;
        if (result.sequenced !== count) throw new Error(`sequenced ${result.sequenced} of ${count}`);
        return sequencerMs;
      };
      const sequencerFirst = round % 2 === 0 ? await runSequencer() : undefined;
      const { entries } = appendLinks(GENESIS_HEAD, events);
      const now = Math.floor(Date.now() / 1000);
      const items = entries.flatMap((e) => [
        { Put: { TableName: rawTable, Item: { pk: 'AUDIT', sk: `SEQ#${String(e.seq).padStart(12, '0')}`, seq: e.seq, prevHash: e.prevHash, bodyHash: e.bodyHash, hash: e.hash, bodyJson: canonicalJson(e.body), gsi2pk: `AUDIT#SUBJECT#${e.body.subject}`, gsi2sk: String(e.seq).padStart(12, '0') } } },
        { Put: { TableName: rawTable, Item: { ...outboxKey(e.body.id), bodyJson: canonicalJson(e.body), bodyHash: e.bodyHash, seq: e.seq, publishedAt: now, ttl: now + 3600 } } },
      ]);
      let start = performance.now();
      for (let i = 0; i < items.length; i += 100) await db.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) }));
      const rawMs = performance.now() - start;
      // The sequencer's own write shape without its reads, hashing and publication: entries transacted, outbox batched.
      const shaped = items.map((i) => ({ ...i, Put: { ...i.Put, TableName: shapedTable } }));
      const entryItems = shaped.filter((_, i) => i % 2 === 0);
      const outboxItems = shaped.filter((_, i) => i % 2 === 1);
      start = performance.now();
      for (let i = 0; i < entryItems.length; i += 99) {
        await db.send(new TransactWriteCommand({ TransactItems: entryItems.slice(i, i + 99) }));
        const marks = outboxItems.slice(i, i + 99);
        await Promise.all(Array.from({ length: Math.ceil(marks.length / 25) }, (_, j) => db.send(new BatchWriteCommand({ RequestItems: { [shapedTable]: marks.slice(j * 25, j * 25 + 25).map((m) => ({ PutRequest: { Item: m.Put.Item } })) } }))));
      }
      const shapedMs = performance.now() - start;
      rounds.push({ sequencer: sequencerFirst ?? (await runSequencer()), raw: rawMs, shaped: shapedMs });
    }
  } finally {
    db.destroy();
    raw.destroy();
  }
  const best = (k: 'sequencer' | 'raw' | 'shaped') => Math.min(...rounds.map((r) => r[k]));
  const perSecond = (ms: number) => (count / (ms / 1000)).toFixed(0);
  console.log(`\nAudit sequencer, ${count} outbox events (batches of 99 links per transaction, then publish and mark), best of ${rounds.length} rounds`);
  console.log(`  raw TransactWriteItems, same items   ${perSecond(best('raw')).padStart(6)} events/s   (${(2 * count).toLocaleString('en')} items, 100 per transaction)`);
  console.log(`  raw writes in the sequencer's shape   ${perSecond(best('shaped')).padStart(6)} events/s   (entries 99 per transaction, outbox 25 per BatchWriteItem)`);
  console.log(`  sequencer drain                      ${perSecond(best('sequencer')).padStart(6)} events/s   (target >= 1,000 on the local runtime)`);
  console.log(`  ratio (time) to raw TransactWriteItems ${(best('sequencer') / best('raw')).toFixed(2)}x   to the same shape ${(best('sequencer') / best('shaped')).toFixed(2)}x`);
}
