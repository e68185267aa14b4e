import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointDigest, type SignedCheckpoint } from '../../contracts/audit-checkpoint.ts';
import { digestOf } from '../../contracts/digest.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { AuditCheckpointer } from '../../functions/domain/audit/checkpointer.ts';
import { appendLinks, GENESIS_HEAD } from '../../functions/domain/audit/chain.ts';
import type { AuditEventBody, AuditExport } from '../../schemas/index.ts';
import { verifyAuditExport } from '../../sdk/audit-export.ts';
import { MemoryCheckpointStore } from '../support/memory-checkpoints.ts';

const body = (i: number): AuditEventBody => ({ id: `evt_${i}`, at: '2026-11-02T10:00:00.000Z', actor: { type: 'system', name: 'test' }, action: 'test.done', subject: `s${i}`, parties: [], data: { i } });

describe('offline verification of an audit export', () => {
  const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'comptoir-key-')), 'signing-key.pem'));
  let doc: AuditExport;

  beforeAll(async () => {
    const { entries } = appendLinks(GENESIS_HEAD, Array.from({ length: 10 }, (_, i) => ({ body: body(i + 1), bodyHash: digestOf(body(i + 1)) })));
    const sign = async (seq: number): Promise<SignedCheckpoint> => {
      const statement = { seq, headHash: entries[seq - 1]!.hash, at: '2026-11-02T10:05:00.000Z' };
      return { ...statement, signature: await signer.sign(checkpointDigest(statement)) };
    };
    const { kid, publicKey } = await signer.publicKey();
    doc = { format: 'comptoir-audit-export/1', source: 'http://x', exportedAt: '2026-11-02T11:00:00.000Z', key: { alg: 'Ed25519', kid, publicKey }, checkpoints: [await sign(4), await sign(8)], entries };
  });

  it('accepts an intact export and names the last checkpoint it matched', () => {
    expect(verifyAuditExport(doc)).toMatchObject({ valid: true, events: 10, checkpoints: 2, lastCheckpoint: { seq: 8 }, key: { pinned: false } });
  });

  it('refuses an export cut before one of its checkpoints: entries were removed', () => {
    const cut = { ...doc, entries: doc.entries.slice(0, 6) };
    expect(verifyAuditExport(cut)).toMatchObject({ valid: false, brokenSeq: 7, reason: expect.stringContaining('seq 8 exists but the chain ends at seq 6') });
  });

  it('refuses a body that does not hash to its entry, before any checkpoint', () => {
    const edited = structuredClone(doc);
    edited.entries[1]!.body!.data = { i: 99 };
    expect(verifyAuditExport(edited)).toMatchObject({ valid: false, brokenSeq: 2, reason: 'body does not match bodyHash' });
  });

  it('refuses a checkpointer configured with a count that is not a positive whole number', () => {
    for (const every of [0, -1, 1.5, Number.NaN]) {
      expect(() => new AuditCheckpointer({ store: new MemoryCheckpointStore(), signer, clock: { now: () => new Date() }, chain: { head: async () => GENESIS_HEAD }, every })).toThrow(/COMPTOIR_AUDIT_CHECKPOINT_EVERY/);
    }
  });
});
