import { readFile } from 'node:fs/promises';
import type { Dataset, SchemaField } from '../../schemas/index.ts';
import { arg, intFlag, listFlag, stringFlag, type CommandInput, type CommandSpec } from '../command.ts';
import { UsageError } from '../errors.ts';
import { fields, table } from '../output.ts';

const THEMES = 'mobility, energy, water, waste, environment, urbanism, economy, population, culture, tourism, safety, other';
const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'geopoint'];

export const datasetsList: CommandSpec = {
  name: 'datasets list',
  summary: 'Search the catalogue',
  options: {
    q: { type: 'string', value: 'text', description: 'words the title, description or keywords start with (accents ignored)' },
    theme: { type: 'string', value: 'theme', description: `one of ${THEMES}` },
    classification: { type: 'string', value: 'c', description: 'open, shared or restricted' },
    limit: { type: 'string', value: 'n', description: 'at most n datasets (default: every page)' },
  },
  examples: ['comptoir datasets list --theme water', 'comptoir datasets list --q "vélo" --limit 20 --json'],
  async run(ctx, input) {
    const limit = intFlag(input, 'limit', { min: 1, max: 10_000 });
    const query = {
      q: stringFlag(input, 'q'),
      theme: stringFlag(input, 'theme') as Dataset['theme'] | undefined,
      classification: stringFlag(input, 'classification') as Dataset['classification'] | undefined,
      ...(limit ? { limit: Math.min(limit, 100) } : {}),
    };
    const items = (await ctx.client().all('listDatasets', { query }, limit)).slice(0, limit);
    ctx.out.result({ items }, () =>
      items.length === 0
        ? 'No dataset matches.'
        : table(
            ['ID', 'THEME', 'CLASS', 'FORMAT', 'LATEST', 'PUBLISHER', 'TITLE'],
            items.map((d) => [d.id, d.theme, d.classification, d.format, d.latestVersion, d.publisher.name, d.title]),
          ),
    );
  },
};

export const datasetsShow: CommandSpec = {
  name: 'datasets show',
  summary: 'A dataset’s metadata, publisher and schema',
  args: [{ name: 'datasetId', required: true, description: 'the dataset id' }],
  options: {},
  examples: ['comptoir datasets show ds_01J…'],
  async run(ctx, input) {
    const d = await ctx.client().call('getDataset', { params: { id: arg(input, 'datasetId') } });
    ctx.out.result(d, () => [
      ...fields([
        ['id', d.id],
        ['title', d.title],
        ['description', d.description],
        ['theme', d.theme],
        ['keywords', d.keywords.length ? d.keywords : undefined],
        ['classification', d.classification],
        ['licence', d.licence],
        ['format', d.format],
        ['publisher', `${d.publisher.name} [${d.publisher.kind}, ${d.publisher.id}]`],
        ['latest version', d.latestVersion ?? 'none published'],
        ['obligation', d.obligation ? `${d.obligation.contractId}/${d.obligation.obligationId}` : undefined],
        ['created', d.createdAt],
        ['updated', d.updatedAt],
      ]),
      ...(d.schema
        ? ['schema:', ...table(['FIELD', 'TYPE', 'REQUIRED', 'PERSONAL'], d.schema.fields.map((f) => [f.name, f.type, f.required ? 'yes' : '', f.personal ? 'yes' : ''])).map((l) => `  ${l}`)]
        : []),
    ]);
  },
};

/** `name:type[:required][:personal]` → a schema field. */
export function parseField(spec: string): SchemaField {
  const [name, type, ...marks] = spec.split(':');
  if (!name || !type || !FIELD_TYPES.includes(type)) throw new UsageError(`--field expects name:type[:required][:personal] with a type among ${FIELD_TYPES.join(', ')}, not "${spec}"`);
  const unknown = marks.filter((m) => m !== 'required' && m !== 'personal');
  if (unknown.length) throw new UsageError(`--field ${spec}: unknown mark ${unknown.join(', ')} (required, personal)`);
  return { name, type: type as SchemaField['type'], ...(marks.includes('required') ? { required: true } : {}), ...(marks.includes('personal') ? { personal: true } : {}) };
}

