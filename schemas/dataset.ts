import * as z from 'zod';
import { CursorSchema, InstantSchema, pageOf } from './common.ts';
import { PartnerPublicProfileSchema } from './partner.ts';

/** The fixed list of catalogue themes. */
export const ThemeSchema = z.enum([
  'mobility', 'energy', 'water', 'waste', 'environment', 'urbanism', 'economy', 'population', 'culture', 'tourism', 'safety', 'other',
]);
export type Theme = z.infer<typeof ThemeSchema>;

export const ClassificationSchema = z.enum(['open', 'shared', 'restricted']);
export type Classification = z.infer<typeof ClassificationSchema>;

/** `file`: any bytes (GTFS, NeTEx archive…), checked for size and checksum only. */
export const DatasetFormatSchema = z.enum(['csv', 'json', 'geojson', 'file']);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

export const FieldTypeSchema = z.enum(['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'geopoint']);
export type FieldType = z.infer<typeof FieldTypeSchema>;

/** Licences French law allows for free reuse of public data. */
export const OpenLicenceSchema = z.enum(['etalab-2.0', 'odbl-1.0']);
export type OpenLicence = z.infer<typeof OpenLicenceSchema>;

/** One column, as in a Frictionless Table Schema; `personal` marks personal data (RGPD). */
export const SchemaFieldSchema = z
  .object({
    // The platform's own columns in the columnar copies and queries begin so (names compare case-insensitively there).
    name: z.string().min(1).max(128).refine((n) => !/^_comptoir/i.test(n), 'names beginning with _comptoir are reserved for the platform'),
    type: FieldTypeSchema,
    required: z.boolean().optional(),
    personal: z.boolean().optional(),
    description: z.string().max(1000).optional(),
  })
  .strict();
export type SchemaField = z.infer<typeof SchemaFieldSchema>;

export const TableSchemaSchema = z
  .object({ fields: z.array(SchemaFieldSchema).min(1).max(500) })
  .strict()
  .refine((s) => new Set(s.fields.map((f) => f.name)).size === s.fields.length, { message: 'field names must be unique', path: ['fields'] })
  .meta({ id: 'TableSchema' });
export type TableSchema = z.infer<typeof TableSchemaSchema>;

/** INSEE commune code (2A/2B for Corsica). */
export const InseeCodeSchema = z.string().regex(/^(\d{2}|2A|2B)\d{3}$/, 'expected an INSEE commune code such as 75056 or 2A004');

export const ObligationRefSchema = z.object({ contractId: z.string().min(1).max(64), obligationId: z.string().min(1).max(64) }).strict();
export type ObligationRef = z.infer<typeof ObligationRefSchema>;

const datasetFields = {
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().min(1).max(10_000),
  theme: ThemeSchema,
  keywords: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  spatial: z.array(InseeCodeSchema).max(1000).optional(),
  classification: ClassificationSchema,
  licence: OpenLicenceSchema.optional().meta({ description: 'Open-data licence of open versions (default etalab-2.0)' }),
};

/** Body of `POST /v1/datasets`; `schema` is required for csv, json and geojson. */
export const CreateDatasetRequestSchema = z
  .object({
    ...datasetFields,
    format: DatasetFormatSchema,
    schema: TableSchemaSchema.optional(),
    obligation: ObligationRefSchema.optional(),
  })
  .strict()
  .refine((d) => d.format === 'file' || d.schema !== undefined, { message: 'a schema is required for csv, json and geojson', path: ['schema'] })
  .meta({ id: 'CreateDatasetRequest' });
export type CreateDatasetRequest = z.infer<typeof CreateDatasetRequestSchema>;

/** Body of `PATCH /v1/datasets/{id}`: metadata only; format and obligation are fixed at creation. */
export const UpdateDatasetRequestSchema = z
  .object({
    title: datasetFields.title.optional(),
    description: datasetFields.description.optional(),
    theme: ThemeSchema.optional(),
    keywords: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
    spatial: datasetFields.spatial,
    classification: ClassificationSchema.optional(),
    licence: OpenLicenceSchema.optional(),
    schema: TableSchemaSchema.optional(),
  })
  .strict()
  .refine((d) => Object.keys(d).length > 0, { message: 'nothing to change' })
  .meta({ id: 'UpdateDatasetRequest' });
export type UpdateDatasetRequest = z.infer<typeof UpdateDatasetRequestSchema>;

export const DatasetSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    theme: ThemeSchema,
    keywords: z.array(z.string()),
    spatial: z.array(z.string()).optional(),
    classification: ClassificationSchema,
    licence: OpenLicenceSchema.optional(),
    format: DatasetFormatSchema,
    schema: TableSchemaSchema.optional(),
    obligation: ObligationRefSchema.optional(),
    publisher: PartnerPublicProfileSchema,
    latestVersion: z.number().int().positive().optional().meta({ description: 'Latest published version' }),
    createdAt: InstantSchema,
    updatedAt: InstantSchema,
  })
  .meta({ id: 'Dataset' });
export type Dataset = z.infer<typeof DatasetSchema>;

export const DatasetListSchema = pageOf(DatasetSchema).meta({ id: 'DatasetList' });
export type DatasetList = z.infer<typeof DatasetListSchema>;

export const DatasetQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200).optional(),
    theme: ThemeSchema.optional(),
    classification: ClassificationSchema.optional(),
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
export type DatasetQuery = z.infer<typeof DatasetQuerySchema>;

