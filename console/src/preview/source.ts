import type { ComptoirClient } from '../../../sdk/client.ts';
import type { ExportFormat, RecordsPage } from '../../../schemas/query.ts';

/** Where a preview reads records: an open dataset (no key) or a licence (the licensee's enforced view). */
export interface RecordsSource {
  /** Changes when the preview must start again (another dataset or licence). */
  readonly key: string;
  /** The open dataset's id, for embeds; absent under a licence (licensed views are never embedded). */
  readonly openDatasetId?: string;
  records(query: Record<string, string | number>): Promise<RecordsPage>;
  /** A link to the whole answer of `query` in `format`, or undefined when a link cannot carry the caller's credentials. */
  exportHref(format: ExportFormat, query: Record<string, string>): string | undefined;
}

/** The records of an open dataset, readable by anyone. */
export function openSource(api: ComptoirClient, datasetId: string): RecordsSource {
  return {
    key: `open:${datasetId}`,
    openDatasetId: datasetId,
    records: (query) => api.call('openRecords', { params: { id: datasetId }, query: query as never }),
    exportHref: (format, query) => `${api.baseUrl}/open/datasets/${encodeURIComponent(datasetId)}/exports/${format}${search(query)}`,
  };
}

/**
 * The records of a licence, from its enforced copy only; each call is one access the licence counts.
 * Exports are links only when a session cookie signs them (a key never travels in a URL).
 */
export function licenceSource(api: ComptoirClient, licenceId: string, purpose: string, cookieSession: boolean): RecordsSource {
  return {
    key: `licence:${licenceId}`,
    records: (query) => api.call('licenceRecords', { params: { id: licenceId }, query: { ...query, purpose } as never }),
    exportHref: (format, query) => (cookieSession ? `${api.baseUrl}/v1/licences/${encodeURIComponent(licenceId)}/exports/${format}${search({ ...query, purpose })}` : undefined),
  };
}

function search(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
}
