/**
 * One request to a provider through a connection, streamed: resolves with the provider's response
 * as soon as its headers arrive, so the body can be passed on chunk by chunk. Keep-alive agents
 * reuse connections (a new TCP/TLS handshake per call would be most of the gateway's overhead);
 * the host guard checks the address actually connected to, as for every other provider call.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkAddress, guardedLookup, type HostPolicy } from '../quality/host-guard.ts';
import {
  authHeaders,
  baseUrlOf,
  type ConnectionTarget,
  DEFAULT_AZURE_API_VERSION,
} from '../quality/provider-wire.ts';

/** The API path of an endpoint, after the OpenAI `/v1` base (or Anthropic's host). */
export type UpstreamPath =
  | 'chat/completions'
  | 'completions'
  | 'embeddings'
  | 'responses'
  | 'models'
  | 'messages';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256 });

/** Caller headers passed on to the provider (API versions, betas, organisation and tracing). */
const FORWARDED = [
  'anthropic-version',
  'anthropic-beta',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'accept',
  'user-agent',
];

/** The URL of an endpoint on a connection. */
export function upstreamUrl(target: ConnectionTarget, path: UpstreamPath, model: string): string {
  const base = baseUrlOf(target);
  if (target.provider === 'anthropic') return `${base}/v1/${path}`;
  if (target.provider === 'azure-openai') {
    const version = `api-version=${encodeURIComponent(target.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`;
    if (path === 'models') return `${base}/openai/models?${version}`;
    return `${base}/openai/deployments/${encodeURIComponent(model)}/${path}?${version}`;
  }
  return `${base}/${path}`;
}

/** The headers of an upstream request: the connection's (its key), the caller's API headers, a provider key passed through. */
export function upstreamHeaders(
  target: ConnectionTarget,
  caller: IncomingHttpHeaders,
  providerKey: string | undefined,
): Record<string, string> {
  const headers = authHeaders(providerKey === undefined ? target : { ...target, apiKey: providerKey });
  for (const name of FORWARDED) {
    const value = caller[name];
    if (typeof value === 'string' && headers[name] === undefined) headers[name] = value;
  }
  if (target.provider === 'anthropic') headers['anthropic-version'] ??= '2023-06-01';
  return headers;
}

/** One upstream request. */
export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  /** Time limit for the answer to start, and for any later silence, ms. */
  timeoutMs: number;
  hostPolicy: HostPolicy;
  signal?: AbortSignal;
}

/** Why an upstream request got no answer. */
export class UpstreamFailure extends Error {
  readonly isTimeout: boolean;
  constructor(message: string, isTimeout: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = 'UpstreamFailure';
    this.isTimeout = isTimeout;
  }
}

/**
 * Sends a request; resolves with the response once its headers arrive (any status).
 * @throws UpstreamFailure on a network error or when no answer starts in time; ArgusError HOST_NOT_ALLOWED.
 */
export function sendUpstream(req: UpstreamRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      try {
        checkAddress(req.hostPolicy, literal, literal);
      } catch (error) {
        reject(error);
        return;
      }
    }
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const request = (isHttps ? https : http).request(url, {
      method: req.method,
      headers,
      agent: isHttps ? httpsAgent : httpAgent,
      lookup: guardedLookup(req.hostPolicy) as never,
      signal: req.signal,
    });
    request.setTimeout(req.timeoutMs, () =>
      request.destroy(new UpstreamFailure(`no answer within ${req.timeoutMs} ms`, true)),
    );
    request.once('response', resolve);
    request.once('error', (error) => {
      if (error instanceof UpstreamFailure) reject(error);
      else if ((error as { code?: string }).code === 'HOST_NOT_ALLOWED') reject(error);
      else reject(new UpstreamFailure((error as NodeJS.ErrnoException).code ?? error.message, false, error));
    });
    request.end(req.body);
  });
}

/** Hop-by-hop and length headers that are not passed from the provider's answer to the caller. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
  'server',
]);

/** The provider's answer headers as the caller gets them. */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
