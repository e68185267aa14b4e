import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { AccessDecision, Licence } from '../../schemas/index.ts';
import type { ComptoirClient } from '../../sdk/client.ts';
import { arg, booleanFlag, intFlag, stringFlag, type CommandInput, type CommandSpec, type Context } from '../command.ts';
import { CliError, EXIT } from '../errors.ts';
import { downloadTo } from '../download.ts';
import { fields, formatBytes, table } from '../output.ts';
import { Progress } from '../progress.ts';
import { pollAccess } from '../../sdk/flows.ts';

const STATES = 'pending_approval, awaiting_signature, active, suspended, expired, revoked, rejected, terminated, declined';
const WAIT_LIMIT_MS = 10 * 60_000;

const party = (p: { name: string; id: string }) => `${p.name} (${p.id})`;

function describeLicence(l: Licence): string[] {
  return fields([
    ['licence', l.id],
    ['state', l.state],
    ['dataset', l.datasetId],
    ['offer', l.offerId],
    ['licensor', party(l.licensor)],
    ['licensee', party(l.licensee)],
    ['purpose', l.purpose],
    ['clauses', l.clauses.map((c) => c.kind)],
    ['digest', l.digest],
  ]);
}

export const licencesList: CommandSpec = {
  name: 'licences list',
  summary: 'Your licences (all of them for officers), optionally in one state',
  options: { state: { type: 'string', value: 's', description: STATES } },
  examples: ['comptoir licences list --state active', 'comptoir licences list --state pending_approval --json'],
  async run(ctx, input) {
    const state = stringFlag(input, 'state') as Licence['state'] | undefined;
    const items = await ctx.client().all('listLicences', { query: { state } });
    ctx.out.result({ items }, () =>
      items.length === 0
        ? 'No licence.'
        : table(['ID', 'STATE', 'DATASET', 'PURPOSE', 'LICENSOR', 'LICENSEE'], items.map((l) => [l.id, l.state, l.datasetId, l.purpose, l.licensor.name, l.licensee.name])),
    );
  },
};

export const licencesRequest: CommandSpec = {
  name: 'licences request',
  summary: 'Request a licence on an offer for a declared purpose',
  args: [{ name: 'offerId', required: true, description: 'the offer' }],
  options: { purpose: { type: 'string', value: 'slug', description: 'the purpose (lower-case slug, e.g. navigation); required' } },
  examples: ['comptoir licences request off_01J… --purpose navigation'],
  async run(ctx, input) {
    const purpose = stringFlag(input, 'purpose');
    if (!purpose) throw new CliError('missing --purpose', 'usage', EXIT.usage);
    const licence = await ctx.client().call('requestLicence', { body: { offerId: arg(input, 'offerId'), purpose } });
    ctx.out.result(licence, () => [
      ...describeLicence(licence),
      licence.state === 'awaiting_signature' ? `Sign it with: comptoir licences sign ${licence.id}` : licence.state === 'pending_approval' ? 'An officer must approve it before you can sign it.' : '',
    ]);
  },
};

export const licencesSign: CommandSpec = {
  name: 'licences sign',
  summary: 'Accept and sign a licence (it becomes active; a priced offer debits your credits)',
  args: [{ name: 'licenceId', required: true, description: 'the licence' }],
  options: {
    'idempotency-key': { type: 'string', value: 'key', description: 'sent as Idempotency-Key (default: a new random one); reuse it to retry safely' },
  },
  examples: ['comptoir licences sign lic_01J…', 'comptoir licences sign lic_01J… --idempotency-key sign-2026-11-30'],
  async run(ctx, input) {
    const idempotencyKey = stringFlag(input, 'idempotency-key') ?? randomUUID();
    const licence = await ctx.client().call('signLicence', { params: { id: arg(input, 'licenceId') }, idempotencyKey });
    ctx.out.result(licence, () => [...describeLicence(licence), `Signed. Get the data with: comptoir licences download ${licence.id}`]);
  },
};

