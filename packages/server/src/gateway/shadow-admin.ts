/**
 * Creating, changing and removing shadows. A new shadow gets a dataset (`gateway shadow <name>`)
 * and two running experiments on it, `<name> · primary` and `<name> · candidate`, whose target is
 * the shadow (see shadow-record.ts for why two). Share, concurrency and queue may change at any
 * time; the model, candidate, evaluators and maxPairs define what the experiments compare and may
 * not (delete the shadow and create another). Deleting a shadow completes its experiments; they,
 * their dataset and their traces stay.
 */
import { randomUUID } from 'node:crypto';
import type { Dataset, GatewayShadow, GatewayShadowStatus, ShadowTarget } from '@argus/shared';
import { ArgusError, isArgusError } from '../errors.ts';
import type { ExperimentRecord, ExperimentRepository } from '../quality/experiments/repository.ts';
import type { ResultsStore } from '../quality/experiments/results-store.ts';
import type { Quality } from '../quality/service.ts';
import type { RouteTable } from './route-table.ts';
import type { ShadowBody } from './schemas.ts';
import type { ShadowSender } from './shadow-queue.ts';
import { completeShadow, type ShadowState } from './shadow-record.ts';
import type { ShadowRepository } from './shadow-repository.ts';

/** What shadow administration needs. */
export interface ShadowAdminDeps {
  shadows: ShadowRepository;
  experiments: ExperimentRepository;
  results: ResultsStore;
  quality: Quality;
  routes: RouteTable;
  sender: ShadowSender;
}

/** Fields that define what a shadow's experiments compare. */
const FIXED = ['model', 'candidate', 'evaluators', 'maxPairs'] as const;

function stateOf(records: (ExperimentRecord | undefined)[]): ShadowState {
  const statuses = records.map((r) => r?.status);
  if (statuses.includes('completed')) return 'completed';
  return statuses.every((s) => s === 'running') ? 'running' : 'cancelled';
}

/** The shadows API's operations. */
export class ShadowAdmin {
  readonly #d: ShadowAdminDeps;

  constructor(deps: ShadowAdminDeps) {
    this.#d = deps;
  }

  /** A project's shadows with their progress and counters. */
  async list(projectId: string): Promise<GatewayShadowStatus[]> {
    const { shadows, experiments, sender } = this.#d;
    const out: GatewayShadowStatus[] = [];
    for (const shadow of await shadows.list(projectId)) {
      const records = await Promise.all([
        experiments.get(projectId, shadow.primaryExperimentId),
        experiments.get(projectId, shadow.candidateExperimentId),
      ]);
      out.push({
        ...shadow,
        ...sender.countersOf(projectId, shadow),
        pairs: records[0]?.done ?? 0,
        state: stateOf(records),
      });
    }
    return out;
  }

  /**
   * Creates a shadow, or changes the share, concurrency or queue of one.
   * @throws ArgusError NOT_FOUND for an unknown evaluator, INVALID_PARAMETER for an unknown
   *   connection, CONFLICT for a change of what its experiments compare.
   */
  async put(
    projectId: string,
    name: string,
    body: ShadowBody,
  ): Promise<{ shadow: GatewayShadow; created: boolean }> {
    const { shadows, routes } = this.#d;
    const now = new Date().toISOString();
    const existing = await shadows.get(projectId, name);
    if (existing) {
      for (const field of FIXED)
        if (JSON.stringify(existing[field]) !== JSON.stringify(body[field]))
          throw new ArgusError(
            'CONFLICT',
            `Cannot change '${field}' of shadow '${name}': its experiments compare the pairs recorded so far; delete the shadow and create another (only share, concurrency and queue change in place)`,
          );
      const shadow = {
        ...existing,
        share: body.share,
        concurrency: body.concurrency,
        queue: body.queue,
        updatedAt: now,
      };
      await shadows.put(projectId, shadow);
      routes.invalidate(projectId);
      return { shadow, created: false };
    }
    await this.#check(projectId, body);
    const dataset = await this.#dataset(projectId, name, body);
    const experiment = (side: ShadowTarget['side']): ExperimentRecord => ({
      id: randomUUID(),
      projectId,
      name: `${name} · ${side}`,
      datasetId: dataset.id,
      datasetVersion: dataset.versionAt,
      target: {
        type: 'shadow',
        shadow: name,
        side,
        model: side === 'primary' ? body.model : body.candidate.model,
        ...(side === 'candidate' && body.candidate.connectionId
          ? { connectionId: body.candidate.connectionId }
          : {}),
      },
      evaluators: body.evaluators,
      repetitions: 1,
      concurrency: body.concurrency,
      metadata: { gatewayShadow: name, side },
      status: 'running',
      error: undefined,
      done: 0,
      total: body.maxPairs,
      summary: undefined,
      createdAt: now,
      startedAt: now,
      finishedAt: undefined,
    });
    const primary = experiment('primary');
    const candidate = experiment('candidate');
    await this.#d.experiments.insert(primary);
    await this.#d.experiments.insert(candidate);
    const shadow: GatewayShadow = {
      name,
      ...body,
      datasetId: dataset.id,
      primaryExperimentId: primary.id,
      candidateExperimentId: candidate.id,
      createdAt: now,
      updatedAt: now,
    };
    await shadows.put(projectId, shadow);
    routes.invalidate(projectId);
    return { shadow, created: true };
  }

  /** Removes a shadow and completes its experiments. @throws ArgusError NOT_FOUND. */
  async delete(projectId: string, name: string): Promise<void> {
    const { shadows, sender, routes } = this.#d;
    const shadow = await shadows.get(projectId, name);
    if (!shadow || !(await shadows.delete(projectId, name)))
      throw new ArgusError('NOT_FOUND', `Cannot find gateway shadow '${name}'`);
    routes.invalidate(projectId);
    sender.recorder.forget(projectId, shadow);
    await completeShadow(projectId, shadow, this.#d);
  }

  async #check(projectId: string, body: ShadowBody): Promise<void> {
    await this.#d.quality.evaluators.getMany(projectId, body.evaluators);
    const id = body.candidate.connectionId;
    if (id === undefined) return;
    if (!(await this.#d.quality.connections.list(projectId)).some((c) => c.id === id))
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid shadow field 'candidate.connectionId': the project has no LLM connection '${id}'`,
      );
  }

  /** The shadow's dataset, named after it (a number added when the name is taken). */
  async #dataset(projectId: string, name: string, body: ShadowBody): Promise<Dataset> {
    for (let n = 1; ; n++) {
      try {
        return await this.#d.quality.datasets.create(projectId, {
          name: n === 1 ? `gateway shadow ${name}` : `gateway shadow ${name} (${n})`,
          description: `Inputs of the calls for '${body.model}' shadowed to '${body.candidate.model}'; expected output: the primary's answer`,
          metadata: { gatewayShadow: name },
        });
      } catch (error) {
        if (!isArgusError(error) || error.code !== 'CONFLICT' || n >= 100) throw error;
      }
    }
  }
}
