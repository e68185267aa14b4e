import * as z from 'zod';
import { CLAUSE_KINDS, CLAUSE_PARAMS, MODE_OF } from '../../../contracts/clauses/clause.ts';
import { CLAUSE_TITLES } from '../../../contracts/clauses/texts.ts';
import { digestOf } from '../../../contracts/digest.ts';
import { LICENCE_TEMPLATES } from '../../../contracts/templates.ts';
import type { Policy, PutPolicyRequest, ZoneLayer } from '../../../schemas/index.ts';
import type { PolicyStore, StoredZone } from '../../ports/licensing.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, NotFoundError } from '../errors.ts';
import { actorIdOf, type Principal } from '../model.ts';
import { parseRules } from './clause-input.ts';

/** DynamoDB items stop at 400 KB; a zone layer keeps a margin for its metadata. */
const MAX_ZONE_JSON = 350_000;


/** The territory's public policy, its zone layers, and the clause and template catalogues. */
export class PolicyService {
  constructor(private readonly deps: { store: PolicyStore; audit: AuditTrail; clock: Clock }) {}

  async get(): Promise<Policy> {
    return this.deps.store.getPolicy();
  }

  async put(principal: Principal, req: PutPolicyRequest): Promise<Policy> {
    const rules = parseRules(req.rules);
    const current = await this.deps.store.getPolicy();
    const optOuts = req.registerOptOuts ?? [];
    const policy = { version: current.version + 1, rules, ...(optOuts.length ? { registerOptOuts: optOuts } : {}), updatedAt: this.deps.clock.now().toISOString(), updatedBy: actorIdOf(principal) };
    await this.deps.store.putPolicy(
      policy,
      current.version,
      this.deps.audit.record({ actor: actorOf(principal), action: 'policy.updated', subject: 'policy', parties: [], data: { version: policy.version, rules: rules.map((r) => r.id), digest: digestOf(rules), ...(optOuts.length ? { registerOptOuts: optOuts } : {}) } }),
    );
    return policy;
  }

  async putZone(principal: Principal, name: string, layer: ZoneLayer): Promise<StoredZone> {
    if (JSON.stringify(layer).length > MAX_ZONE_JSON) throw new BusinessRuleError(`a zone layer is limited to ${MAX_ZONE_JSON} bytes of GeoJSON; simplify the polygons`, 'zone_too_large');
    const zone: StoredZone = { name, layer, features: layer.features.length, sha256: digestOf(layer), updatedAt: this.deps.clock.now().toISOString() };
    await this.deps.store.putZone(zone, this.deps.audit.record({ actor: actorOf(principal), action: 'zone.updated', subject: `zone:${name}`, parties: [], data: { name, features: zone.features, sha256: zone.sha256 } }));
    return zone;
  }

  async getZone(name: string): Promise<StoredZone> {
    const zone = await this.deps.store.getZone(name);
    if (!zone) throw new NotFoundError('zone layer', name);
    return zone;
  }

  listZones() {
    return this.deps.store.listZones().then((items) => ({ items }));
  }

  /** Every clause kind with its mode, titles and the JSON Schema of its parameters. */
  clauses() {
    return {
      items: CLAUSE_KINDS.map((kind) => ({ kind, mode: MODE_OF[kind], title: CLAUSE_TITLES[kind], params: z.toJSONSchema(CLAUSE_PARAMS[kind], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> })),
    };
  }

  templates() {
    return { items: LICENCE_TEMPLATES.map((t) => ({ ...t, defaultClauses: [...t.defaultClauses], ...(t.uri ? { uri: t.uri } : {}) })) };
  }
}
