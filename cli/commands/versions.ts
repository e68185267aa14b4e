import type { DatasetVersion } from '../../schemas/index.ts';
import { arg, parseInteger, type CommandSpec } from '../command.ts';
import { CliError, EXIT } from '../errors.ts';
import { fields, table } from '../output.ts';

export function describeVersion(v: DatasetVersion): string[] {
  const q = v.quality;
  return [
    ...fields([
      ['dataset', v.datasetId],
      ['version', v.version],
      ['status', v.status],
      ['reason', v.reason],
      ['bytes', v.bytes],
      ['sha256', v.sha256 ?? (v.declaredSha256 ? `${v.declaredSha256} (declared)` : undefined)],
      ['rows', v.rows],
      ['quality', q ? `${q.rows} rows, ${q.errorCount} error(s)${q.truncated ? ' (list truncated)' : ''}` : undefined],
      ['created', v.createdAt],
      ['published', v.publishedAt],
      ['open data', v.open ? 'yes' : v.openFrom ? `from ${v.openFrom}` : v.openBlocked ? `no (${v.openBlocked})` : 'no'],
      ['purged', v.purgedAt],
    ]),
    ...(q && q.errors.length ? ['errors:', ...table(['ROW', 'FIELD', 'REASON'], q.errors.slice(0, 20).map((e) => [e.row, e.field, e.reason])).map((l) => `  ${l}`)] : []),
  ];
}

export const versionsStatus: CommandSpec = {
  name: 'versions status',
  summary: 'Status, checksum, rows and quality report of a version (the latest by default)',
  args: [
    { name: 'datasetId', required: true, description: 'the dataset' },
    { name: 'n', required: false, description: 'the version number (default: the latest)' },
  ],
  options: {},
  examples: ['comptoir versions status ds_01J…', 'comptoir versions status ds_01J… 3 --json'],
  async run(ctx, input) {
    const id = arg(input, 'datasetId');
    const client = ctx.client();
    const given = input.args.n;
    let version: DatasetVersion;
    if (given !== undefined) {
      version = await client.call('getVersion', { params: { id, n: parseInteger(given, 'the version number') } });
    } else {
      const latest = (await client.call('listVersions', { params: { id }, query: { limit: 1 } })).items[0];
      if (!latest) throw new CliError(`dataset ${id} has no version yet`, 'no_version', EXIT.notFound);
      version = latest;
    }
    ctx.out.result(version, () => describeVersion(version));
  },
};
