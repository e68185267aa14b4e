import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { OpenApiContract } from '../support/openapi-contract.ts';

const contract = new OpenApiContract(JSON.parse(JSON.stringify(buildOpenApiDocument('0.0.0'))));
const json = (body: unknown) => Buffer.from(JSON.stringify(body));
const headers = (contentType = 'application/json; charset=utf-8', extra: Record<string, string> = {}) => ({ 'content-type': contentType, ...extra });
const me = { principal: { keyId: 'key_01J0000000000000000000000A', label: 'cli' }, partner: { id: 'prt_01J0000000000000000000000B', name: 'Régie', kind: 'dsp' }, role: 'admin' };
const preparing = { decision: 'permit', accessId: 'acc_1', version: 1, transforms: [], obligations: [], status: 'preparing', retryAfter: 2 };

// The hook that checks every e2e answer is only worth something if it objects to each kind of drift.
describe('the OpenAPI contract check of an answer', () => {
  it.each([
    ['an undeclared status', { routeId: 'getPolicy', method: 'GET', status: 418, headers: headers(), body: json({}) }, /status 418 is not declared/],
    ['a property the schema forbids', { routeId: 'health', method: 'GET', status: 200, headers: headers(), body: json({ ok: true, version: '1', extra: 1 }) }, /additional properties \(extra\)/],
    ['a missing required property', { routeId: 'health', method: 'GET', status: 200, headers: headers(), body: json({ ok: true }) }, /must have required property 'version'/],
    ['a wrong type', { routeId: 'health', method: 'GET', status: 200, headers: headers(), body: json({ ok: 'yes', version: '1' }) }, /body\/ok/],
    ['an undeclared media type', { routeId: 'health', method: 'GET', status: 200, headers: headers('text/plain'), body: Buffer.from('ok') }, /content-type "text\/plain" is not declared/],
    ['a body that is not JSON', { routeId: 'health', method: 'GET', status: 200, headers: headers(), body: Buffer.from('{') }, /not JSON/],
    ['a body where none is declared', { routeId: 'withdrawOffer', method: 'DELETE', status: 204, headers: {}, body: json({}) }, /a body of 2 bytes/],
    ['a missing required header', { routeId: 'accessLicence', method: 'POST', status: 202, headers: headers(), body: json(preparing) }, /required header Retry-After is missing/],
    ['a header of the wrong type', { routeId: 'accessLicence', method: 'POST', status: 202, headers: headers(undefined, { 'retry-after': 'soon' }), body: json(preparing) }, /header Retry-After/],
    ['an error outside the error shape', { routeId: 'me', method: 'GET', status: 401, headers: headers(), body: json({ message: 'Unauthorized' }) }, /required property 'error'/],
    ['a route the document lacks', { routeId: 'nope', method: 'GET', status: 200, headers: headers(), body: json({}) }, /not a declared route/],
  ])('objects to %s', (_, exchange, problem) => {
    expect(contract.check(exchange).join('\n')).toMatch(problem);
  });

  it.each([
    ['a declared answer', { routeId: 'me', method: 'GET', status: 200, headers: headers(), body: json(me) }],
    ['a declared error', { routeId: 'me', method: 'GET', status: 401, headers: headers(), body: json({ error: { code: 'unauthenticated', message: 'no key' } }) }],
    ['a second success answer with its header', { routeId: 'accessLicence', method: 'POST', status: 202, headers: headers(undefined, { 'retry-after': '2' }), body: json(preparing) }],
    ['an empty 204', { routeId: 'withdrawOffer', method: 'DELETE', status: 204, headers: {}, body: undefined }],
    ['a 503 of any route', { routeId: 'health', method: 'GET', status: 503, headers: headers(), body: json({ error: { code: 'unavailable', message: 'later', correlationId: 'c' } }) }],
  ])('accepts %s', (_, exchange) => {
    expect(contract.check(exchange)).toEqual([]);
  });
});
