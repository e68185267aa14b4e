/** Storage keys of a version: built from our ids only, never from user input. */
export const incomingKeyOf = (datasetId: string, version: number) => `incoming/${datasetId}/v${version}`;
export const objectKeyOf = (datasetId: string, version: number) => `versions/${datasetId}/v${version}`;
export const derivedPrefixOf = (datasetId: string, version: number) => `derived/${datasetId}/v${version}/`;
