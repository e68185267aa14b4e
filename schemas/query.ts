import * as z from 'zod';
import type { oas31 } from 'zod-openapi';
import { CursorSchema } from './common.ts';

/** Filter operators, as the suffix of `column__operator` query parameters. */
export const FILTER_OPERATORS = ['exact', 'differs', 'in', 'contains', 'less', 'greater', 'isnull'] as const;

const FILTER_GRAMMAR =
  'Filters: any other parameter is `<column>__<operator>=<value>` with operators `exact`, `differs` (NULL differs from every value), ' +
  '`in` (comma-separated, at most 100), `contains` (text, case-insensitive), `less`, `greater` (strict), `isnull` (`true`|`false`). ' +
  'Values are read as the column type (integer, number, boolean, date `YYYY-MM-DD`, datetime ISO 8601 with offset); a column outside the caller\'s view is a 400 naming it.';

/** Query string of a records request; filters are the extra `column__operator` parameters. */
export const RecordsQuerySchema = z
  .object({
    select: z.string().max(4000).optional().meta({ description: 'Columns to return, comma-separated (default: every column)' }),
    order_by: z.string().max(4000).optional().meta({ description: 'Sort keys, comma-separated; `-column` sorts descending; NULLs last. Rows sharing every key come in file order.' }),
    group_by: z.string().max(4000).optional().meta({ description: 'Group the filtered rows by these columns (comma-separated); answers one row per group' }),
    aggregate: z.string().max(4000).optional().meta({ description: 'With group_by: `count`, `sum(col)`, `avg(col)`, `min(col)`, `max(col)`, comma-separated (default `count`)' }),
    bbox: z.string().max(200).optional().meta({ description: 'Point data only: `minLon,minLat,maxLon,maxLat` (WGS 84)' }),
    near: z.string().max(200).optional().meta({ description: 'Point data only: `lon,lat,meters`: rows within that distance (haversine)' }),
    limit: z.coerce.number().int().min(1).max(1000).optional().meta({ description: 'Rows per page, 1 to 1000 (default 100)' }),
    cursor: CursorSchema.optional().meta({ description: 'The `cursor` of the previous page, with the same other parameters: pages through the whole answer, with no offset ceiling' }),
    version: z.coerce.number().int().positive().optional().meta({ description: 'Default: the latest published version' }),
  })
  .catchall(z.string().max(1000))
  .meta({ description: FILTER_GRAMMAR });

const PurposeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'purposes are lower-case slugs').optional().meta({ description: "Default: the licence's purpose" });

/** Query string of the licensed records route: the same, plus the purpose of the access. */
export const LicensedRecordsQuerySchema = RecordsQuerySchema.extend({ purpose: PurposeSchema });

/**
 * The `column__operator` filters as one OpenAPI parameter: a free-form object exploded into the query string
 * (OpenAPI 3.1 `style: form, explode: true`), each property named by the grammar.
 */
export const FILTERS_PARAMETER: oas31.ParameterObject = {
  name: 'filters',
  in: 'query',
  required: false,
  style: 'form',
  explode: true,
  description: FILTER_GRAMMAR,
  schema: {
    type: 'object',
    patternProperties: { [`^.+__(${FILTER_OPERATORS.join('|')})$`]: { type: 'string', maxLength: 1000 } },
    examples: [{ station__exact: 'S3', when__less: '2024-02-01', amount__greater: '10' }],
    // OpenAPI 3.1 schemas are JSON Schema 2020-12, whose patternProperties the library's type leaves out.
  } as oas31.SchemaObject,
};

/** The formats of an export: the whole answer of a query as one file. */
export const ExportFormatSchema = z.enum(['csv', 'ndjson', 'geojson', 'parquet']).meta({
  description: 'csv (RFC 4180, a header row), ndjson (one JSON object a line), geojson (a FeatureCollection of points: point data only, not grouped), parquet (zstd)',
});
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Path of an export: the dataset or licence, and the format. */
export const ExportPathSchema = z.object({ id: z.string().min(1).max(64), format: ExportFormatSchema });

/** Query string of an export: a records query without its page (`limit`, `cursor`): the whole answer. */
export const ExportQuerySchema = RecordsQuerySchema.omit({ limit: true, cursor: true });

/** Query string of a licensed export: the same, plus the purpose of the access. */
export const LicensedExportQuerySchema = ExportQuerySchema.extend({ purpose: PurposeSchema });

/** One page of records. */
export const RecordsPageSchema = z
  .object({
    version: z.number().int().positive(),
    fields: z.array(z.object({ name: z.string(), type: z.string() })).meta({ description: 'The columns of the answer (group columns and aggregates when grouping)' }),
    records: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Dates as `YYYY-MM-DD`, datetimes as ISO 8601 UTC, geopoints as `{lon, lat}`' }),
    cursor: CursorSchema.optional().meta({ description: 'Absent on the last page' }),
  })
  .meta({ id: 'RecordsPage' });
export type RecordsPage = z.infer<typeof RecordsPageSchema>;
