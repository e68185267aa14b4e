import { afterEach, describe, expect, it, vi } from 'vitest';

const load = async (slack?: string) => {
  vi.resetModules();
  if (slack !== undefined) vi.stubEnv('COMPTOIR_EMULATOR_TIMEOUT_SLACK', slack);
  return import('../../functions/adapters/sdk-timeouts.ts');
};

describe('SDK timeouts', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('gives the cloud its budget and the local emulators four times the silence by default', async () => {
    const { sdkClientConfig } = await load('');
    expect(sdkClientConfig('dynamodb').requestHandler).toMatchObject({ connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true });
    expect(sdkClientConfig('dynamodb', { emulator: true }).requestHandler).toMatchObject({ connectionTimeout: 4_000, requestTimeout: 8_000 });
    expect(sdkClientConfig('s3').requestHandler.requestTimeout).toBe(30_000);
    expect(sdkClientConfig('dynamodb').maxAttempts).toBe(3);
    const { probeTimeoutMs } = await load('');
    expect([probeTimeoutMs(), probeTimeoutMs({ emulator: true })]).toEqual([1_500, 6_000]);
  });

  it('takes the emulators\u2019 slack from the environment, and refuses one that is not a number from 1 to 20', async () => {
    expect((await load('1')).sdkClientConfig('dynamodb', { emulator: true }).requestHandler.requestTimeout).toBe(2_000);
    for (const bad of ['0', 'fast', '50']) await expect(load(bad)).rejects.toThrow(/COMPTOIR_EMULATOR_TIMEOUT_SLACK must be a number from 1 to 20/);
  });
});
