import { RouteDefinitionError } from '../errors/serv-error';
import type { HttpMethod } from '../metadata/store';
import { HTTP_METHODS } from '../metadata/store';
import { getProtocol } from '../protocol/registry';
import { RouteIndex } from './route-index';
import { describeTarget, type RouteInfo, type RouteRecord } from './route-record';

/** The result of matching an HTTP request. */
export type HttpMatch =
  | { route: RouteRecord; params: Record<string, string | number> }
  | { route: null; allowed: HttpMethod[] }
  | null;

/** The result of matching a protocol (e.g. WebSocket) request. */
export type ProtocolMatch = { route: RouteRecord; params: Record<string, string | number> } | null;

const shapeOf = (path: string): string => path.replace(/\{([^}:]*)(:?[^}]*)\}/g, '{$2}');

/** One app's route table: HTTP and protocol routes from every registration source. */
export class RouteTable {
  private readonly records: RouteRecord[] = [];
  private readonly staticHttp = new Map<string, RouteRecord[]>();
  private readonly dynamicHttp = new RouteIndex();
  private readonly protocol = new Map<string, RouteIndex>();

  /** Add a route; the same method and path declared twice is an error naming both sources. */
  add(record: RouteRecord): void {
    const shape = shapeOf(record.path);
    for (const other of this.records) {
      if (other.kind !== record.kind || shapeOf(other.path) !== shape) continue;
      const clash = record.kind === 'http' ? record.methods.filter((m) => other.methods.includes(m)) : [record.kind];
      if (clash.length > 0) {
        const what = record.kind === 'http' ? `${clash.join(', ')} ${record.path}` : `${record.kind} route ${record.path}`;
        throw new RouteDefinitionError(
          `${what} is declared twice: by ${other.source} and by ${record.source}; remove one of them or change its path`,
          'SERV_ROUTE_CONFLICT',
        );
      }
    }
    this.records.push(record);
    if (record.kind !== 'http') {
      let index = this.protocol.get(record.kind);
      if (index === undefined) {
        index = new RouteIndex();
        this.protocol.set(record.kind, index);
      }
      index.add(record);
    } else if (record.pattern.isStatic) {
      const list = this.staticHttp.get(record.path) ?? [];
      list.push(record);
      this.staticHttp.set(record.path, list);
    } else {
      this.dynamicHttp.add(record);
    }
  }

  /** Every route, in registration order. */
  all(): readonly RouteRecord[] {
    return this.records;
  }

  /** Routes of one kind. */
  ofKind(kind: string): RouteRecord[] {
    return this.records.filter((r) => r.kind === kind);
  }

  /** Match a normalised path and method; `{ route: null, allowed }` when only the method is wrong. */
  matchHttp(method: string, path: string): HttpMatch {
    let allowed: Set<HttpMethod> | null = null;
    const statics = this.staticHttp.get(path);
    if (statics !== undefined) {
      const hit = pick(statics, method);
      if (hit !== undefined) return { route: hit, params: Object.create(null) as Record<string, string | number> };
      allowed = collect(statics, allowed);
    }
    for (const route of this.dynamicHttp.candidates(path)) {
      const params = route.pattern.match(path);
      if (params === null) continue;
      if (accepts(route, method)) return { route, params };
      allowed = collect([route], allowed);
    }
    if (allowed === null) return null;
    return { route: null, allowed: HTTP_METHODS.filter((m) => allowed.has(m)) };
  }

  /** Match a protocol route (first registered wins). */
  matchProtocol(kind: string, path: string): ProtocolMatch {
    const index = this.protocol.get(kind);
    if (index === undefined) return null;
    for (const route of index.candidates(path)) {
      const params = route.pattern.match(path);
      if (params !== null) return { route, params };
    }
    return null;
  }

  /** Printable table: method(s), path, handler, source. */
  describe(): RouteInfo[] {
    return this.records.map((r) => ({
      kind: r.kind,
      methods: r.kind === 'http' ? [...r.methods] : [getProtocol(r.kind)?.routeLabel ?? r.kind.toUpperCase()],
      path: r.path,
      handler: describeTarget(r.target),
      source: r.source,
    }));
  }
}

const accepts = (route: RouteRecord, method: string): boolean =>
  route.methods.includes(method as HttpMethod) || (method === 'HEAD' && route.methods.includes('GET'));

function pick(routes: RouteRecord[], method: string): RouteRecord | undefined {
  const exact = routes.find((r) => r.methods.includes(method as HttpMethod));
  if (exact !== undefined || method !== 'HEAD') return exact;
  return routes.find((r) => r.methods.includes('GET'));
}

function collect(routes: RouteRecord[], into: Set<HttpMethod> | null): Set<HttpMethod> {
  const set = into ?? new Set<HttpMethod>();
  for (const r of routes) {
    for (const m of r.methods) set.add(m);
    if (r.methods.includes('GET')) set.add('HEAD');
  }
  return set;
}
