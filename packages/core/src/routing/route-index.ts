import type { RouteRecord } from './route-record';

/** Up to this many routes a request tries them all; past it, the index narrows them first (see candidates()). */
const SCAN_ALL_UP_TO = 8;
const SLASH = 47;

interface Node {
  /** Child nodes by the next whole literal segment of a route's path. */
  readonly children: Map<string, Node>;
  /** Every route anchored here or above, in declaration order: the routes a path reaching this node can match. */
  candidates: RouteRecord[];
}

/**
 * Routes matched by pattern (with parameters), in declaration order, with a trie on the whole literal segments their
 * paths start with (`/api/users/{id}` hangs under `api` → `users`; `/v{n}/items` and `/{slug}` at the root). A request
 * path walks the trie as far as its own segments lead; only the routes met on the way can match it, so a request
 * tries a handful of patterns instead of every route of the app. The first route that matches still wins, as when
 * every route was tried in order.
 */
export class RouteIndex {
  private readonly routes: RouteRecord[] = [];
  private root: Node | undefined;

  constructor(private readonly scanAllUpTo = SCAN_ALL_UP_TO) {}

  /** Adds a route after those already added. */
  add(route: RouteRecord): void {
    this.routes.push(route);
    this.root = undefined;
  }

  /**
   * The routes that could match `path` (normalised, still percent-encoded), in declaration order: every route whose
   * pattern matches `path` is among them.
   */
  candidates(path: string): readonly RouteRecord[] {
    if (this.routes.length <= this.scanAllUpTo || path.charCodeAt(0) !== SLASH) return this.routes;
    let node = this.root ?? (this.root = this.build());
    let pos = 1;
    while (pos <= path.length) {
      let end = path.indexOf('/', pos);
      if (end < 0) end = path.length;
      const child = node.children.get(path.slice(pos, end));
      if (child === undefined) break;
      node = child;
      pos = end + 1;
    }
    return node.candidates;
  }

  private build(): Node {
    const root: Node = { children: new Map(), candidates: [] };
    const anchored = new Map<Node, RouteRecord[]>();
    for (const route of this.routes) {
      let node = root;
      for (const segment of leadingSegments(route.pattern.path)) {
        let child = node.children.get(segment);
        if (child === undefined) {
          child = { children: new Map(), candidates: [] };
          node.children.set(segment, child);
        }
        node = child;
      }
      const list = anchored.get(node) ?? [];
      list.push(route);
      anchored.set(node, list);
    }
    // A node's candidates: its ancestors' and its own anchored routes, back in declaration order.
    const order = new Map(this.routes.map((route, i) => [route, i]));
    const fill = (node: Node, inherited: RouteRecord[]): void => {
      const own = anchored.get(node);
      node.candidates = own === undefined ? inherited : [...inherited, ...own].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
      for (const child of node.children.values()) fill(child, node.candidates);
    };
    fill(root, []);
    return root;
  }
}

/**
 * The whole literal segments a route's path starts with: those before the last `/` ahead of its first parameter
 * (`/api/users/{id}` → `api`, `users`; `/files/{name}.txt` → `files`; `/v{n}/items` → none). A path the route
 * matches starts with the same segments, since the matcher compares literal text as written.
 */
function leadingSegments(path: string): string[] {
  const brace = path.indexOf('{');
  const literal = brace < 0 ? path : path.slice(0, brace);
  const lastSlash = literal.lastIndexOf('/');
  return lastSlash <= 0 ? [] : literal.slice(1, lastSlash).split('/');
}
