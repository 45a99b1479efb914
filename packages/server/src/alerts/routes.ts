/**
 * The alerting API under /api/v1/alerts: rules (with a rule's anomaly band), notification
 * channels (with a test send), silences, and history (events and current states). Bodies are
 * JSON validated with zod (schemas.ts); every record is scoped to the
 * caller's project. One registration per resource; `registerAlertRoutes` registers them all.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { parseTime } from '../query/filters.ts';
import { invalidParameter, rejectUnknown } from '../query/params.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { AlertRepository } from './alert-repository.ts';
import { type BandOptions, bandSeries } from './anomaly.ts';
import { keepSecrets, redactChannel } from './channel-secrets.ts';
import { parseDurationMs } from './duration.ts';
import type { NotificationDispatcher } from './notify/dispatcher.ts';
import { testMessage } from './notify/message.ts';
import {
  type AlertRule,
  type Channel,
  channelInputSchema,
  DEFAULT_ANOMALY,
  type RuleInput,
  ruleInputSchema,
  silenceInputSchema,
} from './schemas.ts';
import { readSeriesSamples, seriesParamsOf } from './sources.ts';

/** What the alert routes need. */
export interface AlertRouteDeps {
  repo: AlertRepository;
  driver: ClickhouseDriver;
  dispatcher: NotificationDispatcher;
  projectOf: (request: IncomingMessage) => string;
  /** The server's base URL, for links in test messages. */
  baseUrl: () => string;
  /** Records a change in the audit log (rules, channels, silences); absent in unit tests. */
  audit?: (
    request: IncomingMessage,
    entry: { action: string; target: string; details?: Record<string, unknown> },
  ) => Promise<unknown>;
}

const DAY_MS = 86_400_000;
/** Most points a band answer holds. */
export const MAX_BAND_POINTS = 2000;
const notFound = (what: string, id: string) =>
  new ArgusError('NOT_FOUND', `Cannot find ${what} '${id.slice(0, 100)}': no such ${what} in this project`);

/** Registers every /api/v1/alerts route. */
export function registerAlertRoutes(router: Router, deps: AlertRouteDeps): void {
  registerRuleRoutes(router, deps);
  registerChannelRoutes(router, deps);
  registerSilenceRoutes(router, deps);
  registerHistoryRoutes(router, deps);
}

/** Records a change made by a request (a no-op without an audit log). */
function auditOf(deps: AlertRouteDeps) {
  return (request: IncomingMessage, action: string, target: string, details?: Record<string, unknown>) =>
    deps.audit?.(request, { action, target, details });
}

