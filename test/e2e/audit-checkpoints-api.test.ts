import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkpointSignatureProblem } from '../../contracts/audit-checkpoint.ts';
import { canonicalJson, digestOf } from '../../contracts/digest.ts';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { checkpointKey } from '../../functions/adapters/s3/checkpoint-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { checkLinks, GENESIS_HEAD, linkHash } from '../../functions/domain/audit/chain.ts';
import type { AuditCheckpoint, AuditEntry } from '../../schemas/index.ts';
import { jsonOf, runCli } from '../cli/run-cli.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

/**
 * Signed checkpoints against an attacker who can write the table: the hash chain alone can be recomputed
 * whole, a checkpoint's signature cannot. The sequencer checkpoints every batch here (N = 1).
 */
describe('audit checkpoints over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let dir: string;
  const db = createDocumentClient({ endpoint: dynamoEndpoint() });
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
  const cli = (args: string[]) => runCli(args, { env: { HOME: dir, COMPTOIR_URL: t.runtime.url, COMPTOIR_KEY: t.keys.private.key, XDG_CONFIG_HOME: join(dir, 'config') }, cwd: dir });
  /** One event, sequenced alone: one batch, so one checkpoint. */
  const oneEvent = async (label: string) => {
    expect((await t.call('POST', `/v1/partners/${t.keys.private.partnerId}/keys`, { key: t.keys.private.key, body: { role: 'member', label } })).status).toBe(201);
    await t.runtime.settle();
  };
  const checkpoints = async (): Promise<{ items: AuditCheckpoint[]; key: { publicKey: string } }> => {
    const items: AuditCheckpoint[] = [];
    let cursor: string | undefined;
    let key;
    do {
      const page = await t.call('GET', `/v1/audit/checkpoints?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: t.keys.dsp.key });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      key = page.body.key;
      cursor = page.body.cursor;
    } while (cursor);
    return { items, key };
  };
  const verify = async () => (await t.call('GET', '/v1/audit/verify', { key: t.keys.private.key })).body;
  const head = async () => (await db.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'AUDIT', sk: 'HEAD' } }))).Item!;

  beforeAll(async () => {
    [t, dir] = await Promise.all([startTestRuntime({ checkpointEvery: 1 }), mkdtemp(join(tmpdir(), 'comptoir-audit-'))]);
    for (const label of ['a', 'b', 'c', 'd']) await oneEvent(label);
  });
  afterAll(async () => {
    await t?.stop();
    db.destroy();
    s3.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists checkpoints newest first, each signed by the platform key it publishes, and verifies the chain against them', async () => {
    // Act
    const { items, key } = await checkpoints();
    const verdict = await verify();
    const { seq } = await head();

    // Assert: the head and the last four single-event batches are checkpointed, every signature checks
    expect(items[0]!.seq).toBe(seq);
    expect(items.map((c) => c.seq)).toEqual([...items.map((c) => c.seq)].sort((a, b) => b - a));
    expect(items.map((c) => c.seq).slice(0, 4)).toEqual([seq, seq - 1, seq - 2, seq - 3]);
    expect(items.every((c) => checkpointSignatureProblem(c, key.publicKey) === undefined)).toBe(true);
    expect(verdict).toMatchObject({ valid: true, checkpoints: items.length, lastCheckpoint: { seq } });
  });

  it('exports the chain and verifies the export offline, with the key pinned; an edited checkpoint signature fails', async () => {
    // Arrange
    const exported = await cli(['audit', 'export', '--out', 'clean.json', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(await readFile(join(dir, 'clean.json'), 'utf8'));
    const forged = structuredClone(doc);
    const victim = forged.checkpoints.at(-2);
    victim.signature.signature = `${victim.signature.signature[1]}${victim.signature.signature[0]}${victim.signature.signature.slice(2)}`;
    await writeFile(join(dir, 'forged.json'), JSON.stringify(forged));

    // Act
    const [clean, pinned, wrongKey, bad, keyAlone, notAKey] = await Promise.all([
      cli(['audit', 'verify', '--offline', 'clean.json', '--json']),
      cli(['audit', 'verify', '--offline', 'clean.json', '--public-key', doc.key.publicKey, '--json']),
      cli(['audit', 'verify', '--offline', 'clean.json', '--public-key', 'A'.repeat(43), '--json']),
      cli(['audit', 'verify', '--offline', 'forged.json', '--json']),
      cli(['audit', 'verify', '--public-key', doc.key.publicKey]),
      cli(['audit', 'verify', '--offline', 'clean.json', '--public-key', `${doc.key.publicKey}=`]),
    ]);

    // Assert
    expect(jsonOf(exported)).toMatchObject({ entries: doc.entries.length, checkpoints: doc.checkpoints.length });
    expect(clean.code, clean.stderr).toBe(0);
    expect(jsonOf(clean)).toMatchObject({ valid: true, checkpoints: doc.checkpoints.length, key: { pinned: false } });
    expect(clean.stderr).toContain('--public-key');
    expect(jsonOf(pinned)).toMatchObject({ valid: true, key: { pinned: true } });
    expect(wrongKey.code).toBe(7);
    expect(jsonOf(wrongKey).error.details).toMatchObject({ valid: false, brokenSeq: doc.checkpoints[0].seq, reason: expect.stringContaining('another key') });
    expect(bad.code).toBe(7);
    expect(jsonOf(bad).error.details).toMatchObject({ valid: false, brokenSeq: victim.seq, reason: expect.stringContaining('bad signature') });
    expect([keyAlone.code, notAKey.code]).toEqual([2, 2]);
    expect(keyAlone.stderr).toContain('--public-key goes with --offline');
    expect(notAKey.stderr).toContain('43 characters');
  });

  it('reports a checkpoint whose signature is bad, stored where the sequencer would have put its own', async () => {
    // Arrange: a forged checkpoint waits at the next seq; the sequencer's own write there is refused
    const next = (await head()).seq + 1;
    const { items } = await checkpoints();
    const forged = { ...items[0]!, seq: next, headHash: 'f'.repeat(64) };
    await s3.send(new PutObjectCommand({ Bucket: process.env.CHECKPOINT_BUCKET_NAME, Key: checkpointKey(next), Body: canonicalJson(forged) }));

    // Act
    await oneEvent('e');
    const verdict = await verify();

    // Assert
    expect(verdict).toMatchObject({ valid: false, brokenSeq: next, reason: `the checkpoint at seq ${next} has a bad signature` });
  });

  it('catches a rewrite of every event after a checkpoint, hashes and head recomputed, at the first rewritten seq, online and offline', async () => {
    // Arrange: a clean export to compare with, then the attacker rewrites from K + 1 to the head in the table
    const { items } = await checkpoints();
    const k = (await head()).seq - 3;
    expect(items.some((c) => c.seq === k)).toBe(true);
    const rows = (await db.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)', ExpressionAttributeValues: { ':pk': 'AUDIT', ':seq': 'SEQ#' }, ConsistentRead: true }))).Items!;
    let prevHash = rows.find((r) => r.seq === k)!.hash as string;
    for (const row of rows.filter((r) => r.seq > k).sort((a, b) => a.seq - b.seq)) {
      const body = JSON.parse(row.bodyJson);
      body.data = { ...body.data, label: 'rewritten' };
      const bodyHash = digestOf(body);
      const hash = linkHash(row.seq, prevHash, bodyHash);
      await db.send(new PutCommand({ TableName: t.tableName, Item: { ...row, bodyJson: canonicalJson(body), bodyHash, prevHash, hash } }));
      prevHash = hash;
    }
    await db.send(new PutCommand({ TableName: t.tableName, Item: { ...(await head()), hash: prevHash } }));

    // Act
    const entries: AuditEntry[] = (await t.call('GET', '/v1/audit?limit=500', { key: t.keys.officer.key })).body.items;
    const verdict = await verify();
    const exported = await cli(['audit', 'export', '--out', 'tampered.json']);
    const offline = await cli(['audit', 'verify', '--offline', 'tampered.json', '--json']);

    // Assert: the plain chain holds, the signed checkpoints do not, from K + 1 on
    expect(entries.filter((e) => e.seq > k).every((e) => e.body!.data.label === 'rewritten')).toBe(true);
    expect(checkLinks(GENESIS_HEAD, entries)).toMatchObject({ valid: true });
    expect(verdict).toMatchObject({ valid: false, brokenSeq: k + 1, lastCheckpoint: { seq: k }, reason: expect.stringContaining(`after seq ${k}`) });
    expect(exported.code, exported.stderr).toBe(0);
    expect(offline.code).toBe(7);
    expect(jsonOf(offline).error.details).toMatchObject({ valid: false, brokenSeq: k + 1, lastCheckpoint: { seq: k } });
  });
});
