/**
 * Explain jobs on one recorded LLM call: reads the span, picks the connection, plans the calls
 * (the plan alone for a dry run), creates the job and hands its body to the runner.
 */
import type { ExplainJob, ExplainPlan } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { textOf as sampleText } from '../../quality/evaluators/sample.ts';
import { notFound } from '../../quality/not-found.ts';
import type { Quality } from '../../quality/service.ts';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';
import { connectionEmbedder } from '../drift/adapters.ts';
import { type Embedder, featuriserEmbedder } from '../drift/embedding-result.ts';
import { DEFAULT_MAX_CALLS, describePlan, planAttribution, runAttribution } from './attribution.ts';
import { biasProbes, runBias } from './bias.ts';
import { JobCalls } from './calls.ts';
import { DEFAULT_CHANGE_THRESHOLD, plannedVariants, runCounterfactuals } from './counterfactuals.ts';
import type { ExplainJobs, JobContext } from './jobs.ts';
import {
  embeddingMeasurer,
  judgeMeasurer,
  logprobMeasurer,
  MEASURE_CALLS,
  type Measurer,
} from './measures.ts';
import { type RecordedCall, readRecordedCall, replayConnection } from './recorded.ts';
import type { ExplainJobRepository } from './repository.ts';
import type { AttributionBody, BiasBody, CounterfactualBody } from './schemas.ts';
import { segmentPrompt } from './segments.ts';

/** What the service needs. */
export interface ExplainServiceDeps {
  driver: ClickhouseDriver;
  quality: Quality;
  repo: ExplainJobRepository;
  jobs: ExplainJobs;
}

/** A job's answer: its plan, and the job unless it was a dry run. */
export interface Submitted {
  plan: ExplainPlan;
  job?: ExplainJob;
}

type Opened = Awaited<ReturnType<typeof replayConnection>>;

/** Explain jobs of every project. */
export class ExplainService {
  readonly #deps: ExplainServiceDeps;

  constructor(deps: ExplainServiceDeps) {
    this.#deps = deps;
  }

  get repo(): ExplainJobRepository {
    return this.#deps.repo;
  }

  /** The embedder of a job: the connection's embedding model (traced), else the featuriser. */
  async #embedder(projectId: string, connection: Opened, calls: JobCalls): Promise<Embedder> {
    const model = connection.target.embeddingModel;
    if (!model) return featuriserEmbedder;
    return calls.tracedEmbedder(
      await connectionEmbedder(this.#deps.quality, projectId, connection.id),
      model,
    );
  }

