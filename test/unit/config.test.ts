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
    vi.stubEnv('COMPTOIR_ORIGIN_SECRET', 'set');
    vi.stubEnv('TABLE_NAME', '');
    // Act + Assert: the import itself throws, before any request is served
    await expect(import('../../functions/handlers/identity.ts')).rejects.toThrow(/Missing environment variable TABLE_NAME/);
    vi.unstubAllEnvs();
  });

  it('refuses to load the function that mints URIs without a public URL, instead of trusting the Host header', async () => {
    // Arrange: a fresh module registry and no COMPTOIR_PUBLIC_URL
    vi.resetModules();
    vi.stubEnv('COMPTOIR_PUBLIC_URL', '');
    // Act + Assert
    await expect(import('../../functions/wiring/public-url.ts')).rejects.toThrow(/Missing environment variable COMPTOIR_PUBLIC_URL/);
    vi.resetModules();
    vi.stubEnv('COMPTOIR_PUBLIC_URL', 'https://donnees.example.fr/');
    await expect(import('../../functions/wiring/public-url.ts')).resolves.toMatchObject({ publicBaseUrl: 'https://donnees.example.fr' });
    vi.unstubAllEnvs();
  });
  it('chooses the mailer from the environment: none without a sender, one of .eml files or SES, never both', async () => {
    const load = async (env: Record<string, string>) => {
      vi.resetModules();
      vi.stubEnv('TABLE_NAME', 'comptoir');
      vi.stubEnv('COMPTOIR_PUBLIC_URL', 'https://donnees.example.fr');
      for (const name of ['COMPTOIR_MAIL_FROM', 'COMPTOIR_MAIL_DIR', 'COMPTOIR_MAIL_SES']) vi.stubEnv(name, env[name] ?? '');
      return import('../../functions/wiring/notifications.ts');
    };
    // The stack's parameters left empty: e-mail is off, the function still loads
    expect((await load({ COMPTOIR_MAIL_SES: 'true' })).notificationService).toBeUndefined();
    expect((await load({ COMPTOIR_MAIL_SES: 'true', COMPTOIR_MAIL_FROM: 'Comptoir <a@donnees.example.fr>' })).notificationService).toBeDefined();
    await expect(load({ COMPTOIR_MAIL_SES: 'true', COMPTOIR_MAIL_DIR: '/tmp/mail', COMPTOIR_MAIL_FROM: 'a@b.example' })).rejects.toThrow(/not both/);
    await expect(load({ COMPTOIR_MAIL_FROM: 'a@b.example' })).rejects.toThrow(/needs COMPTOIR_MAIL_DIR/);
    vi.unstubAllEnvs();
  });
});
