import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkpointSignatureProblem, type SignedCheckpoint } from '../../contracts/audit-checkpoint.ts';
import { S3CheckpointStore, checkpointKey } from '../../functions/adapters/s3/checkpoint-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { AuditCheckpointer } from '../../functions/domain/audit/checkpointer.ts';
import { CheckpointConflictError, CheckpointExistsError } from '../../functions/domain/audit/errors.ts';
import { AuditSequencer } from '../../functions/domain/audit/sequencer.ts';
import { DependencyError } from '../../functions/domain/errors.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { MemoryCheckpointStore } from '../support/memory-checkpoints.ts';
import { bootstrapOfficer, RecordingPublisher, servicesOn } from '../support/services.ts';

const hash = (c: string) => c.repeat(64);
const clock = { now: () => new Date('2026-11-02T10:00:00Z') };

describe('audit checkpoints in write-once storage (S3 emulator)', () => {
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
  const bucket = `cp-${randomUUID().slice(0, 18)}`;
  const store = new S3CheckpointStore(s3, bucket);
  /** The headers of every PUT the adapter sends (observed, not altered). */
  const puts: Record<string, string>[] = [];
  s3.middlewareStack.add((next) => async (args) => {
    const request = args.request as { method?: string; path?: string; headers?: Record<string, string> };
    if (request.method === 'PUT' && request.path?.includes('/checkpoints/')) puts.push({ ...request.headers });
    return next(args);
  }, { step: 'finalizeRequest' });
  const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'comptoir-key-')), 'signing-key.pem'));
  const checkpointer = new AuditCheckpointer({ store, signer, clock, chain: { head: async () => ({ seq: 0, hash: hash('0') }) }, every: 10 });

  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: bucket })));
  afterAll(() => s3.destroy());

  it('refuses to overwrite a stored checkpoint (the storage honours If-None-Match), and keeps the first', async () => {
    // Arrange
    const first = await checkpointer.write({ seq: 7, hash: hash('a') });
    const rewrite: SignedCheckpoint = { ...first, headHash: hash('b'), signature: await signer.sign(hash('b')) };

    // Act
    const refused = await store.put(rewrite).catch((e: unknown) => e);

    // Assert
    expect(refused).toBeInstanceOf(CheckpointExistsError);
    // The storage refuses an existing key on this header (the bucket policy requires it in the cloud).
    expect(puts.length).toBeGreaterThan(0);
    expect(puts.every((h) => h['if-none-match'] === '*' && h['x-amz-checksum-sha256'])).toBe(true);
    const raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: checkpointKey(7) }));
    expect(JSON.parse(await raw.Body!.transformToString())).toEqual(first);
    expect(await store.get(7)).toEqual(first);
  });

  it('treats a second write of the same head as done, and a different head at a checkpointed seq as a conflict', async () => {
    // Act
    const again = await checkpointer.write({ seq: 7, hash: hash('a') });
    const conflict = await checkpointer.write({ seq: 7, hash: hash('c') }).catch((e: unknown) => e);

    // Assert
    expect(again.headHash).toBe(hash('a'));
    expect(conflict).toBeInstanceOf(CheckpointConflictError);
  });

  it('lists newest first by pages, finds the latest and a seq range oldest first, every item signed by the platform key', async () => {
    // Arrange
    for (const seq of [3, 12, 1000, 20]) await checkpointer.write({ seq, hash: hash(String(seq % 10)) });

    // Act
    const first = await store.list(2);
    const second = await store.list(2, first.nextBelowSeq);
    const rest = await store.list(2, second.nextBelowSeq);

    // Assert
    expect([first, second, rest].map((p) => p.items.map((c) => c.seq))).toEqual([[1000, 20], [12, 7], [3]]);
    expect((await store.list(10, 3)).items).toEqual([]);
    expect((await store.latest())?.seq).toBe(1000);
    expect((await store.between(3, 20)).map((c) => c.seq)).toEqual([7, 12, 20]);
    const { publicKey } = await signer.publicKey();
    expect(first.items.every((c) => checkpointSignatureProblem(c, publicKey) === undefined)).toBe(true);
  });
  it('refuses a genuine checkpoint copied under the key of another seq (run last: the bucket keeps it)', async () => {
    // Arrange
    const genuine = await checkpointer.write({ seq: 2000, hash: hash('d') });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: checkpointKey(2001), Body: JSON.stringify(genuine) }));

    // Act
    const read = await store.get(2001).catch((e: unknown) => e);

    // Assert
    expect(read).toBeInstanceOf(DependencyError);
    expect((read as Error).message).toContain('seq 2001');
  });
});

describe('the sequencer checkpoints every N events without a round trip per batch', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(() => table.drop());

  it('writes a checkpoint only for batches that pass a multiple of N, and the schedule one when the chain moved', async () => {
    // Arrange: 30 events sequenced in batches of 10 (N = 25)
    const s = servicesOn(table);
    const { officer } = await bootstrapOfficer(s.identity);
    const checkpoints = new MemoryCheckpointStore();
    let writes = 0;
    const checkpointer = new AuditCheckpointer({ store: checkpoints, signer: s.signer, clock, chain: s.auditStore, every: 25 });
    const counting = { due: checkpointer.due.bind(checkpointer), write: (h: { seq: number; hash: string }) => (writes++, checkpointer.write(h)) };
    const sequencer = new AuditSequencer({ store: s.auditStore, publisher: new RecordingPublisher(), checkpoints: counting });
    await sequencer.drain();
    writes = 0;
    const start = (await s.auditStore.head()).seq;
    for (let i = 0; i < 30; i++) await s.identity.createPartner(officer, { name: `P${i}`, kind: 'private', contactEmail: `p${i}@x.example` });
    const pending = await s.auditStore.pendingEventIds(500);

    // Act
    for (let i = 0; i < pending.length; i += 10) await sequencer.process(pending.slice(i, i + 10));
    const head = await s.auditStore.head();
    const scheduled = await checkpointer.checkpointIfMoved();
    const idle = await checkpointer.checkpointIfMoved();

    // Assert: one write per multiple of 25 passed, at the end of the batch that passed it; the schedule adds the head
    const batchEnds = Array.from({ length: pending.length / 10 }, (_, i) => start + 10 * (i + 1));
    const passing = batchEnds.filter((end) => Math.floor(end / 25) > Math.floor((end - 10) / 25));
    expect(pending).toHaveLength(60);
    expect(passing.length).toBeGreaterThanOrEqual(2);
    expect(writes).toBe(passing.length);
    expect(head.seq).toBe(start + 60);
    expect(scheduled?.seq).toBe(passing.includes(head.seq) ? undefined : head.seq);
    expect([...checkpoints.bySeq.keys()].filter((seq) => seq > start).sort((a, b) => a - b)).toEqual([...new Set([...passing, head.seq])]);
    expect(idle).toBeUndefined();
    expect((await s.audit.verify(officer, {})).valid).toBe(true);

    // A signed checkpoint past the head (entries and head rolled back) breaks the chain right after its end
    await s.checkpoints.put((await new AuditCheckpointer({ store: new MemoryCheckpointStore(), signer: s.signer, clock, chain: s.auditStore, every: 1 }).write({ seq: head.seq + 5, hash: hash('e') })));
    expect(await s.audit.verify(officer, {})).toMatchObject({ valid: false, brokenSeq: head.seq + 1, reason: expect.stringContaining(`seq ${head.seq + 5} exists`) });
  });
});
