/**
 * A retrieval-augmented pipeline, every step traced with `@argus/sdk`: ingest a few documents
 * (one embeddings call, in an `ingest` workflow span), then answer questions: an observed
 * retriever embeds the question and ranks the documents by cosine similarity (its spans carry
 * the documents and scores), and the LLM answers from them. One session per run.
 *
 * Run: `npm start -w examples/rag-pipeline` (see README.md for a real provider).
 */
import { randomUUID } from 'node:crypto';
import { llmSettings } from '@argus/mock-llm';
import { init, observe, shutdown, withSession, wrapOpenAI } from '@argus/sdk';
import OpenAI from 'openai';

init({ serviceName: 'rag-pipeline' });
const llm = await llmSettings();
const openai = wrapOpenAI(new OpenAI({ baseURL: llm.baseURL, apiKey: llm.apiKey }));
const embeddingModel = process.env.EMBEDDING_MODEL ?? 'text-embedding-3-small';

const DOCUMENTS = [
  {
    id: 'retention',
    text: 'Argus keeps telemetry for 30 days by default; set ARGUS_RETENTION_DAYS to change it.',
  },
  {
    id: 'storage',
    text: 'Argus stores spans in embedded chDB and metadata in SQLite under ./.argus, or in ClickHouse and PostgreSQL.',
  },
  {
    id: 'ingest',
    text: 'Any OpenTelemetry SDK can send traces to Argus over OTLP/HTTP at /v1/traces, in protobuf or JSON.',
  },
  {
    id: 'cost',
    text: 'Argus computes the cost of every LLM call from its token usage and a built-in pricing catalog.',
  },
  {
    id: 'sessions',
    text: 'Spans with a session.id attribute are grouped into sessions, shown turn by turn in the console.',
  },
];

const QUESTIONS = [
  'How long does Argus keep my data?',
  'Where are spans stored?',
  'How is the cost of a call computed?',
];

type Indexed = { id: string; text: string; embedding: number[] };

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Embeds the documents in one call; the index is an in-memory list. */
const ingest = observe.wrap(
  'ingest',
  async (docs: typeof DOCUMENTS): Promise<Indexed[]> => {
    const res = await openai.embeddings.create({ model: embeddingModel, input: docs.map((d) => d.text) });
    return docs.map((d, i) => ({ ...d, embedding: res.data[i]?.embedding ?? [] }));
  },
  { kind: 'workflow', captureOutput: false },
);

async function main(): Promise<void> {
  const index = await ingest(DOCUMENTS);

  /** The retriever: its result (`{ id, content, score }[]`) is recorded as the span's documents. */
  const retrieve = observe.wrap(
    'retrieve',
    async (question: string, k = 2) => {
      const res = await openai.embeddings.create({ model: embeddingModel, input: question });
      const query = res.data[0]?.embedding ?? [];
      return index
        .map((d) => ({
          id: d.id,
          content: d.text,
          score: Math.round(cosine(query, d.embedding) * 1000) / 1000,
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
    { kind: 'retriever' },
  );

  const answer = (question: string) =>
    observe(
      'answer-question',
      async () => {
        const docs = await retrieve(question);
        const completion = await openai.chat.completions.create({
          model: llm.model,
          temperature: 0,
          messages: [
            {
              role: 'system',
              content: `Answer from these notes only:\n${docs.map((d) => `- ${d.content}`).join('\n')}`,
            },
            { role: 'user', content: question },
          ],
        });
        return completion.choices[0]?.message.content ?? '';
      },
      { kind: 'chain', input: question },
    );

  const session = `rag-pipeline-${randomUUID().slice(0, 8)}`;
  for (const question of QUESTIONS) {
    const text = await withSession(session, () => answer(question));
    console.log(`Q: ${question}\nA: ${text}\n`);
  }
  console.log(
    `Traced ${QUESTIONS.length} answers in session ${session}: npx argus traces --session-id ${session}`,
  );
}

try {
  await main();
} finally {
  await shutdown(); // exports every span before the script ends
  await llm.mock?.close();
}
