import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RouteExchange } from '../../infra/local/runtime.ts';
import { routes, type RouteId } from '../../schemas/routes.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;

/** A response that breaks the OpenAPI document, with what a strict client would object to. */
export interface ContractViolation {
  readonly operation: string;
  readonly request: string;
  readonly status: number;
  readonly problems: string[];
  readonly body: string;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

/** Checks answers against an OpenAPI 3.1 document: declared status, media type, headers and JSON Schema 2020-12 body. */
export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false });
    addFormats(this.ajv);
  }

  /** The problems of one answer of the route `routeId`; empty when a strict client would accept it. */
  check(exchange: Pick<RouteExchange, 'routeId' | 'method' | 'status' | 'headers' | 'body'>): string[] {
    const route = routes[exchange.routeId as RouteId];
    if (!route) return [`${exchange.routeId} is not a declared route`];
    const operation = this.document.paths?.[route.path]?.[exchange.method.toLowerCase()] as Json | undefined;
    if (!operation) return [`${exchange.method} ${route.path} is missing from the document`];
    const response = this.resolve(operation.responses?.[String(exchange.status)]) as Json | undefined;
    if (!response) return [`status ${exchange.status} is not declared (declared: ${Object.keys(operation.responses ?? {}).join(', ')})`];
    return [...this.checkHeaders(response, exchange.headers), ...this.checkBody(`${operation.operationId}/${exchange.status}`, response, exchange)];
  }

  /** The problems of a webhook the platform sent, against the document's `webhooks` entry `event`. */
  checkWebhook(event: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: string): string[] {
    const operation = this.document.webhooks?.[event]?.post as Json | undefined;
    if (!operation) return [`webhook ${event} is missing from the document`];
    const problems = ((operation.parameters ?? []) as Json[])
      .filter((p) => p.in === 'header' && p.required && headers[String(p.name).toLowerCase()] === undefined)
      .map((p) => `required header ${p.name} is missing`);
    const media = operation.requestBody?.content?.['application/json'] as Json | undefined;
    if (!media?.schema) return [...problems, `webhook ${event} declares no JSON body`];
    const validate = this.validatorOf(`webhook/${event}`, media.schema as Json);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return [...problems, 'the webhook body is not JSON'];
    }
    return validate(payload) ? problems : [...problems, ...(validate.errors ?? []).map((e) => `body${e.instancePath || ''} ${e.message ?? ''}`)];
  }

  private checkHeaders(response: Json, headers: RouteExchange['headers']): string[] {
    const problems: string[] = [];
    for (const [name, declared] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const header = this.resolve(declared) as Json;
      const value = headers[name.toLowerCase()] ?? headers[name];
      if (value === undefined) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      const schema = header.schema as Json | undefined;
      const text = Array.isArray(value) ? value.join(', ') : value;
      const typed = schema?.type === 'integer' || schema?.type === 'number' ? Number(text) : text;
      if (schema && !this.ajv.validate(schema, typed)) problems.push(`header ${name}: ${this.ajv.errorsText(this.ajv.errors)}`);
    }
    return problems;
  }

  private checkBody(key: string, response: Json, exchange: Pick<RouteExchange, 'headers' | 'body'>): string[] {
    const content = response.content as Record<string, Json> | undefined;
    const bytes = exchange.body?.length ?? 0;
    if (!content) return bytes === 0 ? [] : [`a body of ${bytes} bytes where the document declares none`];
    const contentType = String(exchange.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[contentType];
    if (!media) return [`content-type "${contentType}" is not declared (declared: ${Object.keys(content).join(', ')})`];
    if (!JSON_MEDIA.test(contentType) || !media.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body?.toString('utf8') ?? '');
    } catch {
      return [`the body is not JSON although the content-type is ${contentType}`];
    }
    const validate = this.validatorOf(`${key}/${contentType}`, media.schema as Json);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `body${e.instancePath || ''} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }

  private validatorOf(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // Refs point into the document's components: compile the schema with them at its root.
      validate = this.ajv.compile({ ...schema, components: this.document.components });
      this.validators.set(key, validate);
    }
    return validate;
  }

  private resolve(node: Json | undefined): Json | undefined {
    if (!node || typeof node.$ref !== 'string') return node;
    const target = (node.$ref as string).replace(/^#\//, '').split('/').reduce<Json | undefined>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
    return this.resolve(target);
  }
}
