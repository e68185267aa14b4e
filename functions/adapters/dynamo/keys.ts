/** Key layout of catalogue and contract items (see docs/access-patterns.md). */
export const datasetKey = (id: string) => ({ pk: `DATASET#${id}`, sk: 'DATASET' });
export const versionSk = (n: number) => `VERSION#${String(n).padStart(8, '0')}`;
export const versionKey = (datasetId: string, n: number) => ({ pk: `DATASET#${datasetId}`, sk: versionSk(n) });
export const openPointerKey = (datasetId: string) => ({ pk: `OPEN#${datasetId}`, sk: 'OPEN' });
export const contractKey = (id: string) => ({ pk: `CONTRACT#${id}`, sk: 'CONTRACT' });
export const deliveryPrefix = (obligationId: string) => `DELIVERY#${obligationId}#`;
export const deliverySk = (obligationId: string, publishedAt: string, datasetId: string, version: number) =>
  `${deliveryPrefix(obligationId)}${publishedAt}#${datasetId}#${version}`;
export const lateFlagKey = (contractId: string, obligationId: string, index: number) => ({
  pk: `CONTRACT#${contractId}`,
  sk: `LATE#${obligationId}#${String(index).padStart(6, '0')}`,
});

export const ALL_DATASETS = 'DATASETS';
export const OPEN_DATASETS = 'OPEN';
export const OPEN_PENDING = 'OPENPENDING';
/** Versions in `uploading` or `validating`, by when the sweeper looks at them next. */
export const IN_FLIGHT = 'VERSIONINFLIGHT';
/** The in-flight index entry of a version due to be swept at `sweepAt`. */
export const inFlightIndex = (datasetId: string, version: number, sweepAt: string) => ({ gsi2pk: IN_FLIGHT, gsi2sk: `${sweepAt}#${datasetId}#${version}` });
export const themePartition = (theme: string) => `THEME#${theme}`;
export const ALL_CONTRACTS = 'CONTRACTS';
export const operatorContracts = (operatorId: string) => `OPERATOR#${operatorId}#CONTRACTS`;

export const dutyKey = (licenceId: string, dutyId: string) => ({ pk: `LICENCE#${licenceId}`, sk: `DUTY#${dutyId}` });
export const DUTY_DUE = 'DUTYDUE';
/** Open duties with a due date sit in the due-date index of gsi2 until they leave `open`. */
export const dutyDueIndex = (d: { dueAt?: string; licenceId: string; dutyId: string; status: string }) =>
  d.status === 'open' && d.dueAt ? { gsi2pk: DUTY_DUE, gsi2sk: `${d.dueAt}#${d.licenceId}#${d.dutyId}` } : {};
export const licenceKey = (id: string) => ({ pk: `LICENCE#${id}`, sk: 'LICENCE' });
/** Variants are grouped by version so a purge finds them all. */
export const variantItemKey = (derivedKey: string) => {
  const m = /^derived\/([^/]+)\/v(\d+)\//.exec(derivedKey);
  return { pk: `VARIANTS#${m?.[1] ?? '?'}#v${m?.[2] ?? '?'}`, sk: derivedKey };
};
export const variantsOf = (datasetId: string, version: number) => `VARIANTS#${datasetId}#v${version}`;
