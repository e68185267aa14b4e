/** What the rule builder can show as inputs: the rule JSON stays the source of truth, the form only reads and edits parts of it. */

/** A JSON Schema as the clause catalogue gives it (only the keywords the builder reads). */
export interface ParamSchema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: ParamSchema;
  readonly properties?: Readonly<Record<string, ParamSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly ParamSchema[];
}

/** The input a parameter gets; `variants` is a choice between objects (a geopoint field, or latitude and longitude fields). */
export type ParamInput =
  | { readonly t: 'number'; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly t: 'enum'; readonly options: readonly string[] }
  | { readonly t: 'enums'; readonly options: readonly string[] }
  | { readonly t: 'duration' | 'zone' | 'field' | 'fields' | 'strings' | 'date' | 'text' }
  | { readonly t: 'variants'; readonly options: readonly { readonly keys: readonly string[]; readonly props: Readonly<Record<string, ParamInput>> }[] };

/** The input for a parameter schema, or undefined when the form cannot offer one (the clause stays JSON-only). */
export function inputOf(s: ParamSchema): ParamInput | undefined {
  if (s.type === 'integer' || s.type === 'number') return { t: 'number', integer: s.type === 'integer', ...(s.minimum !== undefined ? { min: s.minimum } : {}), ...(s.maximum !== undefined ? { max: s.maximum } : {}) };
  if (s.type === 'string') {
    if (s.enum) return { t: 'enum', options: s.enum };
    const byFormat: Record<string, ParamInput> = { duration: { t: 'duration' }, 'zone-name': { t: 'zone' }, 'field-name': { t: 'field' }, 'date-time': { t: 'date' } };
    return s.format ? byFormat[s.format] : { t: 'text' };
  }
  if (s.type === 'array' && s.items?.type === 'string') return s.items.enum ? { t: 'enums', options: s.items.enum } : { t: s.items.format === 'field-name' ? 'fields' : 'strings' };
  if (s.anyOf?.every((o) => o.type === 'object' && o.properties)) {
    const options = s.anyOf.map((o) => ({ keys: Object.keys(o.properties!), props: Object.fromEntries(Object.entries(o.properties!).map(([k, p]) => [k, inputOf(p)])) }));
    return options.every((o) => Object.values(o.props).every((p) => p && p.t !== 'variants')) ? { t: 'variants', options: options as never } : undefined;
  }
  return undefined;
}

export const DURATION_UNITS = ['D', 'W', 'M', 'Y'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** `P3M` as 3 months; undefined for durations a number and one unit cannot say (`P1Y6M`, `PT12H`). */
export function durationParts(iso: unknown): { n: number; unit: DurationUnit } | undefined {
  const m = typeof iso === 'string' ? /^P([1-9]\d{0,3})([DWMY])$/.exec(iso) : null;
  return m ? { n: Number(m[1]), unit: m[2] as DurationUnit } : undefined;
}

export const isoDuration = (n: number, unit: DurationUnit): string => `P${n}${unit}`;

/** Midnight UTC instants are shown as a date; other instants only in JSON. */
export const dateOf = (iso: unknown): string | undefined => (typeof iso === 'string' ? /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.000)?Z$/.exec(iso)?.[1] : undefined);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown, options?: readonly string[]): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string' && (!options || options.includes(x)));

/** True when `value` (absent allowed) can be shown and edited by `input` without losing anything. */
export function fits(input: ParamInput, value: unknown): boolean {
  if (value === undefined) return true;
  switch (input.t) {
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'enum': return typeof value === 'string' && input.options.includes(value);
    case 'enums': return strings(value, input.options);
    case 'duration': return durationParts(value) !== undefined;
    case 'date': return dateOf(value) !== undefined;
    case 'zone': case 'field': case 'text': return typeof value === 'string';
    case 'fields': case 'strings': return strings(value);
    case 'variants':
      return isObject(value) && input.options.some((o) => Object.entries(value).every(([k, v]) => o.keys.includes(k) && fits(o.props[k]!, v)));
  }
}

/** The inputs of a clause kind's parameters, or undefined when one of them has no input. */
export function paramInputs(schema: ParamSchema | undefined): Record<string, ParamInput> | undefined {
  if (!schema || schema.type !== 'object') return undefined;
  const entries = Object.entries(schema.properties ?? {}).map(([k, s]) => [k, inputOf(s)] as const);
  return entries.every(([, i]) => i) ? (Object.fromEntries(entries) as Record<string, ParamInput>) : undefined;
}

export const RULE_KEYS = ['id', 'description', 'when', 'require', 'forbid', 'maxDuration', 'requireApproval'] as const;
const WHEN_KEYS = ['theme', 'classification', 'licenseeKinds', 'personalFields'];

/** What the form needs to know: the enums it offers and the catalogue's parameter schemas. */
export interface FormVocabulary {
  readonly themes: readonly string[];
  readonly classifications: readonly string[];
  readonly partnerKinds: readonly string[];
  readonly clauses: Readonly<Record<string, ParamSchema>>;
}

const oneOrMany = (v: unknown, options: readonly string[]) => (typeof v === 'string' ? options.includes(v) : strings(v, options));

/** True when a clause's kind is in the catalogue and every parameter it carries has an input that holds its value. */
export function clauseFits(clause: unknown, vocabulary: FormVocabulary): boolean {
  if (!isObject(clause) || typeof clause.kind !== 'string' || !Object.keys(clause).every((k) => k === 'kind' || k === 'params')) return false;
  const inputs = paramInputs(vocabulary.clauses[clause.kind]);
  const params = clause.params ?? {};
  return !!inputs && isObject(params) && Object.entries(params).every(([k, v]) => inputs[k] !== undefined && fits(inputs[k], v));
}

/** True when the form can show and edit the whole rule; other rules stay editable in JSON only, and are kept intact. */
export function ruleFits(rule: unknown, vocabulary: FormVocabulary): boolean {
  if (!isObject(rule) || !Object.keys(rule).every((k) => (RULE_KEYS as readonly string[]).includes(k))) return false;
  const when = rule.when ?? {};
  return (
    typeof rule.id === 'string' &&
    (rule.description === undefined || typeof rule.description === 'string') &&
    isObject(when) && Object.keys(when).every((k) => WHEN_KEYS.includes(k)) &&
    (when.theme === undefined || oneOrMany(when.theme, vocabulary.themes)) &&
    (when.classification === undefined || oneOrMany(when.classification, vocabulary.classifications)) &&
    (when.licenseeKinds === undefined || strings(when.licenseeKinds, vocabulary.partnerKinds)) &&
    (when.personalFields === undefined || typeof when.personalFields === 'boolean') &&
    (rule.require === undefined || (Array.isArray(rule.require) && rule.require.every((c) => clauseFits(c, vocabulary)))) &&
    (rule.forbid === undefined || strings(rule.forbid, Object.keys(vocabulary.clauses))) &&
    (rule.maxDuration === undefined || durationParts(rule.maxDuration) !== undefined) &&
    (rule.requireApproval === undefined || typeof rule.requireApproval === 'boolean')
  );
}

/** The rules of a JSON text: an array of rules, or a policy object with `rules`. */
export function rulesOfJson(text: string): unknown[] {
  const parsed = JSON.parse(text) as unknown;
  if (Array.isArray(parsed)) return parsed;
  if (isObject(parsed) && Array.isArray(parsed.rules)) return parsed.rules;
  throw new SyntaxError('expected an array of rules');
}

/** A list condition as an array, whether the rule wrote one value or several. */
export const listOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? (v as string[]) : []);
