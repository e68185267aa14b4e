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
export const themePartition = (theme: string) => `THEME#${theme}`;
export const ALL_CONTRACTS = 'CONTRACTS';
export const operatorContracts = (operatorId: string) => `OPERATOR#${operatorId}#CONTRACTS`;
