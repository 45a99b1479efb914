/**
 * What drift borrows from the quality capability: a dataset's texts as a reference, and a
 * connection's embedding model as an embedder (batched, through the host guard).
 */
import { ArgusError } from '../../errors.ts';
import { callEmbedding } from '../../quality/connections-client.ts';
import type { Quality } from '../../quality/service.ts';
import type { DatasetTexts } from './compare.ts';
import type { Embedder } from './embedding-result.ts';

const PREVIEW_CHARS = 240;
const EMBEDDING_BATCH = 64;

/** The text of an item value, cut like span previews: a string, the last user message, else JSON. */
export function textOf(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value)) {
    const messages = value as { role?: unknown; content?: unknown }[];
    const last = messages.findLast((m) => m?.role === 'user') ?? messages.at(-1);
    text = typeof last?.content === 'string' ? last.content : JSON.stringify(last ?? '');
  } else if (value === undefined || value === null) text = '';
  else text = JSON.stringify(value);
  return text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
}

/** Reads a dataset's current items as texts. @throws ArgusError NOT_FOUND. */
export async function datasetTexts(
  quality: Quality,
  projectId: string,
  datasetId: string,
): Promise<DatasetTexts> {
  const dataset = await quality.datasets.get(projectId, datasetId);
  if (!dataset)
    throw new ArgusError('NOT_FOUND', `Cannot find dataset '${datasetId}': no such dataset in this project`);
  const items = await quality.datasets.readItems(projectId, datasetId, dataset.versionAt);
  return {
    input: items.map((i) => textOf(i.input)).filter(Boolean),
    output: items.map((i) => textOf(i.expectedOutput)).filter(Boolean),
  };
}

/** An embedder over a connection's embedding model. @throws ArgusError NOT_FOUND, INVALID_PARAMETER. */
export async function connectionEmbedder(
  quality: Quality,
  projectId: string,
  connectionId: string,
): Promise<Embedder> {
  const target = await quality.openConnection(projectId, connectionId);
  if (!target.embeddingModel)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'embeddingConnectionId': connection '${connectionId}' has no embedding model; set its 'embeddingModel' or leave the field out to use the built-in featuriser`,
    );
  return async (texts) => {
    const vectors: number[][] = [];
    let model = target.embeddingModel;
    for (let i = 0; i < texts.length; i += EMBEDDING_BATCH) {
      const batch = texts.slice(i, i + EMBEDDING_BATCH).map((t) => t || ' ');
      const result = await callEmbedding(target, { texts: batch }, { hostPolicy: quality.hostPolicy });
      vectors.push(...result.vectors);
      model = result.model || model;
    }
    return { vectors, ...(model ? { model } : {}) };
  };
}
