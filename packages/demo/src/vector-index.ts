/**
 * rag-service's in-memory index: articles with their embeddings, ranked by a hybrid score
 * (cosine similarity of the embeddings blended with keyword overlap, since the mock LLM's
 * embeddings are deterministic but carry no meaning).
 */
import { cosine } from '@argus/server';
import type { Article } from './corpus.ts';

/** An article with its embedding. */
export interface IndexedArticle extends Article {
  embedding: readonly number[];
}

/** A retrieved document in the shape `observe()` records as retrieval documents. */
export interface RetrievedDocument {
  id: string;
  content: string;
  score: number;
  metadata: { title: string };
}

const STOP_WORDS = new Set(
  'a an and are be can do does for how i if in is it my of on or the to what when where which will with you your'.split(
    ' ',
  ),
);

/** Lower-case words of a text without punctuation or markup (what is embedded and matched). */
export function normalizeQuery(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function keywords(text: string): Set<string> {
  return new Set(
    normalizeQuery(text)
      .split(' ')
      .filter((w) => w.length > 2 && !STOP_WORDS.has(w))
      .map((w) => w.replace(/s$/, '')),
  );
}

/** The `k` best articles for a query, best first, scores in 0..1 rounded to 3 digits. */
export function rank(
  query: string,
  queryEmbedding: readonly number[],
  articles: readonly IndexedArticle[],
  k = 3,
): RetrievedDocument[] {
  const words = keywords(query);
  return articles
    .map((article) => {
      const docWords = keywords(`${article.title} ${article.text}`);
      const overlap = words.size === 0 ? 0 : [...words].filter((w) => docWords.has(w)).length / words.size;
      const similarity = (cosine(queryEmbedding, article.embedding) + 1) / 2;
      const score = Math.round((0.7 * overlap + 0.3 * similarity) * 1000) / 1000;
      return { id: article.id, content: article.text, score, metadata: { title: article.title } };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