/** Asks for access and, when `wait`, polls until the enforced variant is ready (200). */
async function access(ctx: Context, client: ComptoirClient, licenceId: string, input: CommandInput, wait: boolean, licence?: Licence): Promise<{ status: number; decision: AccessDecision }> {
  const purpose = stringFlag(input, 'purpose') ?? (licence ?? (await client.call('getLicence', { params: { id: licenceId } }))).purpose;
  const version = intFlag(input, 'version');
  const { status, body } = await client.exchange('accessLicence', { params: { id: licenceId }, body: { purpose, ...(version ? { version } : {}) } });
  if (status !== 202 || !wait) return { status, decision: body };
  const accessId = body.accessId;
  if (!accessId) throw new CliError('the platform is preparing the data but gave no access id', 'unexpected', EXIT.unexpected);
  ctx.out.note(`The enforced variant is being prepared (access ${accessId}); waiting…`);
  const ready = await pollAccess(client, body, { timeoutMs: WAIT_LIMIT_MS });
  if (ready.status === 202) throw new CliError(`access ${accessId} is still being prepared after ${WAIT_LIMIT_MS / 60_000} minutes; try again later`, 'timeout', EXIT.unexpected);
  return ready;
}

const accessOptions = {
  purpose: { type: 'string', value: 'slug', description: "the purpose of this access (default: the licence's purpose)" },
  version: { type: 'string', value: 'n', description: 'a version number (default: the latest published)' },
} as const;

export const licencesAccess: CommandSpec = {
  name: 'licences access',
  summary: 'Ask for the bytes under a licence and print the decision',
  description: 'Permit with a short-lived URL (200), or "preparing" (202) while the platform builds the enforced variant: --wait polls until it is ready. A denial exits with code 3 and names the clauses.',
  args: [{ name: 'licenceId', required: true, description: 'the licence' }],
  options: { ...accessOptions, wait: { type: 'boolean', description: 'wait until the enforced variant is ready' } },
  examples: ['comptoir licences access lic_01J… --wait', 'comptoir licences access lic_01J… --purpose research --json'],
  async run(ctx, input) {
    const client = ctx.client();
    const { status, decision } = await access(ctx, client, arg(input, 'licenceId'), input, booleanFlag(input, 'wait'));
    ctx.out.result(decision, () =>
      status === 202
        ? [`Permitted; the enforced variant is being prepared (access ${decision.accessId}).`, `Ask again with --wait, or run: comptoir licences download ${arg(input, 'licenceId')}`]
        : [
            `Permitted (version ${decision.version ?? '?'}).`,
            ...fields([
              ['url', decision.url],
              ['expires', decision.expiresAt],
              ['transforms', decision.transforms?.map((c) => c.kind) ?? []],
              ['obligations', decision.obligations?.map((c) => c.kind) ?? []],
            ]),
          ],
    );
  },
};

const EXTENSIONS: Record<string, string> = { csv: 'csv', json: 'json', geojson: 'geojson', file: 'bin' };

export const licencesDownload: CommandSpec = {
  name: 'licences download',
  summary: 'Download the bytes a licence gives you (enforced variant included) and print their SHA-256',
  args: [{ name: 'licenceId', required: true, description: 'the licence' }],
  options: { ...accessOptions, out: { type: 'string', value: 'path', description: 'where to write (default: <datasetId>-v<version>.<format> here)' } },
  examples: ['comptoir licences download lic_01J…', 'comptoir licences download lic_01J… --out positions.csv --json'],
  async run(ctx, input) {
    const client = ctx.client();
    const licenceId = arg(input, 'licenceId');
    const licence = await client.call('getLicence', { params: { id: licenceId } });
    const { decision } = await access(ctx, client, licenceId, input, true, licence);
    if (!decision.url) throw new CliError('the platform permitted the access but gave no URL', 'unexpected', EXIT.unexpected);
    let out = stringFlag(input, 'out');
    if (!out) {
      const dataset = await client.call('getDataset', { params: { id: licence.datasetId } });
      out = `${licence.datasetId}-v${decision.version ?? 'latest'}.${EXTENSIONS[dataset.format] ?? 'bin'}`;
    }
    const file = resolve(out);
    const done = await downloadTo(decision.url, file, (total) => new Progress(ctx.out.streams.stderr, 'download', total));
    const result = { ...done, licenceId, datasetId: licence.datasetId, version: decision.version, transforms: decision.transforms ?? [] };
    ctx.out.result(result, () => [
      `Downloaded ${formatBytes(done.bytes)} to ${done.file}.`,
      ...fields([
        ['bytes', done.bytes],
        ['sha256', done.sha256],
        ['version', decision.version],
        ['transforms', (decision.transforms ?? []).map((c) => c.kind)],
      ]),
    ]);
  },
};
