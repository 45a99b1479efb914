/**
 * Loopback receivers for alert notifications: an HTTP server that records every request (a
 * webhook or Slack endpoint, optionally failing the first N requests) and a real SMTP server
 * (the `smtp-server` package) that requires authentication and offers STARTTLS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A recorded HTTP request. */
export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/** A recording HTTP receiver. */
export interface HttpReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Answer the next `count` requests with 500. */
  failNext(count: number): void;
  close(): Promise<void>;
}

/** Starts an HTTP receiver on loopback. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  let failures = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures > 0) {
        failures--;
        response.writeHead(500).end('try again');
        return;
      }
      received.push({ headers: request.headers, body, json: JSON.parse(body || '{}') });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext(count) {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A received mail. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message with folded headers unfolded and quoted-printable soft breaks removed. */
  raw: string;
  authUser: string | undefined;
  /** True when the session was upgraded with STARTTLS. */
  secure: boolean;
}

/** A recording SMTP server. */
export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** Starts an SMTP server on loopback that accepts only `user`/`pass` (STARTTLS offered, self-signed). */
export async function startSmtpReceiver(user: string, pass: string): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/\r?\n[ \t]+/g, ' ')
          .replace(/=\r?\n/g, '');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          authUser: session.user as string | undefined,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
