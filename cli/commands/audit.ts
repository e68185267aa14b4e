import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AuditExportSchema, type AuditVerify } from '../../schemas/index.ts';
import { stringFlag, type CommandSpec, type Context } from '../command.ts';
import { UsageError, VerificationError } from '../errors.ts';
import { fields } from '../output.ts';
import { exportAudit, verifyAuditExport } from '../../sdk/audit-export.ts';
import { verifyChain } from '../../sdk/flows.ts';

export interface AuditVerdict {
  readonly valid: boolean;
  /** Entries checked, over every page. */
  readonly events: number;
  readonly head: AuditVerify['head'];
  readonly brokenSeq?: number;
  readonly reason?: string;
  /** Signed checkpoints the chain was compared with. */
  readonly checkpoints?: number;
  readonly lastCheckpoint?: AuditVerify['lastCheckpoint'];
}

const PUBLIC_KEY = /^[A-Za-z0-9_-]{43}$/;

export const auditVerify: CommandSpec = {
  name: 'audit verify',
  summary: 'Recompute the audit hash chain end to end and compare it with the signed checkpoints (exit code 7 when it is broken)',
  description:
    'With --offline <export>, verifies a file written by `comptoir audit export` without the platform: links, bodies, and each checkpoint\'s ' +
    'Ed25519 signature. Pass --public-key with the platform key obtained another way, so that a rewritten export (key included) fails too.',
  options: {
    offline: { type: 'string', value: 'export', description: 'verify this export file, without contacting the platform' },
    'public-key': { type: 'string', value: 'base64url', description: "with --offline: the platform's Ed25519 public key to trust (default: the export's)" },
  },
  examples: ['comptoir audit verify', 'comptoir audit verify --json', 'comptoir audit verify --offline audit-export.json --public-key <key>'],
  async run(ctx, input) {
    const offline = stringFlag(input, 'offline');
    const pinned = stringFlag(input, 'public-key');
    if (pinned !== undefined && offline === undefined) throw new UsageError('--public-key goes with --offline <export>');
    if (pinned !== undefined && !PUBLIC_KEY.test(pinned)) throw new UsageError('--public-key must be a raw Ed25519 key in base64url (43 characters)');
    const verdict = offline === undefined ? await online(ctx) : await verifyFile(ctx, offline, pinned);
    if (!verdict.valid) {
      throw new VerificationError(`the audit chain is broken at seq ${verdict.brokenSeq ?? '?'}${verdict.reason ? `: ${verdict.reason}` : ''}`, 'audit_chain_broken', verdict);
    }
    ctx.out.result(verdict, () => [
      `The audit chain is intact: ${verdict.events} event(s) checked, ${verdict.checkpoints ?? 0} signed checkpoint(s) matched.`,
      ...fields([
        ['head seq', verdict.head.seq],
        ['head hash', verdict.head.hash],
        ['last checkpoint', verdict.lastCheckpoint ? `seq ${verdict.lastCheckpoint.seq} at ${verdict.lastCheckpoint.at}` : undefined],
      ]),
    ]);
  },
};

async function online(ctx: Context): Promise<AuditVerdict> {
  const page = await verifyChain(ctx.client());
  return {
    valid: page.valid,
    events: page.events,
    head: page.head,
    checkpoints: page.checkpoints,
    ...(page.lastCheckpoint ? { lastCheckpoint: page.lastCheckpoint } : {}),
    ...(page.brokenSeq !== undefined ? { brokenSeq: page.brokenSeq } : {}),
    ...(page.reason ? { reason: page.reason } : {}),
  };
}

async function verifyFile(ctx: Context, path: string, pinned: string | undefined): Promise<AuditVerdict & { key: { publicKey: string; pinned: boolean } }> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw new UsageError(`${path} is not JSON`);
  }
  const parsed = AuditExportSchema.safeParse(doc);
  if (!parsed.success) throw new UsageError(`${path} is not a comptoir audit export: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  if (pinned === undefined) ctx.out.note("Checking against the key the export carries: pass --public-key with the platform's key, obtained another way, to trust nothing in the file.");
  return verifyAuditExport(parsed.data, pinned);
}

export const auditExport: CommandSpec = {
  name: 'audit export',
  summary: 'Write the audit chain you can read, the signed checkpoints and the platform key to a JSON file, for `audit verify --offline`',
  options: { out: { type: 'string', value: 'file', description: 'where to write (default: audit-export.json)' } },
  examples: ['comptoir audit export --out audit-2026-11.json'],
  async run(ctx, input) {
    const file = resolve(stringFlag(input, 'out') ?? 'audit-export.json');
    const doc = await exportAudit(ctx.client(), ctx.config.url);
    await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
    const summary = { file, entries: doc.entries.length, checkpoints: doc.checkpoints.length, key: doc.key };
    ctx.out.result(summary, () => [
      `Wrote ${doc.entries.length} entries and ${doc.checkpoints.length} signed checkpoint(s) to ${file}.`,
      ...fields([
        ['platform key', doc.key.publicKey],
        ['key id', doc.key.kid],
      ]),
    ]);
  },
};
