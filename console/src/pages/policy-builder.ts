import { html, nothing, type TemplateResult } from 'lit';
import { lang, t, tOr } from '../i18n/i18n.ts';
import { dateOf, DURATION_UNITS, durationParts, isoDuration, listOf, paramInputs, ruleFits, rulesOfJson, type DurationUnit, type FormVocabulary, type ParamInput, type ParamSchema } from './policy-form.ts';

/** The rules being edited: the JSON is the truth; `json` holds the JSON view's text while it is being edited, `variants` the choice made for each either-or parameter. */
export interface Draft {
  rules: unknown[];
  json?: string;
  jsonError?: string;
  variants: Record<string, number>;
}

/** What the builder offers: the catalogue (titles and parameter schemas), the zone layers and the field names of the territory's datasets. */
export interface BuilderData {
  readonly clauses: readonly { kind: string; mode: string; title: { fr: string; en: string }; params: Record<string, unknown> }[];
  readonly zones: readonly string[];
  readonly fields: readonly string[];
  readonly vocabulary: FormVocabulary;
}

type Obj = Record<string, unknown>;
interface Env {
  readonly draft: Draft;
  readonly data: BuilderData;
  /** Called after an edit that changes the shape of the form or must show in the JSON view. */
  readonly changed: () => void;
}

const FIELD_LIST = 'policy-field-names';
const empty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
/** Sets `key`, or removes it when the value says nothing (an unchecked list, an empty input). */
function put(target: Obj, key: string, value: unknown): void {
  if (empty(value)) delete target[key];
  else target[key] = value;
}
const paramLabel = (name: string) => tOr(`policy.param.${name}`, name);
const valueOf = (e: Event) => (e.target as HTMLInputElement).value;

/** A group of checkboxes; `pick` gets the checked values in the options' order. */
function checks(env: Env, id: string, legend: string, options: readonly (readonly [string, string])[], selected: readonly string[], pick: (next: string[]) => void, hint?: string): TemplateResult {
  const toggle = (value: string, on: boolean) => {
    pick(options.map(([v]) => v).filter((v) => (v === value ? on : selected.includes(v))));
    env.changed();
  };
  return html`<fieldset class="fr-fieldset" id=${id} aria-labelledby=${`${id}-legend`}>
    <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-legend`}>${legend}${hint ? html`<span class="fr-hint-text">${hint}</span>` : nothing}</legend>
    ${options.map(([value, label]) => html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group fr-checkbox-group--sm">
      <input type="checkbox" id=${`${id}-${value}`} value=${value} .checked=${selected.includes(value)} @change=${(e: Event) => toggle(value, (e.target as HTMLInputElement).checked)} />
      <label class="fr-label" for=${`${id}-${value}`}>${label}</label></div></div>`)}
  </fieldset>`;
}

/** A number and a unit (days, weeks, months, years), written as an ISO 8601 duration (`P3M`). */
function durationField(env: Env, id: string, legend: string, value: unknown, set: (iso: string | undefined) => void): TemplateResult {
  const parts = durationParts(value);
  const read = () => {
    const n = (document.getElementById(`${id}-n`) as HTMLInputElement).valueAsNumber;
    const unit = (document.getElementById(`${id}-u`) as HTMLSelectElement).value as DurationUnit;
    set(Number.isInteger(n) && n > 0 ? isoDuration(n, unit) : undefined);
  };
  return html`<fieldset class="fr-fieldset cpt-duration" id=${id} aria-labelledby=${`${id}-legend`} data-duration=${(value as string) ?? ''}>
    <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-legend`}>${legend}</legend>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
      <label class="fr-label" for=${`${id}-n`}>${t('policy.durationCount')}</label>
      <input class="fr-input" type="number" min="1" max="9999" step="1" id=${`${id}-n`} .value=${parts ? String(parts.n) : ''} @input=${read} @change=${env.changed} />
    </div></div>
    <div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-select-group">
      <label class="fr-label" for=${`${id}-u`}>${t('policy.durationUnit')}</label>
      <select class="fr-select" id=${`${id}-u`} @change=${() => (read(), env.changed())}>
        ${DURATION_UNITS.map((u) => html`<option value=${u} ?selected=${(parts?.unit ?? 'M') === u}>${t(`policy.unit.${u}`)}</option>`)}
      </select>
    </div></div>
  </fieldset>`;
}

/** A list of texts, one input each, with buttons to add and remove; field names get the datasets' names as suggestions. */
function listField(env: Env, id: string, legend: string, values: readonly string[], set: (next: string[]) => void, fields: boolean): TemplateResult {
  const items = [...values];
  return html`<fieldset class="fr-fieldset" id=${id} aria-labelledby=${`${id}-legend`}>
    <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-legend`}>${legend}</legend>
    ${items.map((v, k) => html`<div class="fr-fieldset__element cpt-actions">
      <div class="fr-input-group">
        <label class="fr-label" for=${`${id}-${k}`}>${t('policy.listItem', { label: legend, n: k + 1 })}</label>
        <input class="fr-input" id=${`${id}-${k}`} .value=${v} list=${fields ? FIELD_LIST : nothing} autocomplete="off"
          @input=${(e: Event) => ((items[k] = valueOf(e).trim()), set([...items]))} @change=${env.changed} />
      </div>
      <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" @click=${() => (items.splice(k, 1), set([...items]), env.changed())}>${t('policy.removeItem', { label: legend, n: k + 1 })}</button>
    </div>`)}
    <div class="fr-fieldset__element"><button class="fr-btn fr-btn--secondary fr-btn--sm" type="button" data-add-item=${id} @click=${() => (set([...items, '']), env.changed())}>${t('policy.addItem', { label: legend })}</button></div>
  </fieldset>`;
}

