import { DependencyError } from '../../domain/errors.ts';

/** The AWS Parameters and Secrets Lambda extension's local port (its default). */
const EXTENSION_PORT = Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773);

/**
 * Reads a Secrets Manager secret through the Parameters and Secrets Lambda extension (a layer the
 * CDK adds with the grant), which caches it: no SDK client in the bundle, one local call per cold start.
 */
export async function readSecretThroughExtension(secretId: string): Promise<string> {
  const url = `http://localhost:${EXTENSION_PORT}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '' } });
  } catch (cause) {
    throw new DependencyError('the secrets extension could not be reached', { cause });
  }
  if (!response.ok) throw new DependencyError(`the secrets extension answered ${response.status} for the OpenID client secret`);
  const body = (await response.json()) as { SecretString?: string };
  if (!body.SecretString) throw new DependencyError('the OpenID client secret is empty');
  return body.SecretString;
}
