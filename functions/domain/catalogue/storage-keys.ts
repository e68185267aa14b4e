/** Storage keys of a version: built from our ids only, never from user input. */
export const incomingKeyOf = (datasetId: string, version: number) => `incoming/${datasetId}/v${version}`;
/** Each ingest attempt writes its own object under this prefix, so a duplicate attempt never overwrites the published one. */
export const objectPrefixOf = (datasetId: string, version: number) => `versions/${datasetId}/v${version}/`;
export const objectKeyOf = (datasetId: string, version: number, attempt: string) => `${objectPrefixOf(datasetId, version)}${attempt}`;
export const derivedPrefixOf = (datasetId: string, version: number) => `derived/${datasetId}/v${version}/`;
