import { addDuration, windowAt } from '../calendar.ts';
import type { Clause, ClauseKind, ClauseOf } from '../clauses/clause.ts';
import { MODE_OF } from '../clauses/kinds.ts';

/** What the licensee asks for at access time. */
export interface AccessRequest {
  readonly purpose: string;
  /** Region the bytes are delivered to (eu-residency). */
  readonly region?: string;
}

/** Everything an evaluation may depend on besides the clauses: time comes in here, never from a clock. */
export interface EvaluationContext {
  readonly now: string;
  readonly licensee: { readonly id: string; readonly kind: string };
  /** Start of the licence's validity and of its quota windows. */
  readonly activatedAt: string;
  /** Accesses already counted in the current window of each quota clause, by clause index. */
  readonly quotaUsed: Readonly<Record<number, number>>;
}

export interface Reason {
  readonly clause: ClauseKind;
  readonly message: string;
}

/** A quota the caller must count atomically when the decision is to permit. */
export interface QuotaCharge {
  readonly clauseIndex: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly limit: number;
}

export interface Decision {
  readonly decision: 'permit' | 'deny';
  readonly reasons: Reason[];
  readonly transforms: Clause[];
  readonly obligations: Clause[];
  readonly quotas: QuotaCharge[];
}

/** The verdict of one access clause: a reason to deny, and/or a quota to charge. */
export interface ClauseVerdict {
  readonly deny?: string;
  readonly charge?: Omit<QuotaCharge, 'clauseIndex'>;
}

export type AccessEvaluator<K extends ClauseKind = ClauseKind> = (clause: ClauseOf<K>, request: AccessRequest, context: EvaluationContext) => ClauseVerdict;

/** AWS regions inside the European Union. */
export const EU_REGIONS: readonly string[] = ['eu-west-1', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2'];

const ok: ClauseVerdict = {};

/** The built-in evaluators, one per access clause kind. */
export const ACCESS_EVALUATORS: { [K in ClauseKind]?: AccessEvaluator<K> } = {
  purpose: (c, request) => (c.params.allowed.includes(request.purpose) ? ok : { deny: `purpose "${request.purpose}" is not among ${c.params.allowed.join(', ')}` }),
  validity: (c, _request, ctx) => {
    const now = Date.parse(ctx.now);
    if (c.params.notBefore && now < Date.parse(c.params.notBefore)) return { deny: `the licence is not valid before ${c.params.notBefore}` };
    if (c.params.notAfter && now >= Date.parse(c.params.notAfter)) return { deny: `the licence expired on ${c.params.notAfter}` };
    if (c.params.maxDuration) {
      const end = addDuration(ctx.activatedAt, c.params.maxDuration);
      if (now >= Date.parse(end)) return { deny: `the licence expired on ${end} (${c.params.maxDuration} after activation)` };
    }
    return ok;
  },
  quota: (c, _request, ctx) => {
    const window = windowAt(ctx.activatedAt, c.params.per, ctx.now);
    return { charge: { windowStart: window.start, windowEnd: window.end, limit: c.params.count } };
  },
  'partner-kinds': (c, _request, ctx) =>
    (c.params.kinds as readonly string[]).includes(ctx.licensee.kind) ? ok : { deny: `partners of kind ${ctx.licensee.kind} are not eligible (${c.params.kinds.join(', ')})` },
  'eu-residency': (_c, request) =>
    request.region && EU_REGIONS.includes(request.region) ? ok : { deny: request.region ? `region ${request.region} is outside the European Union` : 'declare the delivery region (an EU region)' },
};

/**
 * The policy engine: access clauses are checked by the evaluator registered for their kind (an access
 * clause without one denies: fail closed); transform and obligation clauses are returned for enforcement.
 * Problems are collected, never thrown.
 */
export class PolicyEngine {
  private readonly evaluators = new Map<ClauseKind, AccessEvaluator>();

  constructor(evaluators: { [K in ClauseKind]?: AccessEvaluator<K> } = ACCESS_EVALUATORS) {
    for (const [kind, fn] of Object.entries(evaluators)) this.register(kind as ClauseKind, fn as AccessEvaluator);
  }

  register<K extends ClauseKind>(kind: K, evaluator: AccessEvaluator<K>): this {
    if (MODE_OF[kind] !== 'access') throw new RangeError(`${kind} is not an access clause`);
    this.evaluators.set(kind, evaluator as unknown as AccessEvaluator);
    return this;
  }

  evaluate(clauses: readonly Clause[], request: AccessRequest, context: EvaluationContext): Decision {
    const reasons: Reason[] = [];
    const quotas: QuotaCharge[] = [];
    clauses.forEach((clause, clauseIndex) => {
      if (MODE_OF[clause.kind] !== 'access') return;
      const evaluator = this.evaluators.get(clause.kind);
      const verdict = evaluator ? evaluator(clause, request, context) : { deny: `no evaluator is registered for ${clause.kind}` };
      if (verdict.deny) reasons.push({ clause: clause.kind, message: verdict.deny });
      if (verdict.charge) {
        const used = context.quotaUsed[clauseIndex] ?? 0;
        if (used >= verdict.charge.limit) reasons.push({ clause: clause.kind, message: `quota of ${verdict.charge.limit} accesses reached until ${verdict.charge.windowEnd}` });
        else quotas.push({ clauseIndex, ...verdict.charge });
      }
    });
    const permit = reasons.length === 0;
    return {
      decision: permit ? 'permit' : 'deny',
      reasons,
      transforms: clauses.filter((c) => MODE_OF[c.kind] === 'transform'),
      obligations: clauses.filter((c) => MODE_OF[c.kind] === 'obligation'),
      quotas: permit ? quotas : [],
    };
  }
}
