/**
 * A chat app on Express: `POST /chat { message, history? }` streams the answer of an
 * OpenAI-compatible model as server-sent events (`data: {"delta":"…"}` …, then `data: [DONE]`),
 * and `GET /` serves a small chat page. Instrumented with two lines of `@argus/sdk` (`init` and
 * `wrapOpenAI`); each request's `x-session-id` / `x-user-id` headers go on its spans through
 * `withSession` / `withUser`.
 *
 * Run: `npm start -w examples/express-chat` (see README.md for a real provider).
 */
import { randomUUID } from 'node:crypto';
import { llmSettings } from '@argus/mock-llm';
import { init, shutdown, withSession, withUser, wrapOpenAI } from '@argus/sdk';
import express from 'express';
import OpenAI from 'openai';
import { CHAT_PAGE } from './page.ts';

init({ serviceName: 'express-chat' }); // spans go to ARGUS_ENDPOINT (default http://127.0.0.1:4318)
const llm = await llmSettings();
const openai = wrapOpenAI(new OpenAI({ baseURL: llm.baseURL, apiKey: llm.apiKey })); // every call is a span

type ChatMessage = { role: 'user' | 'assistant'; content: string };

const app = express();
app.use(express.json({ limit: '100kb' }));

app.get('/', (_req, res) => {
  res.type('html').send(CHAT_PAGE);
});

app.post('/chat', async (req, res) => {
  const message = typeof req.body?.message === 'string' ? req.body.message.trim() : '';
  if (message === '') {
    res.status(400).json({ error: 'message is required' });
    return;
  }
  const history: ChatMessage[] = Array.isArray(req.body.history) ? req.body.history.slice(-20) : [];
  const sessionId = req.header('x-session-id') ?? randomUUID();
  const userId = req.header('x-user-id') ?? 'anonymous';

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-session-id': sessionId,
  });
  const send = (data: unknown, event?: string) =>
    res.write(
      `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  // Stop generating (and paying for) tokens when the client goes away.
  const abort = new AbortController();
  res.on('close', () => abort.abort());

  await withSession(sessionId, () =>
    withUser(userId, async () => {
      try {
        const stream = await openai.chat.completions.create(
          {
            model: llm.model,
            messages: [
              { role: 'system', content: 'You are a concise, friendly assistant.' },
              ...history,
              { role: 'user', content: message },
            ],
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: abort.signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) send({ delta });
        }
        send('[DONE]');
      } catch (error) {
        if (!abort.signal.aborted) send({ message: (error as Error).message }, 'error');
      }
    }),
  );
  res.end();
});

const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : process.env.PORT;
  console.log(`express-chat listening on http://${host}:${port} (model ${llm.model} at ${llm.baseURL})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([shutdown(), llm.mock?.close()]).then(() => process.exit(0));
  });
}
