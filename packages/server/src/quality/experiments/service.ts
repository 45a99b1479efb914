/**
 * The experiment capability's logic behind its routes: create (pinning the dataset version),
 * read with live statistics, external results, cancel, delete and compare.
 */
import { randomUUID } from 'node:crypto';
import type {
  DatasetItem,
  Experiment,
  ExperimentComparison,
  ExperimentItemResult,
  ExperimentSummary,
} from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { servesModel } from '../connection-repository.ts';
import type { ExperimentRecord, ExperimentRepository } from './repository.ts';
import type { ResultRow, ResultsStore } from './results-store.ts';
import { scoreOutput } from './run-item.ts';
import type { ExperimentRunner } from './runner.ts';
import type { ExperimentCreateBody, ResultsPostBody } from './schemas.ts';
import type { ExperimentServices } from './services.ts';
import { compareExperiments, summarize } from './summary.ts';

/** Running experiments whose live summary is kept between polls. */
const MAX_LIVE_SUMMARIES = 100;

/** What the service needs. */
export interface ExperimentServiceDeps {
  repo: ExperimentRepository;
  results: ResultsStore;
  runner: ExperimentRunner;
  services: ExperimentServices;
  logger: Logger;
}

function parseOutput(json: string): unknown {
  if (json === '') return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** The experiment API's operations. */
export class ExperimentService {
  readonly #d: ExperimentServiceDeps;
  /**
   * Live summaries of running prompt experiments by id, reused while their progress has not
   * moved (a console polling). Prompt runs only add results; external ones may replace them.
   */
  readonly #live = new Map<string, { done: number; summary: ExperimentSummary }>();

  constructor(deps: ExperimentServiceDeps) {
    this.#d = deps;
  }

  /**
   * Creates an experiment; a prompt target starts running at once.
   * @throws ArgusError NOT_FOUND for an unknown dataset, evaluator or connection, INVALID_PARAMETER
   *   for a version with no items.
   */
  async create(projectId: string, body: ExperimentCreateBody): Promise<Experiment> {
    const { services, repo } = this.#d;
    const current = await services.datasetVersion(projectId, body.datasetId);
    if (current === undefined) throw new ArgusError('NOT_FOUND', `Cannot find dataset '${body.datasetId}'`);
    const version = body.datasetVersion ? new Date(body.datasetVersion).toISOString() : current;
    await services.loadEvaluators(projectId, body.evaluators);
    if (body.target.type === 'prompt') {
      const connection = await services.openConnection(projectId, body.target.connectionId);
      const models = connection.models ?? [];
      if (!servesModel(models, body.target.model)) {
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid experiment field 'target.model': connection '${body.target.connectionId}' does not serve '${body.target.model}' (it serves ${models.join(', ')})`,
        );
      }
    }
    const items = await services.readItems(projectId, body.datasetId, version);
    if (items.length === 0) {
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid experiment field 'datasetVersion': dataset '${body.datasetId}' has no items as of ${version}`,
      );
    }
    const now = new Date().toISOString();
    const record: ExperimentRecord = {
      id: randomUUID(),
      projectId,
      name: body.name,
      datasetId: body.datasetId,
      datasetVersion: version,
      target: body.target,
      evaluators: body.evaluators,
      repetitions: body.repetitions,
      concurrency: body.concurrency,
      metadata: body.metadata,
      // External experiments wait for their results; prompt ones for the runner.
      status: body.target.type === 'prompt' ? 'queued' : 'running',
      error: undefined,
      done: 0,
      total: items.length * body.repetitions,
      summary: undefined,
      createdAt: now,
      startedAt: body.target.type === 'prompt' ? undefined : now,
      finishedAt: undefined,
    };
    await repo.insert(record);
    if (record.target.type === 'prompt') this.#d.runner.start(projectId, record.id);
    return this.#view(record);
  }

  /** An experiment with its statistics. @throws ArgusError NOT_FOUND. */
  async get(projectId: string, id: string): Promise<Experiment> {
    const record = await this.#require(projectId, id);
    if (record.summary) {
      this.#live.delete(id);
      return this.#view(record);
    }
    const cached = this.#live.get(id);
    if (cached && cached.done === record.done) return this.#view({ ...record, summary: cached.summary });
    const summary = summarize(id, await this.#d.results.read(projectId, id));
    if (this.#live.size >= MAX_LIVE_SUMMARIES) this.#live.delete(this.#live.keys().next().value!);
    this.#live.set(id, { done: record.done, summary });
    return this.#view({ ...record, summary });
  }

  /** A page of a project's experiments, newest first (statistics frozen or omitted while running). */
  async list(
    projectId: string,
    query: { datasetId?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ data: Experiment[]; nextCursor: string | undefined }> {
    let before: { createdAt: string; id: string } | undefined;
    if (query.cursor) {
      const [createdAt, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
      if (!createdAt || !id)
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid parameter 'cursor': '${query.cursor}' is not a cursor of this list`,
        );
      before = { createdAt, id };
    }
    const records = await this.#d.repo.list(projectId, {
      limit: query.limit + 1,
      ...(query.datasetId ? { datasetId: query.datasetId } : {}),
      ...(before ? { before } : {}),
    });
    const page = records.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map((r) => this.#view(r)),
      nextCursor:
        records.length > query.limit && last
          ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url')
          : undefined,
    };
  }

  /** A page of item runs, by item then repetition. */
  async items(
    projectId: string,
    id: string,
    query: { limit: number; cursor?: string | undefined },
  ): Promise<{ data: ExperimentItemResult[]; nextCursor: string | undefined }> {
    await this.#require(projectId, id);
    const rows = await this.#d.results.read(projectId, id);
    const start = query.cursor ? Number(query.cursor) : 0;
    const page = rows.slice(start, start + query.limit);
    return {
      data: page.map((r) => ({
        itemId: r.itemId,
        repetition: r.repetition,
        output: parseOutput(r.output),
        ...(r.traceId ? { traceId: r.traceId } : {}),
        scores: r.scores,
        ...(r.latencyMs === undefined ? {} : { latencyMs: r.latencyMs }),
        costUsd: r.costUsd,
        ...(r.error ? { error: r.error } : {}),
      })),
      nextCursor: start + query.limit < rows.length ? String(start + query.limit) : undefined,
    };
  }

  /**
   * Scores and stores outputs of an external target; completes the experiment once every item
   * run has a result. A re-posted item run replaces its earlier result.
   * @throws ArgusError CONFLICT for a prompt experiment or one that ended, INVALID_PARAMETER for
   *   an item or repetition the experiment does not have (nothing of the request is stored).
   */
  async postResults(
    projectId: string,
    id: string,
    posts: ResultsPostBody,
  ): Promise<{ accepted: number; progress: { done: number; total: number } }> {
    const { services, results, repo } = this.#d;
    const record = await this.#require(projectId, id);
    if (record.target.type !== 'external') {
      throw new ArgusError(
        'CONFLICT',
        record.target.type === 'shadow'
          ? `Cannot post results to experiment '${id}': the gateway records its results (shadow '${record.target.shadow}')`
          : `Cannot post results to experiment '${id}': its target is a prompt the server runs`,
      );
    }
    if (record.status !== 'running') {
      throw new ArgusError('CONFLICT', `Cannot post results to experiment '${id}': it is ${record.status}`);
    }
    const items = new Map<string, DatasetItem>(
      (await services.readItems(projectId, record.datasetId, record.datasetVersion)).map((i) => [i.id, i]),
    );
    for (const [index, post] of posts.entries()) {
      if (!items.has(post.itemId)) {
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid result field '${index}.itemId': '${post.itemId}' is not an item of the experiment's dataset version`,
        );
      }
      if (post.repetition >= record.repetitions) {
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid result field '${index}.repetition': ${post.repetition} is over the experiment's last repetition ${record.repetitions - 1}`,
        );
      }
    }
    const evaluators = await services.loadEvaluators(projectId, record.evaluators);
    const ctx = { experiment: record, evaluators, services, logger: this.#d.logger };
    const rows: ResultRow[] = [];
    let next = 0;
    const worker = async () => {
      while (next < posts.length) {
        const post = posts[next++]!;
        rows.push(
          await scoreOutput(ctx, items.get(post.itemId)!, post.repetition, {
            output: post.output,
            traceId: post.traceId?.toLowerCase(),
            rootSpanId: undefined,
            latencyMs: post.latencyMs,
            inputTokens: 0,
            outputTokens: 0,
            costUsd: post.costUsd ?? 0,
            error: post.error ?? '',
            clientScores: post.scores,
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(record.concurrency, posts.length) }, worker));
    await Promise.all(rows.map((row) => results.write(row)));
    const done = [...(await results.doneKeys(projectId, id))].filter((key) => {
      const [itemId, repetition] = key.split('\u0000');
      return items.has(itemId!) && Number(repetition) < record.repetitions;
    }).length;
    if (done >= record.total) {
      await repo.setStatus(projectId, id, {
        status: 'completed',
        done,
        summary: summarize(id, await results.read(projectId, id)),
      });
    } else {
      await repo.setDone(projectId, id, done);
    }
    return { accepted: rows.length, progress: { done, total: record.total } };
  }

  /** Cancels a queued or running experiment: calls in flight finish, no new item runs start. */
  async cancel(projectId: string, id: string): Promise<Experiment> {
    const record = await this.#require(projectId, id);
    if (record.status !== 'queued' && record.status !== 'running') {
      throw new ArgusError('CONFLICT', `Cannot cancel experiment '${id}': it is ${record.status}`);
    }
    if (!this.#d.runner.cancel(id)) {
      const summary = summarize(id, await this.#d.results.read(projectId, id));
      await this.#d.repo.setStatus(projectId, id, { status: 'cancelled', summary });
    }
    return this.get(projectId, id);
  }

  /** Deletes an experiment and its results (its traces stay). @throws ArgusError CONFLICT while it runs. */
  async delete(projectId: string, id: string): Promise<void> {
    const record = await this.#require(projectId, id);
    if (this.#d.runner.isRunning(id)) {
      throw new ArgusError('CONFLICT', `Cannot delete experiment '${id}' while it runs: cancel it first`);
    }
    await this.#d.repo.delete(projectId, record.id);
    await this.#d.results.delete(projectId, record.id);
  }

  /** Compares two experiments item by item. @throws ArgusError NOT_FOUND, INVALID_PARAMETER. */
  async compare(
    projectId: string,
    query: { baseline: string; candidate: string; alpha: number },
  ): Promise<ExperimentComparison> {
    if (query.baseline === query.candidate) {
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid parameter 'candidate': it is the baseline '${query.baseline}'; compare two experiments`,
      );
    }
    const [baseline, candidate] = await Promise.all([
      this.#require(projectId, query.baseline, 'baseline'),
      this.#require(projectId, query.candidate, 'candidate'),
    ]);
    if (baseline.datasetId !== candidate.datasetId) {
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid parameter 'candidate': experiment '${candidate.id}' ran dataset '${candidate.datasetId}', the baseline ran '${baseline.datasetId}'; compare experiments on one dataset`,
      );
    }
    const [baseRows, candRows] = await Promise.all([
      this.#d.results.read(projectId, baseline.id),
      this.#d.results.read(projectId, candidate.id),
    ]);
    return compareExperiments(
      { id: baseline.id, name: baseline.name, rows: baseRows },
      { id: candidate.id, name: candidate.name, rows: candRows },
      query.alpha,
    );
  }

  async #require(projectId: string, id: string, parameter?: string): Promise<ExperimentRecord> {
    const record = await this.#d.repo.get(projectId, id);
    if (!record) {
      throw new ArgusError(
        'NOT_FOUND',
        parameter
          ? `Cannot find experiment '${id}' (parameter '${parameter}')`
          : `Cannot find experiment '${id}'`,
      );
    }
    return record;
  }

  /** The API's experiment; one without statistics yet (queued, or running in a list) shows zeros. */
  #view(record: ExperimentRecord): Experiment {
    return {
      id: record.id,
      projectId: record.projectId,
      name: record.name,
      datasetId: record.datasetId,
      datasetVersion: record.datasetVersion,
      target: record.target,
      evaluators: record.evaluators,
      repetitions: record.repetitions,
      concurrency: record.concurrency,
      metadata: record.metadata,
      status: record.status,
      ...(record.error ? { error: record.error } : {}),
      progress: { done: record.done, total: record.total },
      summary: record.summary ?? {
        scores: {},
        latencyMs: undefined,
        tokens: { input: 0, output: 0, total: 0 },
        costUsd: 0,
        errors: 0,
      },
      createdAt: record.createdAt,
      ...(record.startedAt ? { startedAt: record.startedAt } : {}),
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    };
  }
}