  async #measurer(
    projectId: string,
    body: Pick<AttributionBody, 'outputMeasure' | 'judgeModel'>,
    call: RecordedCall,
    connection: Opened,
    calls: JobCalls,
  ): Promise<Measurer> {
    if (body.outputMeasure === 'logprob') return logprobMeasurer(calls, call);
    if (body.outputMeasure === 'judge')
      return judgeMeasurer(calls, call, {
        quality: this.#deps.quality,
        projectId,
        connectionId: connection.id,
        model: body.judgeModel ?? call.model,
      });
    return embeddingMeasurer(calls, call, await this.#embedder(projectId, connection, calls));
  }

  #calls(connection: Opened, ctx: JobContext): JobCalls {
    return new JobCalls({
      target: connection.target,
      hostPolicy: this.#deps.quality.hostPolicy,
      signal: ctx.signal,
      onCall: () => ctx.onCall(),
    });
  }

  async #submit(
    projectId: string,
    kind: ExplainJob['kind'],
    call: RecordedCall,
    request: object,
    plan: ExplainPlan,
    body: (ctx: JobContext) => Promise<unknown>,
  ): Promise<Submitted> {
    const job = await this.#deps.repo.create(projectId, {
      kind,
      traceId: call.traceId,
      spanId: call.spanId,
      request,
      plan,
      total: plan.calls + plan.measureCalls,
    });
    this.#deps.jobs.submit(projectId, job, body);
    return { plan, job };
  }

  /** Plans (and unless `dryRun`, starts) an attribution job. */
  async attribution(projectId: string, body: AttributionBody): Promise<Submitted> {
    const call = await readRecordedCall(this.#deps.driver, projectId, body);
    const connection = await replayConnection(this.#deps.quality, projectId, call.model, body.connectionId);
    if (body.outputMeasure === 'logprob' && connection.target.provider === 'anthropic')
      throw new ArgusError(
        'INVALID_PARAMETER',
        "Invalid field 'outputMeasure': logprob needs an OpenAI-compatible endpoint that scores text; this connection is anthropic",
      );
    const segments = segmentPrompt(call.messages, body.granularity, {
      documents: call.documents,
      ...(body.windowWords ? { windowWords: body.windowWords } : {}),
    });
    const planned = planAttribution(body.method, segments, {
      maxCalls: body.maxCalls ?? DEFAULT_MAX_CALLS,
      ...(body.permutations ? { permutations: body.permutations } : {}),
    });
    const plan = describePlan(
      planned,
      call,
      { callsPerVariant: MEASURE_CALLS[body.outputMeasure] },
      connection.id,
    );
    if (body.dryRun) return { plan };
    return this.#submit(projectId, 'attribution', call, body, plan, async (ctx) => {
      const calls = this.#calls(connection, ctx);
      ctx.traceWith((error) =>
        calls.trace('explain.attribution', { input: body, output: '' }, error ? { error } : {}),
      );
      const measurer = await this.#measurer(projectId, body, call, connection, calls);
      return runAttribution(call, planned, measurer, { granularity: body.granularity, seed: body.seed ?? 1 });
    });
  }

  /** Plans (and unless `dryRun`, starts) a counterfactual job. */
  async counterfactuals(projectId: string, body: CounterfactualBody): Promise<Submitted> {
    const call = await readRecordedCall(this.#deps.driver, projectId, body);
    const connection = await replayConnection(this.#deps.quality, projectId, call.model, body.connectionId);
    let variants = plannedVariants(call, body);
    const maxCalls = body.maxCalls ?? DEFAULT_MAX_CALLS;
    const capped = variants.length + 1 > maxCalls;
    if (capped) variants = variants.slice(0, Math.max(1, maxCalls - 1));
    const calls = variants.length + 1;
    const plan: ExplainPlan = {
      calls,
      measureCalls: (connection.target.embeddingModel ? 1 : 0) + (body.judgeModel ? variants.length : 0),
      segments: variants.length,
      model: call.model,
      connectionId: connection.id,
      ...(call.costUsd !== undefined ? { estimatedCostUsd: Number((calls * call.costUsd).toFixed(6)) } : {}),
      capped,
      notes: capped ? [`maxCalls kept the first ${variants.length} variants`] : [],
    };
    if (body.dryRun) return { plan };
    return this.#submit(projectId, 'counterfactuals', call, body, plan, async (ctx) => {
      const jobCalls = this.#calls(connection, ctx);
      ctx.traceWith((error) =>
        jobCalls.trace('explain.counterfactuals', { input: body, output: '' }, error ? { error } : {}),
      );
      const judge = body.judgeModel
        ? await this.#measurer(
            projectId,
            { outputMeasure: 'judge', judgeModel: body.judgeModel },
            call,
            connection,
            jobCalls,
          )
        : undefined;
      return runCounterfactuals(call, variants, {
        calls: jobCalls,
        embed: await this.#embedder(projectId, connection, jobCalls),
        ...(judge ? { judge } : {}),
        threshold: body.threshold ?? DEFAULT_CHANGE_THRESHOLD,
      });
    });
  }

  /** Plans (and unless `dryRun`, starts) a bias report over a dataset. */
  async bias(projectId: string, body: BiasBody): Promise<Submitted> {
    const { quality } = this.#deps;
    const target = await quality.openConnection(projectId, body.connectionId);
    const dataset = await quality.datasets.get(projectId, body.datasetId);
    if (!dataset) throw notFound('dataset', body.datasetId);
    const items = await quality.datasets.readItems(projectId, dataset.id, dataset.versionAt);
    const { items: probed, probes: all } = biasProbes(
      items.map((i) => sampleText(i.input)),
      body,
    );
    const perItem = all.length / probed;
    const maxCalls = body.maxCalls ?? Math.max(DEFAULT_MAX_CALLS, all.length);
    const kept = Math.max(1, Math.floor(maxCalls / perItem));
    const probes = all.slice(0, kept * perItem);
    const plan: ExplainPlan = {
      calls: probes.length,
      measureCalls: 0,
      segments: Math.min(kept, probed),
      model: body.model,
      connectionId: body.connectionId,
      capped: probes.length < all.length,
      notes: [`${Math.min(kept, probed)} items × ${perItem} groups`],
    };
    if (body.dryRun) return { plan };
    const call = { model: body.model, params: { temperature: 0 } };
    const connection = { id: body.connectionId, target };
    const reference = {
      traceId: '',
      spanId: '',
      model: body.model,
      messages: [],
      params: {},
      output: '',
      documents: [],
    };
    return this.#submit(projectId, 'bias', reference, body, plan, async (ctx) => {
      const calls = this.#calls(connection, ctx);
      ctx.traceWith((error) =>
        calls.trace('explain.bias', { input: body, output: '' }, error ? { error } : {}),
      );
      return runBias(probes, { ...body, items: Math.min(kept, probed) }, (messages) =>
        calls.chat(call, messages),
      );
    });
  }
}
