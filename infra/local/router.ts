import { type RouteDeclaration, type RouteId, routes } from '../../schemas/routes.ts';

export interface MatchedRoute {
  readonly id: RouteId;
  readonly route: RouteDeclaration;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute {
  readonly id: RouteId;
  readonly route: RouteDeclaration;
  readonly pattern: RegExp;
  readonly names: string[];
  /** Literal segments count: API Gateway prefers the most specific route. */
  readonly literals: number;
}

/** Matches requests to the declared routes the way API Gateway does (literal segments beat parameters). */
export class LocalRouter {
  private readonly compiled: CompiledRoute[];

  constructor(declarations: Record<RouteId, RouteDeclaration> = routes) {
    this.compiled = (Object.entries(declarations) as [RouteId, RouteDeclaration][])
      .map(([id, route]) => {
        const names: string[] = [];
        const segments = route.path.split('/').slice(1);
        const source = segments
          .map((s) => {
            const param = s.match(/^\{(\w+)\}$/);
            if (!param) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(param[1]!);
            return '([^/]+)';
          })
          .join('/');
        return { id, route, pattern: new RegExp(`^/${source}$`), names, literals: segments.length - names.length };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  match(method: string, path: string): MatchedRoute | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      let pathParameters: Record<string, string>;
      try {
        pathParameters = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return undefined;
      }
      return { id: c.id, route: c.route, pathParameters };
    }
    return undefined;
  }
}
