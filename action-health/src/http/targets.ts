// Builds the list of HTTP targets from the `urls` input and the config's endpoints, with secrets substituted into headers.
import { ConfigurationError, registerSecret, truncate, type EndpointConfig, type ServiceConfig } from '../../../shared/src/index.js';

/** One URL to check and what a healthy answer looks like. */
/** One URL to check: a config endpoint (its TLS flag is the TLS action's business) or a `urls` entry. */
export interface HttpTarget extends Omit<EndpointConfig, 'tls'> {
  /** The compose service behind this URL (config `services[].health-url`, or an endpoint named like a service). */
  service?: string;
}

/** Expectations applied to every URL given in the `urls` input. */
export type UrlDefaults = Pick<EndpointConfig, 'expectStatus' | 'expectBody' | 'expectHeaders'>;

/**
 * Parses one URL from an input or config key. Only http and https are allowed: a `file:` or `ftp:` URL is
 * a mistake, and credentials inside a URL would end up in logs and issue titles.
 */
export function parseTargetUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${what} has '${truncate(raw)}', which is not a URL: write it as 'https://host/path'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${what} has a ${url.protocol} URL; only http:// and https:// URLs can be checked.`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      `${what} has a URL with a user or password in it; put credentials in a header from a secret instead (config 'endpoints[].headers').`
    );
  }
  return url;
}

/**
 * Replaces `${NAME}` in a header value by the environment variable NAME (how a workflow passes secrets:
 * `env: { API_TOKEN: ${{ secrets.API_TOKEN }} }`), registering the value as a secret first.
 */
export function substituteSecrets(value: string, what: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') {
      throw new ConfigurationError(`${what} uses \${${name}}, but the environment variable ${name} is not set: add it to the step's 'env:' from a secret.`);
    }
    registerSecret(v);
    return v;
  });
}

/** Parses `Name: value` lines (the `expect-headers` input). */
export function parseHeaderLines(lines: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) throw new ConfigurationError(`${what} has '${truncate(line)}'; write each header as 'Name: value'.`);
    out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Parses status codes such as `200, 204` or `200-299`. */
export function parseStatusList(items: string[], what: string): number[] {
  const out: number[] = [];
  for (const item of items) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(item.trim());
    if (!m) throw new ConfigurationError(`${what} has '${truncate(item)}'; use status codes like '200' or a range like '200-299'.`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (from < 100 || to > 599 || to < from) throw new ConfigurationError(`${what} has '${item}'; codes are 100–599 and ranges go low-high.`);
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/**
 * The targets of one run: every `urls` entry with the defaults, then every config endpoint not already listed.
 * Duplicate URLs are checked once (the first definition wins), so a URL in both places is not reported twice.
 */
export function buildTargets(
  urls: string[],
  defaults: UrlDefaults,
  endpoints: EndpointConfig[],
  services: ServiceConfig[] = [],
  env: NodeJS.ProcessEnv = process.env
): HttpTarget[] {
  const serviceOf = (url: string, name?: string): string | undefined =>
    services.find((s) => s.healthUrl && sameUrl(s.healthUrl, url))?.name ?? services.find((s) => s.name === name)?.name;
  const targets: HttpTarget[] = [];
  const seen = new Set<string>();
  for (const raw of urls) {
    const url = parseTargetUrl(raw, `Input 'urls'`).toString();
    if (seen.has(url)) continue;
    seen.add(url);
    targets.push({ name: url, url, method: 'GET', headers: {}, ...defaults, service: serviceOf(url) });
  }
  for (const ep of endpoints) {
    const what = `Config 'endpoints' entry '${ep.name}'`;
    const url = parseTargetUrl(ep.url, what).toString();
    if (seen.has(url)) continue;
    seen.add(url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.headers ?? {})) headers[k] = substituteSecrets(String(v), `${what} header '${k}'`, env);
    targets.push({
      name: ep.name,
      url,
      method: (ep.method || 'GET').toUpperCase(),
      expectStatus: ep.expectStatus ?? [],
      expectBody: ep.expectBody,
      expectHeaders: ep.expectHeaders,
      headers,
      service: serviceOf(url, ep.name)
    });
  }
  return targets;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).toString() === new URL(b).toString();
  } catch {
    return false;
  }
}
