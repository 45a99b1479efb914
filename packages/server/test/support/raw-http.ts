/**
 * Requests with a request target sent exactly as written — `//` runs, dot segments, `%2F`,
 * absolute-form `http://host/path` — which fetch() would normalise away. Loopback only.
 */
import http from 'node:http';
import net from 'node:net';

/** What a raw request answered. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed when it is JSON. */
  json: unknown;
}

/** Sends one request whose target (`path`) goes on the request line unchanged. */
export function rawRequest(
  base: string,
  options: {
    method: string;
    target: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: http.Agent;
  },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname,
        port,
        method: options.method,
        path: options.target,
        // Node frames a DELETE body only when told its length.
        headers: {
          ...options.headers,
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
        },
        agent: options.agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (String(response.headers['content-type'] ?? '').startsWith('application/json')) {
            try {
              json = JSON.parse(body);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * Writes a request line and headers byte for byte over a socket (no client library in between)
 * and answers the status code of the first response.
 */
export function rawRequestLine(base: string, lines: string[]): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    });
  });
}
