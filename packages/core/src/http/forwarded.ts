import type { IncomingHttpHeaders } from 'node:http';

/** What one proxy hop reported about the connection it received: the address, and maybe the port, scheme and host. */
export interface ForwardedHop {
  readonly for: string;
  readonly port: number;
  readonly proto?: 'http' | 'https';
  readonly host?: string;
}

const SANE_HOST = /^[A-Za-z0-9.\-:[\]_]{1,255}$/;

/**
 * The hops proxies reported, client first: from RFC 7239 `Forwarded` when present, else from `X-Forwarded-For`
 * with `X-Forwarded-Proto` / `X-Forwarded-Host` (matched to the hop at the same place when the lists are as long,
 * else the last value, the one the nearest proxy wrote, is used for every hop).
 */
export function forwardedHops(headers: IncomingHttpHeaders): ForwardedHop[] {
  const forwarded = joined(headers.forwarded);
  if (forwarded !== '') return parseForwarded(forwarded);
  const fors = list(joined(headers['x-forwarded-for']));
  const protos = list(joined(headers['x-forwarded-proto']));
  const hosts = list(joined(headers['x-forwarded-host']));
  return fors.map((value, i) => {
    const { address, port } = splitHostPort(value);
    return hop(address, port, pick(protos, i, fors.length), pick(hosts, i, fors.length));
  });
}

/** `Forwarded: for=192.0.2.60;proto=https;host=example.com, for="[2001:db8::1]:4711"` → one hop per element. */
function parseForwarded(header: string): ForwardedHop[] {
  const hops: ForwardedHop[] = [];
  for (const element of header.split(',')) {
    const pairs: Record<string, string> = {};
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      pairs[pair.slice(0, eq).trim().toLowerCase()] = unquote(pair.slice(eq + 1).trim());
    }
    if (pairs.for === undefined) continue;
    const { address, port } = splitHostPort(pairs.for);
    hops.push(hop(address, port, pairs.proto, pairs.host));
  }
  return hops;
}

function hop(address: string, port: number, proto: string | undefined, host: string | undefined): ForwardedHop {
  const scheme = proto?.toLowerCase();
  return {
    for: address,
    port,
    ...(scheme === 'http' || scheme === 'https' ? { proto: scheme } : {}),
    ...(host !== undefined && SANE_HOST.test(host) ? { host } : {}),
  };
}

/** `1.2.3.4`, `1.2.3.4:80`, `[::1]:80`, `::1` → address and port (0 when absent). */
function splitHostPort(value: string): { address: string; port: number } {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    const port = end === -1 ? 0 : Number(value.slice(end + 2)) || 0;
    return { address: value.slice(1, end === -1 ? undefined : end), port };
  }
  const colon = value.indexOf(':');
  if (colon !== -1 && colon === value.lastIndexOf(':')) return { address: value.slice(0, colon), port: Number(value.slice(colon + 1)) || 0 };
  return { address: value, port: 0 };
}

function pick(values: string[], index: number, count: number): string | undefined {
  return values.length === count ? values[index] : values[values.length - 1];
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function list(value: string): string[] {
  return value === '' ? [] : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
