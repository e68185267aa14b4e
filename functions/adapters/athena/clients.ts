import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { sdkClientConfig } from '../sdk-timeouts.ts';

/** The clients of the distributed query path, with the house timeouts and retries. */
export const createAthenaClients = (): { athena: AthenaClient; glue: GlueClient } => ({
  athena: new AthenaClient(sdkClientConfig('other')),
  glue: new GlueClient(sdkClientConfig('other')),
});
