import type { IncomingHttpHeaders } from 'node:http';
import { get } from 'node:http';

/**
 * A strict parser of Prometheus' text exposition format 0.0.4, for tests. (The npm parser we tried,
 * parse-prometheus-text-format 1.1.1, drops the labels, sum and count of labelled histograms, and nothing else on npm
 * is maintained.) Every line must be a `# HELP`, a `# TYPE`, another comment, blank, or a sample of the family whose
 * TYPE came last; names, label syntax, escapes and values are checked, each family is declared once, and a
 * histogram's buckets must be cumulative, end in `+Inf` and agree with `_count`. Anything else throws.
 */
type MetricType = 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';

/** One series: a counter's or gauge's value, or a histogram's buckets (by `le`), sum and count. */
export interface Sample {
  labels: Record<string, string>;
  value?: number;
  /** `[le, cumulative count]` in the order written. */
  buckets?: Array<[le: string, count: number]>;
  sum?: number;
  count?: number;
}

/** One metric family of the exposition text. */
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  metrics: Sample[];
}

/** The parsed scrape: family by name. */
export type Scrape = Map<string, MetricFamily>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(,|$)/;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Parse the text of a scrape; a malformed line throws naming its number. */
export function parseScrape(text: string): Scrape {
  const families: Scrape = new Map();
  const helps = new Map<string, string>();
  let current: MetricFamily | undefined;
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line.trim() === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (kind === 'HELP') return void helps.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
      if (!TYPES.includes(rest)) throw new Error(`${where}: unknown type ${rest}`);
      if (families.has(name)) throw new Error(`${where}: ${name} is declared twice`);
      current = { name, help: helps.get(name) ?? '', type: rest.toUpperCase() as MetricType, metrics: [] };
      return void families.set(name, current);
    }
    if (line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`${where}: not a sample`);
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
    const labels = parseLabels(labelText ?? '', where);
    const value = parseValue(valueText, where);
    if (current === undefined) throw new Error(`${where}: sample before any TYPE line`);
    addSample(current, name, labels, value, where);
  });
  for (const family of families.values()) if (family.type === 'HISTOGRAM') family.metrics.forEach((s) => checkHistogram(family.name, s));
  return families;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text === '' ? '' : text.slice(1, -1);
  while (rest !== '') {
    const m = LABEL.exec(rest);
    if (m === null) throw new Error(`${where}: bad label syntax at ${JSON.stringify(rest)}`);
    const [all, key, raw] = m as unknown as [string, string, string];
    if (key in labels) throw new Error(`${where}: label ${key} appears twice`);
    labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(all.length);
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  // As Prometheus reads them (Go's ParseFloat): any case; prom-client writes NaN as "Nan".
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`${where}: bad value ${text}`);
  return value;
}

function addSample(family: MetricFamily, name: string, labels: Record<string, string>, value: number, where: string): void {
  if (family.type !== 'HISTOGRAM') {
    if (name !== family.name) throw new Error(`${where}: sample ${name} inside family ${family.name}`);
    family.metrics.push({ labels, value });
    return;
  }
  const suffix = name.slice(family.name.length);
  if (!name.startsWith(family.name) || !['_bucket', '_sum', '_count'].includes(suffix)) throw new Error(`${where}: ${name} is not part of histogram ${family.name}`);
  const { le, ...own } = labels;
  if ((suffix === '_bucket') !== (le !== undefined)) throw new Error(`${where}: le belongs on _bucket samples only`);
  const key = JSON.stringify(own);
  let series = family.metrics.find((s) => JSON.stringify(s.labels) === key);
  if (series === undefined) family.metrics.push((series = { labels: own, buckets: [] }));
  if (suffix === '_bucket') series.buckets?.push([le as string, value]);
  else if (suffix === '_sum') series.sum = value;
  else series.count = value;
}

function checkHistogram(name: string, series: Sample): void {
  const buckets = series.buckets ?? [];
  const bounds = buckets.map(([le]) => (le === '+Inf' ? Infinity : Number(le)));
  const what = `histogram ${name}${JSON.stringify(series.labels)}`;
  if (bounds.at(-1) !== Infinity) throw new Error(`${what}: the last bucket must be le="+Inf"`);
  for (let i = 1; i < buckets.length; i += 1) {
    if (!((bounds[i] as number) > (bounds[i - 1] as number))) throw new Error(`${what}: bucket bounds must increase`);
    if ((buckets[i]?.[1] as number) < (buckets[i - 1]?.[1] as number)) throw new Error(`${what}: buckets must be cumulative`);
  }
  if (series.count !== buckets.at(-1)?.[1] || series.sum === undefined) throw new Error(`${what}: _count must equal the +Inf bucket, and _sum must be there`);
}

/** The family `name`, asserting it exists with `type`. */
export function family(scrape: Scrape, name: string, type: MetricType): MetricFamily {
  const found = scrape.get(name);
  if (found === undefined) throw new Error(`metric ${name} is missing from the scrape; families: ${[...scrape.keys()].join(', ')}`);
  if (found.type !== type) throw new Error(`metric ${name} has TYPE ${found.type}, expected ${type}`);
  return found;
}

/** The value (a histogram: its count) of the series of `name` whose labels are exactly `labels`; undefined when none. */
export function valueOf(scrape: Scrape, name: string, type: MetricType, labels: Record<string, string> = {}): number | undefined {
  const sample = family(scrape, name, type).metrics.find((m) => sameLabels(m.labels, labels));
  return type === 'HISTOGRAM' ? sample?.count : sample?.value;
}

/** Every label set of `name`'s series. */
export function labelSets(scrape: Scrape, name: string, type: MetricType): Array<Record<string, string>> {
  return family(scrape, name, type).metrics.map((m) => m.labels);
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** A request on a fresh connection: status, headers and body. */
export function fetchOnce(url: string, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}