async function jsonArgument(value: string, what: string): Promise<unknown> {
  const text = value.trimStart().startsWith('{') ? value : await readFile(value, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

const csv = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** The request body: `--from` first, every flag given on top of it. */
export async function createBody(input: CommandInput): Promise<Record<string, unknown>> {
  const from = stringFlag(input, 'from');
  const base = from ? await jsonArgument(from, '--from') : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError('--from must hold a JSON object (the POST /v1/datasets body)');
  const body: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const name of ['title', 'description', 'theme', 'classification', 'format', 'licence'] as const) {
    const value = stringFlag(input, name);
    if (value !== undefined) body[name] = value;
  }
  const keywords = csv(stringFlag(input, 'keywords'));
  if (keywords) body.keywords = keywords;
  const spatial = csv(stringFlag(input, 'spatial'));
  if (spatial) body.spatial = spatial;
  const obligation = stringFlag(input, 'obligation');
  if (obligation) {
    const [contractId, obligationId, ...rest] = obligation.split('/');
    if (!contractId || !obligationId || rest.length) throw new UsageError('--obligation expects contractId/obligationId');
    body.obligation = { contractId, obligationId };
  }
  const schema = stringFlag(input, 'schema');
  const fieldSpecs = listFlag(input, 'field');
  if (schema && fieldSpecs.length) throw new UsageError('give the schema with --schema or with --field, not both');
  if (schema) body.schema = await jsonArgument(schema, '--schema');
  if (fieldSpecs.length) body.schema = { fields: fieldSpecs.map(parseField) };
  body.format ??= 'csv';
  body.classification ??= 'shared';
  const missing = ['title', 'description', 'theme'].filter((k) => body[k] === undefined);
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')} (or give them in --from)`);
  if (body.format !== 'file' && body.schema === undefined) throw new UsageError(`a ${String(body.format)} dataset needs a schema: --field name:type (repeat it) or --schema file.json`);
  return body;
}

export const datasetsCreate: CommandSpec = {
  name: 'datasets create',
  summary: 'Register a dataset (metadata and schema)',
  description: 'Flags override the fields of --from. The format defaults to csv and the classification to shared.',
  options: {
    from: { type: 'string', value: 'file.json', description: 'the whole request body (POST /v1/datasets) as JSON' },
    title: { type: 'string', value: 'text', description: '3 to 200 characters' },
    description: { type: 'string', value: 'text', description: 'what the data is' },
    theme: { type: 'string', value: 'theme', description: THEMES },
    keywords: { type: 'string', value: 'a,b', description: 'comma-separated keywords' },
    classification: { type: 'string', value: 'c', description: 'open, shared (default) or restricted' },
    format: { type: 'string', value: 'f', description: 'csv (default), json, geojson or file' },
    licence: { type: 'string', value: 'l', description: 'open-data licence of open versions: etalab-2.0 (default) or odbl-1.0' },
    spatial: { type: 'string', value: 'codes', description: 'comma-separated INSEE commune codes' },
    field: { type: 'string', multiple: true, value: 'name:type[:required][:personal]', description: 'one schema field; repeat it, in column order' },
    schema: { type: 'string', value: 'file.json', description: 'the table schema {"fields": [...]} as a file or inline JSON' },
    obligation: { type: 'string', value: 'contract/obligation', description: 'the DSP contract obligation this dataset fulfils' },
  },
  examples: [
    'comptoir datasets create --title "Relevés des compteurs" --description "Index journaliers" --theme water --keywords eau,compteurs --field station:string:required --field count:integer --field measuredOn:date',
    'comptoir datasets create --from dataset.json --classification restricted',
  ],
  async run(ctx, input) {
    const body = await createBody(input);
    const d = await ctx.client().call('createDataset', { body: body as never });
    ctx.out.result(d, () => [`Created dataset ${d.id}: ${d.title} (${d.theme}, ${d.classification}, ${d.format}).`, `Upload a version with: comptoir upload ${d.id} <file>`]);
  },
};
