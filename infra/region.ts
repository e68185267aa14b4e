/** Regions inside the European Union: territorial data stays under EU jurisdiction. */
export const EU_REGIONS = [
  'eu-west-3', // Paris
  'eu-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
] as const;

export const DEFAULT_REGION = 'eu-west-3';

/** The deployment region, refused with a clear message outside the EU. */
export function assertEuRegion(region: string): string {
  if (!(EU_REGIONS as readonly string[]).includes(region)) {
    throw new Error(
      `Comptoir deploys only to EU regions (${EU_REGIONS.join(', ')}); got "${region}". ` +
        'Set CDK_DEFAULT_REGION or the context value comptoir:region to an EU region.',
    );
  }
  return region;
}