/** The input of one clause parameter, generated from its JSON Schema. */
function paramField(env: Env, id: string, name: string, input: ParamInput, params: Obj): TemplateResult {
  const label = paramLabel(name);
  const value = params[name];
  const set = (v: unknown) => put(params, name, v);
  switch (input.t) {
    case 'number':
      return html`<div class="fr-input-group"><label class="fr-label" for=${id}>${label}${input.min !== undefined || input.max !== undefined ? html`<span class="fr-hint-text">${t('policy.between', { min: input.min ?? '—', max: input.max ?? '—' })}</span>` : nothing}</label>
        <input class="fr-input" type="number" id=${id} min=${input.min ?? nothing} max=${input.max ?? nothing} step=${input.integer ? '1' : 'any'} .value=${value === undefined ? '' : String(value)}
          @input=${(e: Event) => { const n = (e.target as HTMLInputElement).valueAsNumber; set(Number.isNaN(n) ? undefined : n); }} @change=${env.changed} /></div>`;
    case 'enum':
      return html`<div class="fr-select-group"><label class="fr-label" for=${id}>${label}</label>
        <select class="fr-select" id=${id} @change=${(e: Event) => (set(valueOf(e) || undefined), env.changed())}>
          <option value="" ?selected=${value === undefined}>${t('policy.choose')}</option>
          ${input.options.map((o) => html`<option value=${o} ?selected=${o === value}>${tOr(`kind.${o}`, o)}</option>`)}
        </select></div>`;
    case 'enums':
      return checks(env, id, label, input.options.map((o) => [o, tOr(`kind.${o}`, o)] as const), listOf(value), set);
    case 'duration':
      return durationField(env, id, label, value, set);
    case 'date':
      return html`<div class="fr-input-group"><label class="fr-label" for=${id}>${label}</label>
        <input class="fr-input" type="date" id=${id} .value=${dateOf(value) ?? ''} @change=${(e: Event) => (set(valueOf(e) ? `${valueOf(e)}T00:00:00Z` : undefined), env.changed())} /></div>`;
    case 'zone': {
      const zones = value === undefined || env.data.zones.includes(value as string) ? env.data.zones : [...env.data.zones, value as string];
      return html`<div class="fr-select-group"><label class="fr-label" for=${id}>${label}${zones.length ? nothing : html`<span class="fr-hint-text">${t('policy.noZones')}</span>`}</label>
        <select class="fr-select" id=${id} @change=${(e: Event) => (set(valueOf(e) || undefined), env.changed())}>
          <option value="" ?selected=${value === undefined}>${t('policy.choose')}</option>
          ${zones.map((z) => html`<option value=${z} ?selected=${z === value}>${z}</option>`)}
        </select></div>`;
    }
    case 'field':
    case 'text':
      return html`<div class="fr-input-group"><label class="fr-label" for=${id}>${label}</label>
        <input class="fr-input" id=${id} .value=${(value as string) ?? ''} list=${input.t === 'field' ? FIELD_LIST : nothing} autocomplete="off" @input=${(e: Event) => set(valueOf(e))} @change=${env.changed} /></div>`;
    case 'fields':
    case 'strings':
      return listField(env, id, label, listOf(value), set, input.t === 'fields');
    case 'variants': {
      const current = (value ?? {}) as Obj;
      const keys = Object.keys(current);
      const found = input.options.findIndex((o) => keys.every((k) => o.keys.includes(k)));
      const chosen = env.draft.variants[id] ?? Math.max(found, 0);
      const option = input.options[chosen]!;
      const choose = (i: number) => {
        env.draft.variants[id] = i;
        params[name] = {};
        env.changed();
      };
      return html`<fieldset class="fr-fieldset" id=${id} aria-labelledby=${`${id}-legend`}>
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-legend`}>${label}</legend>
        ${input.options.map((o, i) => html`<div class="fr-fieldset__element"><div class="fr-radio-group fr-radio-group--sm">
          <input type="radio" id=${`${id}-v${i}`} name=${`${id}-variant`} .checked=${i === chosen} @change=${() => choose(i)} />
          <label class="fr-label" for=${`${id}-v${i}`}>${o.keys.map(paramLabel).join(t('policy.and'))}</label></div></div>`)}
        ${option.keys.map((k) => html`<div class="fr-fieldset__element">${paramField(env, `${id}-${k}`, k, option.props[k]!, ((params[name] ??= {}) as Obj))}</div>`)}
      </fieldset>`;
    }
  }
}

/** One required clause: its title, its parameters and a button to remove it. */
function clauseCard(env: Env, id: string, clause: Obj, remove: () => void): TemplateResult {
  const kind = clause.kind as string;
  const entry = env.data.clauses.find((c) => c.kind === kind);
  const inputs = paramInputs(entry?.params as ParamSchema) ?? {};
  const params = (clause.params ??= {}) as Obj;
  return html`<div class="fr-fieldset__element fr-p-2w fr-mb-2w cpt-clause" data-clause=${kind}>
    <h4 class="fr-h6 fr-mb-1w" id=${`${id}-title`}>${entry ? entry.title[lang()] : kind}</h4>
    ${Object.entries(inputs).map(([name, input]) => paramField(env, `${id}-${name}`, name, input, params))}
    <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" aria-describedby=${`${id}-title`} @click=${() => (remove(), env.changed())}>${t('policy.removeClause')}</button>
  </div>`;
}

/** One rule as a form: its conditions, the clauses it requires, what it forbids, its limits. */
function ruleForm(env: Env, rule: Obj, i: number): TemplateResult {
  const id = `rule-${i}`;
  // Absent parts are attached only when edited, so the JSON of an untouched rule stays as it was written.
  const when = (rule.when ?? {}) as Obj;
  const require = (rule.require ?? []) as Obj[];
  const setWhen = (key: string, value: unknown) => {
    put(when, key, value);
    rule.when = when;
  };
  const { vocabulary, clauses } = env.data;
  const clauseOptions = clauses.map((c) => [c.kind, c.title[lang()]] as const);
  const personal = when.personalFields === undefined ? 'any' : when.personalFields ? 'yes' : 'no';
  const addClause = () => {
    const kind = (document.getElementById(`${id}-new-clause`) as HTMLSelectElement).value;
    require.push({ kind, params: {} });
    rule.require = require;
    env.changed();
  };
  return html`<section class="fr-p-3w fr-mb-3w cpt-rule" data-rule-index=${i} aria-labelledby=${`${id}-title`}>
    <h3 class="fr-h5" id=${`${id}-title`}>${t('policy.ruleTitle', { n: i + 1, id: String(rule.id ?? '') })}</h3>
    <div class="fr-input-group"><label class="fr-label" for=${`${id}-id`}>${t('policy.ruleId')}<span class="fr-hint-text">${t('policy.ruleIdHint')}</span></label>
      <input class="fr-input" id=${`${id}-id`} .value=${(rule.id as string) ?? ''} autocomplete="off" @input=${(e: Event) => (rule.id = valueOf(e).trim())} @change=${env.changed} /></div>
    <div class="fr-input-group"><label class="fr-label" for=${`${id}-description`}>${t('policy.ruleDescription')}</label>
      <input class="fr-input" id=${`${id}-description`} .value=${(rule.description as string) ?? ''} @input=${(e: Event) => put(rule, 'description', valueOf(e))} @change=${env.changed} /></div>
    <h4 class="fr-h6">${t('policy.when')}</h4>
    ${checks(env, `${id}-themes`, t('policy.themes'), vocabulary.themes.map((v) => [v, tOr(`theme.${v}`, v)] as const), listOf(when.theme), (v) => setWhen('theme', v), t('policy.anyIfNone'))}
    ${checks(env, `${id}-classifications`, t('policy.classifications'), vocabulary.classifications.map((v) => [v, tOr(`classification.${v}`, v)] as const), listOf(when.classification), (v) => setWhen('classification', v), t('policy.anyIfNone'))}
    ${checks(env, `${id}-kinds`, t('policy.partnerKinds'), vocabulary.partnerKinds.map((v) => [v, tOr(`kind.${v}`, v)] as const), listOf(when.licenseeKinds), (v) => setWhen('licenseeKinds', v), t('policy.anyIfNone'))}
    <fieldset class="fr-fieldset" id=${`${id}-personal`} aria-labelledby=${`${id}-personal-legend`}>
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-personal-legend`}>${t('policy.personalFields')}</legend>
      ${(['any', 'yes', 'no'] as const).map((v) => html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-radio-group fr-radio-group--sm">
        <input type="radio" id=${`${id}-personal-${v}`} name=${`${id}-personal`} .checked=${personal === v}
          @change=${() => (setWhen('personalFields', v === 'any' ? undefined : v === 'yes'), env.changed())} />
        <label class="fr-label" for=${`${id}-personal-${v}`}>${t(`policy.personal.${v}`)}</label></div></div>`)}
    </fieldset>
    <h4 class="fr-h6">${t('policy.then')}</h4>
    <fieldset class="fr-fieldset" aria-labelledby=${`${id}-require-legend`}>
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id=${`${id}-require-legend`}>${t('policy.require')}</legend>
      ${require.length ? nothing : html`<p class="fr-fieldset__element">${t('policy.noClause')}</p>`}
      ${require.map((c, j) => clauseCard(env, `${id}-c${j}`, c, () => require.splice(j, 1)))}
      <div class="fr-fieldset__element cpt-actions">
        <div class="fr-select-group"><label class="fr-label" for=${`${id}-new-clause`}>${t('policy.newClause')}</label>
          <select class="fr-select" id=${`${id}-new-clause`}>${clauseOptions.map(([k, title]) => html`<option value=${k}>${title}</option>`)}</select></div>
        <button class="fr-btn fr-btn--secondary" type="button" @click=${addClause}>${t('policy.addClause')}</button>
      </div>
    </fieldset>
    ${checks(env, `${id}-forbid`, t('policy.forbid'), clauseOptions, listOf(rule.forbid), (v) => put(rule, 'forbid', v))}
    ${durationField(env, `${id}-max`, t('policy.maxDuration'), rule.maxDuration, (v) => put(rule, 'maxDuration', v))}
    <div class="fr-checkbox-group fr-mb-3w">
      <input type="checkbox" id=${`${id}-approval`} .checked=${rule.requireApproval === true} @change=${(e: Event) => (put(rule, 'requireApproval', (e.target as HTMLInputElement).checked || undefined), env.changed())} />
      <label class="fr-label" for=${`${id}-approval`}>${t('policy.requireApproval')}</label>
    </div>
    <button class="fr-btn fr-btn--tertiary" type="button" aria-describedby=${`${id}-title`} @click=${() => (env.draft.rules.splice(i, 1), env.changed())}>${t('policy.removeRule')}</button>
  </section>`;
}

/** A rule the form cannot show whole: named, and left as it is for the JSON view. */
const jsonOnly = (rule: unknown, i: number) =>
  html`<div class="fr-callout fr-mb-3w" data-json-only=${i}><p class="fr-callout__text">${t('policy.jsonOnly', { n: i + 1, id: String((rule as Obj)?.id ?? '?') })}</p></div>`;

/** The rules as forms, with the JSON view for experts; both edit the same draft. */
export function ruleBuilder(draft: Draft, data: BuilderData, o: { officer: boolean; changed: () => void }): TemplateResult {
  const env: Env = { draft, data, changed: () => ((draft.json = undefined), o.changed()) };
  const json = draft.json ?? JSON.stringify(draft.rules, null, 2);
  const applyJson = (e: Event) => {
    draft.json = (e.target as HTMLTextAreaElement).value;
    try {
      draft.rules = rulesOfJson(draft.json);
      draft.json = undefined;
      draft.jsonError = undefined;
    } catch (error) {
      draft.jsonError = (error as Error).message;
    }
  };
  // The form shows the JSON's edit once focus leaves it, except towards Preview or Publish: a render then would move
  // the button from under the pointer between press and release, and the action renders the page itself.
  const leaveJson = (e: FocusEvent) => {
    if (!(e.relatedTarget as HTMLElement | null)?.closest('[data-policy-action]')) o.changed();
  };
  const addRule = () => {
    draft.rules.push({ id: `regle-${draft.rules.length + 1}`, when: {}, require: [] });
    env.changed();
  };
  return html`<section aria-labelledby="rules-title" id="policy-builder">
    <h2 class="fr-h4" id="rules-title">${t('policy.rulesTitle')}</h2>
    <datalist id=${FIELD_LIST}>${data.fields.map((f) => html`<option value=${f}></option>`)}</datalist>
    <fieldset class="cpt-plain" ?disabled=${!o.officer} aria-labelledby="rules-title">
      ${draft.rules.length ? nothing : html`<p>${t('policy.noRule')}</p>`}
      ${draft.rules.map((r, i) => (ruleFits(r, data.vocabulary) ? ruleForm(env, r as Obj, i) : jsonOnly(r, i)))}
      ${o.officer ? html`<p><button class="fr-btn fr-btn--secondary" type="button" id="add-rule" @click=${addRule}>${t('policy.addRule')}</button></p>` : nothing}
    </fieldset>
    <details class="fr-mb-3w" id="policy-json"><summary>${t('policy.jsonView')}</summary>
      <div class="fr-input-group ${draft.jsonError ? 'fr-input-group--error' : ''}">
        <label class="fr-label" for="policy-rules">${t('policy.rules')}<span class="fr-hint-text" id="policy-rules-hint">${t('policy.rulesHint')}</span></label>
        <textarea class="fr-input cpt-code" id="policy-rules" rows="16" spellcheck="false" aria-describedby=${draft.jsonError ? 'policy-rules-hint policy-rules-error' : 'policy-rules-hint'} aria-invalid=${draft.jsonError ? 'true' : nothing} ?readonly=${!o.officer}
          .value=${json} @input=${(e: Event) => (draft.json = (e.target as HTMLTextAreaElement).value)} @change=${applyJson} @focusout=${leaveJson}></textarea>
        ${draft.jsonError ? html`<p class="fr-error-text" id="policy-rules-error">${t('policy.invalidJson', { message: draft.jsonError })}</p>` : nothing}
      </div>
    </details>
  </section>`;
}