/** `/api/v1/alerts/rules[/:id[/band]]`. */
function registerRuleRoutes(router: Router, deps: AlertRouteDeps): void {
  const { repo, projectOf } = deps;
  const audit = auditOf(deps);
  async function checkRule(projectId: string, input: RuleInput): Promise<RuleInput> {
    if (input.source.kind === 'series') seriesParamsOf(input.source, Date.now() - 60_000, Date.now(), 60);
    for (const channelId of input.channels) {
      if (!(await repo.getChannel(projectId, channelId))) {
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid rule field 'channels': no channel '${channelId}' in this project`,
        );
      }
    }
    return input;
  }
  async function ruleOr404(request: IncomingMessage, id: string): Promise<AlertRule> {
    const rule = await repo.getRule(projectOf(request), id);
    if (!rule) throw notFound('rule', id);
    return rule;
  }

  router.on('GET', '/api/v1/alerts/rules', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await repo.listRules(projectOf(request)) });
  });
  router.on('POST', '/api/v1/alerts/rules', 'write', async ({ request }) => {
    const projectId = projectOf(request);
    const input = await checkRule(projectId, await readJsonBody(request, ruleInputSchema, 'rule'));
    const rule = await repo.createRule(projectId, input);
    await audit(request, 'alert.rule.create', rule.id, { name: rule.name });
    return noStore({ data: rule }, 201);
  });
  router.on('GET', '/api/v1/alerts/rules/:id', 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const rule = await ruleOr404(request, params.id ?? '');
    const state = (await repo.listStates(rule.projectId)).find((s) => s.ruleId === rule.id);
    return noStore({ data: rule, state: state ?? null });
  });
  router.on('PUT', '/api/v1/alerts/rules/:id', 'write', async ({ request, params }) => {
    const projectId = projectOf(request);
    const input = await checkRule(projectId, await readJsonBody(request, ruleInputSchema, 'rule'));
    const rule = await repo.updateRule(projectId, params.id ?? '', input);
    if (!rule) throw notFound('rule', params.id ?? '');
    await audit(request, 'alert.rule.update', rule.id, { name: rule.name, enabled: rule.enabled });
    return noStore({ data: rule });
  });
  router.on('DELETE', '/api/v1/alerts/rules/:id', 'write', async ({ request, params }) => {
    if (!(await repo.deleteRule(projectOf(request), params.id ?? '')))
      throw notFound('rule', params.id ?? '');
    await audit(request, 'alert.rule.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('GET', '/api/v1/alerts/rules/:id/band', 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['from', 'to']);
    return noStore(await band(deps.driver, await ruleOr404(request, params.id ?? ''), url.searchParams));
  });
}

/** `/api/v1/alerts/channels[/:id[/test]]`; secrets never leave the server. */
function registerChannelRoutes(router: Router, deps: AlertRouteDeps): void {
  const { repo, projectOf } = deps;
  const audit = auditOf(deps);
  async function channelOr404(request: IncomingMessage, id: string): Promise<Channel> {
    const channel = await repo.getChannel(projectOf(request), id);
    if (!channel) throw notFound('channel', id);
    return channel;
  }

  router.on('GET', '/api/v1/alerts/channels', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: (await repo.listChannels(projectOf(request))).map(redactChannel) });
  });
  router.on('POST', '/api/v1/alerts/channels', 'write', async ({ request }) => {
    const input = await readJsonBody(request, channelInputSchema, 'channel');
    const channel = await repo.createChannel(projectOf(request), keepSecrets(input, undefined));
    await audit(request, 'alert.channel.create', channel.id, { name: channel.name, type: channel.type });
    return noStore({ data: redactChannel(channel) }, 201);
  });
  router.on('GET', '/api/v1/alerts/channels/:id', 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: redactChannel(await channelOr404(request, params.id ?? '')) });
  });
  router.on('PUT', '/api/v1/alerts/channels/:id', 'write', async ({ request, params }) => {
    const previous = await channelOr404(request, params.id ?? '');
    const input = keepSecrets(await readJsonBody(request, channelInputSchema, 'channel'), previous);
    const channel = await repo.updateChannel(previous.projectId, previous.id, input);
    if (!channel) throw notFound('channel', previous.id);
    await audit(request, 'alert.channel.update', channel.id, { name: channel.name, type: channel.type });
    return noStore({ data: redactChannel(channel) });
  });
  router.on('DELETE', '/api/v1/alerts/channels/:id', 'write', async ({ request, params }) => {
    if (!(await repo.deleteChannel(projectOf(request), params.id ?? '')))
      throw notFound('channel', params.id ?? '');
    await audit(request, 'alert.channel.delete', params.id ?? '');
    return { status: 204 };
  });
  router.on('POST', '/api/v1/alerts/channels/:id/test', 'write', async ({ request, params }) => {
    request.resume();
    const channel = await channelOr404(request, params.id ?? '');
    const delivery = await deps.dispatcher.send(channel, testMessage(channel.projectId, deps.baseUrl()));
    return noStore({ data: delivery }, delivery.status === 'delivered' ? 200 : 502);
  });
}

/** `/api/v1/alerts/silences[/:id]`. */
function registerSilenceRoutes(router: Router, deps: AlertRouteDeps): void {
  const { repo, projectOf } = deps;
  const audit = auditOf(deps);
  router.on('GET', '/api/v1/alerts/silences', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, ['all']);
    const all = url.searchParams.get('all');
    if (all !== null && all !== 'true' && all !== 'false')
      throw invalidParameter('all', `'${all}' is not true or false`);
    return noStore({ data: await repo.listSilences(projectOf(request), { includeExpired: all === 'true' }) });
  });
  router.on('POST', '/api/v1/alerts/silences', 'write', async ({ request }) => {
    const input = await readJsonBody(request, silenceInputSchema, 'silence');
    const silence = await repo.createSilence(projectOf(request), input);
    await audit(request, 'alert.silence.create', silence.id, { endsAt: silence.endsAt });
    return noStore({ data: silence }, 201);
  });
  router.on('DELETE', '/api/v1/alerts/silences/:id', 'write', async ({ request, params }) => {
    if (!(await repo.deleteSilence(projectOf(request), params.id ?? '')))
      throw notFound('silence', params.id ?? '');
    await audit(request, 'alert.silence.delete', params.id ?? '');
    return { status: 204 };
  });
}

/** `/api/v1/alerts/events` (state changes and notifications) and `/api/v1/alerts/states`. */
function registerHistoryRoutes(router: Router, deps: AlertRouteDeps): void {
  const { repo, projectOf } = deps;
  router.on('GET', '/api/v1/alerts/events', 'read', async ({ request, url }) => {
    const query = url.searchParams;
    rejectUnknown(query, ['ruleId', 'from', 'to', 'limit']);
    const toMs = query.has('to') ? parseTime('to', query.get('to')!) : Date.now();
    const fromMs = query.has('from') ? parseTime('from', query.get('from')!) : toMs - 7 * DAY_MS;
    if (fromMs > toMs) throw invalidParameter('from', 'is after to');
    const limit = query.has('limit') ? Number(query.get('limit')) : 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalidParameter('limit', `'${query.get('limit')}' is not an integer from 1 to 1000`);
    const events = await repo.listEvents(projectOf(request), {
      ruleId: query.get('ruleId') ?? undefined,
      fromIso: new Date(fromMs).toISOString(),
      toIso: new Date(toMs).toISOString(),
      limit,
    });
    return noStore({ data: events });
  });
  router.on('GET', '/api/v1/alerts/states', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await repo.listStates(projectOf(request)) });
  });
}
/** The anomaly band of a rule over [from, to] (default the last 24 h), bucket by bucket. */
async function band(driver: ClickhouseDriver, rule: AlertRule, query: URLSearchParams) {
  if (rule.type !== 'anomaly' || rule.source.kind !== 'series') {
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid parameter 'id': rule '${rule.id}' is a ${rule.type} rule; only anomaly rules have a band`,
    );
  }
  const toMs = query.has('to') ? parseTime('to', query.get('to')!) : Date.now();
  const fromMs = query.has('from') ? parseTime('from', query.get('from')!) : toMs - DAY_MS;
  const stepMs = parseDurationMs(rule.window) ?? 300_000;
  if (fromMs >= toMs) throw invalidParameter('from', 'is not before to');
  if ((toMs - fromMs) / stepMs > MAX_BAND_POINTS) {
    throw invalidParameter(
      'from',
      `the window holds more than ${MAX_BAND_POINTS} buckets of ${rule.window}; narrow it`,
    );
  }
  const options: BandOptions & { historyMs: number } = { ...DEFAULT_ANOMALY, ...rule.anomaly, historyMs: 0 };
  const historyDays = rule.anomaly?.historyDays ?? DEFAULT_ANOMALY.historyDays;
  options.historyMs = historyDays * DAY_MS;
  const samples = await readSeriesSamples(driver, rule.projectId, rule.source, {
    fromMs: fromMs - options.historyMs,
    toMs: Math.min(toMs + stepMs, Date.now()),
    stepSeconds: stepMs / 1000,
  });
  const first = Math.floor(fromMs / stepMs) * stepMs;
  const points = bandSeries(
    samples,
    samples.filter((s) => s.timeMs >= first && s.timeMs <= toMs),
    options,
  );
  return { ruleId: rule.id, metric: rule.source.metric, step: stepMs / 1000, points };
}
