import { describe, expect, it, vi } from 'vitest';
import { ConfigError, optionalEnv, requireEnv } from '../../functions/wiring/env.ts';

describe('configuration', () => {
  it('fails fast naming the variable and who sets it', () => {
    expect(() => requireEnv('TABLE_NAME', 'the CDK stack', {})).toThrow(ConfigError);
    expect(() => requireEnv('TABLE_NAME', 'the CDK stack', { TABLE_NAME: '  ' })).toThrow(
      'Missing environment variable TABLE_NAME: it is set by the CDK stack.',
    );
    expect(requireEnv('TABLE_NAME', 'x', { TABLE_NAME: 'comptoir' })).toBe('comptoir');
  });

  it('treats empty optional variables as unset', () => {
    expect(optionalEnv('X', { X: '' })).toBeUndefined();
    expect(optionalEnv('X', { X: 'v' })).toBe('v');
  });

  it('refuses to load a handler module without its environment', async () => {
    // Arrange: a fresh module registry and no TABLE_NAME
    vi.resetModules();
    vi.stubEnv('TABLE_NAME', '');
    // Act + Assert: the import itself throws, before any request is served
    await expect(import('../../functions/handlers/identity.ts')).rejects.toThrow(/Missing environment variable TABLE_NAME/);
    vi.unstubAllEnvs();
  });
});
