import type { Context } from 'aws-lambda';
import { type HttpFunctionGroup, type RoutesOf, routeKeyOf, routes } from '../../schemas/index.ts';
import { originSecret } from '../wiring/origin.ts';
import { cameThroughEdge } from './origin.ts';
import type { HttpEvent, HttpResult } from './route-handler.ts';
import { jsonResponse } from './responses.ts';

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** One Lambda per function group: refuses requests that bypassed the edge, then picks the route's handler by `routeKey`. */
export function dispatch<G extends HttpFunctionGroup>(_group: G, handlers: { [K in RoutesOf<G>]: RouteHandler }) {
  const byRouteKey = new Map<string, RouteHandler>(
    Object.entries(handlers).map(([id, h]) => [routeKeyOf(routes[id as RoutesOf<G>]), h as RouteHandler]),
  );
  return async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    if (!cameThroughEdge(event.headers, originSecret)) {
      return jsonResponse(403, { error: { code: 'edge_bypassed', message: 'Call the API at its public URL (the console\'s domain), not at its execute-api endpoint.' } });
    }
    const handler = byRouteKey.get(event.routeKey);
    if (!handler) return jsonResponse(404, { error: { code: 'route_not_found', message: `no route ${event.routeKey}` } });
    return handler(event, context);
  };
}