export const DatasetPathSchema = z.object({ id: z.string().min(1).max(64) });
export const VersionPathSchema = z.object({ id: z.string().min(1).max(64), n: z.coerce.number().int().positive() });

/** `failed`: the platform gave the version up (upload abandoned past its URLs, validation cut off too often); upload again as a new version. */
export const VersionStatusSchema = z.enum(['uploading', 'validating', 'published', 'rejected', 'failed', 'purged']);
export type VersionStatus = z.infer<typeof VersionStatusSchema>;

export const QualityIssueSchema = z.object({
  row: z.number().int().min(0).meta({ description: 'Data record number, 1 for the first record after a CSV header; 0 for the file as a whole' }),
  field: z.string().optional(),
  reason: z.string(),
});
export type QualityIssue = z.infer<typeof QualityIssueSchema>;

/** What ingest found: totals, empty cells per field, and at most the first 100 problems. */
export const QualityReportSchema = z
  .object({
    rows: z.number().int().min(0),
    errorCount: z.number().int().min(0),
    errors: z.array(QualityIssueSchema).max(100),
    truncated: z.boolean().meta({ description: 'More errors exist than are listed' }),
    emptyCounts: z.record(z.string(), z.number().int().min(0)),
    spreadsheetFormulas: z
      .object({
        count: z.number().int().min(0).meta({ description: 'Cells a spreadsheet would run as a formula' }),
        rows: z.array(z.number().int().min(1)).max(20).meta({ description: 'The first rows holding one' }),
      })
      .optional()
      .meta({
        description:
          'CSV cells beginning with =, +, -, @, a tab or a carriage return (a warning, not an error): opened in a spreadsheet they run as formulas. A cell that is a plain number, such as -3.5 or +33, is not counted.',
      }),
  })
  .meta({ id: 'QualityReport' });
export type QualityReport = z.infer<typeof QualityReportSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256');

export const DatasetVersionSchema = z
  .object({
    datasetId: z.string(),
    version: z.number().int().positive(),
    status: VersionStatusSchema,
    bytes: z.number().int().min(0),
    declaredSha256: Sha256Schema.optional(),
    sha256: Sha256Schema.optional(),
    rows: z.number().int().min(0).optional(),
    quality: QualityReportSchema.optional(),
    reason: z.string().optional().meta({ description: 'Why the version was rejected, failed or purged' }),
    createdAt: InstantSchema,
    publishedAt: InstantSchema.optional(),
    openFrom: InstantSchema.optional().meta({ description: 'When the version becomes open data (obligation openDataAfter)' }),
    open: z.boolean().meta({ description: 'Downloadable by anyone under /open' }),
    openBlocked: z.string().optional().meta({ description: 'Why the version did not open automatically' }),
    purgedAt: InstantSchema.optional(),
  })
  .meta({ id: 'DatasetVersion' });
export type DatasetVersion = z.infer<typeof DatasetVersionSchema>;

export const VersionListSchema = pageOf(DatasetVersionSchema).meta({ id: 'VersionList' });

/** 5 TiB, S3's object limit. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;

export const CreateVersionRequestSchema = z
  .object({ bytes: z.number().int().positive().max(MAX_OBJECT_BYTES), sha256: Sha256Schema.optional() })
  .strict()
  .meta({ id: 'CreateVersionRequest' });
export type CreateVersionRequest = z.infer<typeof CreateVersionRequestSchema>;

export const PartUrlSchema = z.object({ partNumber: z.number().int().positive(), url: z.url() });

export const UploadInstructionsSchema = z
  .union([
    z.object({ method: z.literal('PUT'), url: z.url(), headers: z.record(z.string(), z.string()), expiresAt: InstantSchema }),
    z.object({
      uploadId: z.string(),
      partSize: z.number().int().positive(),
      partCount: z.number().int().positive(),
      parts: z.array(PartUrlSchema),
      expiresAt: InstantSchema,
    }),
  ])
  .meta({ id: 'UploadInstructions' });
export type UploadInstructions = z.infer<typeof UploadInstructionsSchema>;

export const CreateVersionResponseSchema = z
  .object({ version: DatasetVersionSchema, upload: UploadInstructionsSchema })
  .meta({ id: 'CreateVersionResponse' });
export type CreateVersionResponse = z.infer<typeof CreateVersionResponseSchema>;

export const PartUrlsRequestSchema = z
  .object({ partNumbers: z.array(z.number().int().positive().max(10_000)).min(1).max(100) })
  .strict()
  .meta({ id: 'PartUrlsRequest' });
export const PartUrlsResponseSchema = z.object({ parts: z.array(PartUrlSchema), expiresAt: InstantSchema }).meta({ id: 'PartUrls' });

export const CompleteUploadRequestSchema = z
  .object({ parts: z.array(z.object({ partNumber: z.number().int().positive().max(10_000), etag: z.string().min(1).max(200) }).strict()).max(10_000).optional() })
  .strict()
  .meta({ id: 'CompleteUploadRequest' });
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequestSchema>;

const PurgeReasonSchema = z.string().trim().min(3).max(1000);
export const PurgeVersionRequestSchema = z.object({ reason: PurgeReasonSchema.optional() }).strict().meta({ id: 'PurgeVersionRequest', description: 'Deprecated: send the reason as `?reason=` instead' });
export const PurgeVersionQuerySchema = z.object({ reason: PurgeReasonSchema.optional().meta({ description: 'Why the version is purged (kept in the audit trail); required here or in the body' }) }).strict();
