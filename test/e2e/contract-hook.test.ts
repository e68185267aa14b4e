import { describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime.ts';

// One runtime per process (handlers read their environment once), so this check of the hook has its own file.
describe('the OpenAPI hook of every e2e runtime', () => {
  it('fails a test whose answer breaks the document, through the hook every e2e runtime has', async () => {
    // A document that asks /health for a field it never sends: the very next answer must be refused.
    const strict = await startTestRuntime({ amendDocument: (d) => void (d.components.schemas.Health.required = [...d.components.schemas.Health.required, 'uptime']) });
    await expect(strict.call('GET', '/health')).rejects.toThrow(/breaks \/openapi.json[\s\S]*required property 'uptime'/);
    await fetch(`${strict.runtime.url}/health`);
    await expect(strict.stop()).rejects.toThrow(/answers broke \/openapi.json/);
  });
});
