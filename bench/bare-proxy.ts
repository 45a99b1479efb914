/**
 * The least a Node.js proxy can do, run by bench/gateway.bench.ts as a floor for the gateway's
 * added latency on the same machine: one `node:http` server that forwards each request to the
 * mock over a keep-alive agent and pipes the answer back, headers and body as they come — no
 * routing, keys, limits, recording or storage. What it adds over calling the mock directly is
 * the extra hop (two more loopback transfers and two more process wake-ups) and Node's HTTP
 * parsing on both sides; whatever the gateway adds beyond it is the gateway's own.
 *
 * Usage: node bench/bare-proxy.ts <port> <upstream base URL, e.g. http://127.0.0.1:4000>
 * Loopback only.
 */
import http from 'node:http';

const [portArg, upstreamArg] = process.argv.slice(2);
if (!portArg || !upstreamArg) throw new Error('usage: bare-proxy.ts <port> <upstream base URL>');
const upstream = new URL(upstreamArg);
if (upstream.hostname !== '127.0.0.1') throw new Error('the bare proxy forwards to 127.0.0.1 only');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

http
  .createServer((req, res) => {
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  })
  .listen(Number(portArg), '127.0.0.1');
