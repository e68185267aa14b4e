import type { Context } from 'aws-lambda';
import { type HttpFunctionGroup, type RoutesOf, routeKeyOf, routes } from '../../schemas/index.ts';
import type { HttpEvent, HttpResult } from './route-handler.ts';
import { jsonResponse } from './responses.ts';

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** One Lambda per function group: picks the route's handler by API Gateway's `routeKey`. */
export function dispatch<G extends HttpFunctionGroup>(_group: G, handlers: { [K in RoutesOf<G>]: RouteHandler }) {
  const byRouteKey = new Map<string, RouteHandler>(
    Object.entries(handlers).map(([id, h]) => [routeKeyOf(routes[id as RoutesOf<G>]), h as RouteHandler]),
  );
  return async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const handler = byRouteKey.get(event.routeKey);
    if (!handler) return jsonResponse(404, { error: { code: 'route_not_found', message: `no route ${event.routeKey}` } });
    return handler(event, context);
  };
}
