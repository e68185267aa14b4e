import fc from 'fast-check';

type Schema = Record<string, any>;

const DATES = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true });
/** Any JSON value, for the places a schema leaves open and for invalid inputs. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  'date-time': DATES.map((d) => d.toISOString()),
  date: DATES.map((d) => d.toISOString().slice(0, 10)),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  url: fc.webUrl(),
  uuid: fc.uuid(),
};

/**
 * Values that JSON Schema `schema` (an OpenAPI 3.1 request schema, refs into `root`) accepts, as far
 * as the schema can say: zod refinements it cannot express may still refuse some, which is fine for a fuzzer.
 * `pick` offers known values (ids of real objects) for properties by name.
 */
export function arbitraryOf(schema: Schema | undefined, root: Schema, pick: (name: string) => fc.Arbitrary<string> | undefined = () => undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  if (typeof schema.$ref === 'string') return arbitraryOf(resolve(schema.$ref, root), root, pick, name, depth + 1);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((s: Schema) => arbitraryOf(s, root, pick, name, depth + 1)));
  if (Array.isArray(schema.allOf)) return arbitraryOf(Object.assign({}, ...schema.allOf), root, pick, name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : undefined;
  if (!type) return schema.properties ? objectOf(schema, root, pick, depth) : anyJson;
  return fc.oneof(...type.map((t: string) => ofType(t, schema, root, pick, name, depth)));
}

function ofType(type: string, schema: Schema, root: Schema, pick: (name: string) => fc.Arbitrary<string> | undefined, name: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min, 0) + 1000);
      return type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string': {
      const known = pick(name);
      const shaped = stringOf(schema);
      return known ? fc.oneof({ arbitrary: known, weight: 3 }, { arbitrary: shaped, weight: 1 }) : shaped;
    }
    case 'array':
      return fc.array(arbitraryOf(schema.items, root, pick, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object':
      return objectOf(schema, root, pick, depth);
    default:
      return anyJson;
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format]!;
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000) && s.length >= (schema.minLength ?? 0));
    } catch {
      // A pattern JavaScript cannot read: plain strings will do.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

function objectOf(schema: Schema, root: Schema, pick: (name: string) => fc.Arbitrary<string> | undefined, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, s] of Object.entries(properties)) model[key] = arbitraryOf(s, root, pick, key, depth + 1);
  const known = fc.record(model, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(properties).length === 0) {
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arbitraryOf(schema.additionalProperties, root, pick, '', depth + 1), { maxKeys: 3 });
  }
  return known;
}

/** An input the schema refuses, or that only looks right: the wrong type, a missing or extra field, an out-of-range value. */
export function invalidOf(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    anyJson,
    valid.chain((v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return fc.constant({ value: v });
      const keys = Object.keys(v);
      return fc.oneof(
        fc.constant({ ...v, unexpected: true }),
        keys.length ? fc.constantFrom(...keys).map((k) => { const { [k]: _dropped, ...rest } = v as Record<string, unknown>; return rest; }) : fc.constant([]),
        keys.length ? fc.tuple(fc.constantFrom(...keys), anyJson).map(([k, x]) => ({ ...v, [k]: x })) : fc.constant('x'),
        keys.length ? fc.tuple(fc.constantFrom(...keys), fc.string({ minLength: 2000, maxLength: 3000 })).map(([k, x]) => ({ ...v, [k]: x })) : fc.constant(0),
      );
    }),
  );
}

function resolve(ref: string, root: Schema): Schema | undefined {
  return ref.replace(/^#\//, '').split('/').reduce<Schema | undefined>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], root);
}
