import { parseRouteTemplate, type RouteTemplate } from "./route-template";

/** What an HTTP-triggered function declares about how it is reached. */
export interface HttpFunctionRoute {
  functionName: string;
  /** The route template; the function's name when absent. */
  route?: string;
  /** Allowed methods, upper case; every method when absent or empty. */
  methods?: readonly string[];
  authLevel?: string;
}

export type RouteMatch =
  | { kind: "function"; route: HttpFunctionRoute; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] };

interface CompiledRoute {
  route: HttpFunctionRoute;
  template: RouteTemplate;
  /** Literal segments first, then by length: the most specific template wins, as in ASP.NET. */
  specificity: number[];
}

/** Maps request paths to HTTP-triggered functions under the host's route prefix. */
export class HttpRouter {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: readonly HttpFunctionRoute[],
    private readonly routePrefix: string,
  ) {
    this.routes = routes
      .map((route) => {
        const template = route.route ?? route.functionName;
        return { route, template: parseRouteTemplate(template), specificity: specificityOf(template) };
      })
      .sort((a, b) => compareSpecificity(b.specificity, a.specificity));
  }

  /** The path of a function's route under the prefix, as Core Tools lists it. */
  pathOf(route: HttpFunctionRoute): string {
    const template = (route.route ?? route.functionName).replace(/^\/+/, "");
    return this.routePrefix ? `/${this.routePrefix}/${template}` : `/${template}`;
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const relative = this.stripPrefix(pathname);
    if (relative === undefined) return undefined;
    const allowed = new Set<string>();
    for (const { route, template } of this.routes) {
      const params = template.match(relative);
      if (!params) continue;
      const methods = route.methods ?? [];
      if (methods.length === 0 || methods.includes(method.toUpperCase()))
        return { kind: "function", route, params };
      for (const m of methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: "method-not-allowed", allowed: [...allowed] } : undefined;
  }

  private stripPrefix(pathname: string): string | undefined {
    if (!this.routePrefix) return pathname;
    const prefix = `/${this.routePrefix.toLowerCase()}`;
    const lower = pathname.toLowerCase();
    if (lower === prefix) return "";
    return lower.startsWith(`${prefix}/`) ? pathname.slice(prefix.length + 1) : undefined;
  }
}

function specificityOf(template: string): number[] {
  const segments = template.split("/").filter((s) => s.length > 0);
  const literals = segments.filter((s) => !s.startsWith("{")).length;
  const catchAll = segments.some((s) => s.startsWith("{*")) ? 0 : 1;
  return [catchAll, literals, segments.length];
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
