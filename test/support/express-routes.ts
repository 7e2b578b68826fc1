import type { INestApplication } from '@nestjs/common';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the HTTP app registered (Nest controllers and anything else on the router), as METHOD + path template. */
export function expressRoutes(app: INestApplication): { method: string; path: string }[] {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: RouteLayer[] }; _router?: { stack: RouteLayer[] } };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const seen = new Map<string, { method: string; path: string }>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on || method === '_all') continue;
      const route = { method: method.toUpperCase(), path: layer.route.path };
      seen.set(`${route.method} ${route.path}`, route);
    }
  }
  return [...seen.values()];
}
