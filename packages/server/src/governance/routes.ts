/**
 * The governance API of a project: its retention policy (`/api/v1/settings/retention`), a sweep
 * on demand (`/api/v1/retention/sweep`) and erasure requests with receipts (`/api/v1/erasures`).
 * Role checks happen in the dispatcher (admin only); every change is audited.
 */
import type { IncomingMessage } from 'node:http';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, clientIp } from '../auth/context.ts';
import type { Config } from '../config.ts';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import { invalidParameter, rejectUnknown, single } from '../query/params.ts';
import { resolveHashKey } from '../redact/pipeline.ts';
import type { Store } from '../store/index.ts';
import { type ErasureDeps, eraseSubject } from './erasure.ts';
import { checkPolicy, RETENTION_SETTING, readRetention } from './policy.ts';
import { Purger } from './purge.ts';
import { type ErasureReceipt, ErasureReceipts, type SubjectKind, subjectHash } from './receipts.ts';
import { sweepProject } from './retention.ts';
import { erasureInputSchema, retentionInputSchema, subjectValue, traceIdValue } from './schemas.ts';
import { auditSweep, RetentionSweeper } from './sweeper.ts';

/** What the governance routes need. */
export interface GovernanceDeps {
  store: Pick<Store, 'driver' | 'metadata' | 'writer'>;
  config: Config;
  projectOf: (request: IncomingMessage) => string;
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
}

/** The retention sweeper's lifecycle, for the server. */
export interface Governance {
  readonly sweeper: RetentionSweeper;
  /** Removes deleted rows from disk in the background. */
  readonly purger: Purger;
  /** Starts periodic sweeps (none when `retentionSweepIntervalMs` is 0). */
  start(): void;
  /** Stops them, waiting for a sweep or purge in progress. */
  stop(): Promise<void>;
}

const SUBJECT_FIELDS: readonly [SubjectKind, 'traceId' | 'userId' | 'sessionId'][] = [
  ['trace', 'traceId'],
  ['user', 'userId'],
  ['session', 'sessionId'],
];

/** Where the sweeps and erasures act: the ClickHouse profile and cluster. */
type Target = { profile: Config['clickhouseProfile']; cluster: Config['clickhouseCluster'] };
type SweepDeps = Parameters<typeof sweepProject>[0];

/** Registers the governance routes and builds the retention sweeper (not started). */
export function registerGovernanceRoutes(router: Router, deps: GovernanceDeps): Governance {
  const { store, config, audit } = deps;
  const target: Target = { profile: config.clickhouseProfile, cluster: config.clickhouseCluster };
  const sweepDeps: SweepDeps = {
    driver: store.driver,
    metadata: store.metadata,
    target,
    maxDays: config.retentionDays,
  };
  const receipts = new ErasureReceipts(store.metadata.sql);
  const purger = new Purger({ driver: store.driver, target, logger: deps.logger });
  const sweeper = new RetentionSweeper({
    ...sweepDeps,
    metadata: store.metadata,
    audit,
    logger: deps.logger,
    purger,
    intervalMs: config.retentionSweepIntervalMs,
  });
  registerRetentionRoutes(router, deps, { sweepDeps, purger });
  registerErasureRoutes(router, deps, { erasure: erasureDeps(deps, target, receipts), receipts, purger });
  return {
    sweeper,
    purger,
    start: () => sweeper.start(),
    async stop() {
      // Both at once: a sweep round waits for its purge, which stops after the partition in progress.
      await Promise.all([sweeper.stop(), purger.stop()]);
    },
  };
}

/** Who made a request, for the audit log. */
const who = (request: IncomingMessage) => ({ actor: actorOf(request), ip: clientIp(request) });

/** What an erasure needs; the redaction hash key is resolved once, on first use (again after a failure). */
function erasureDeps(deps: GovernanceDeps, target: Target, receipts: ErasureReceipts): ErasureDeps {
  const { store, config } = deps;
  let hashKey: Promise<string> | undefined;
  return {
    driver: store.driver,
    target,
    receipts,
    hashKey: () => {
      hashKey ??= resolveHashKey(config.redactionHashKey, store.metadata).catch((error: unknown) => {
        hashKey = undefined;
        throw error;
      });
      return hashKey;
    },
    // Writes acknowledged before the request are in the store before the lookup; later ones do
    // not hold it up (the erasure's repeated lookup catches rows that arrive meanwhile). The
    // write-ahead log then moves to a new segment, so the logged copies of those rows are deleted.
    flush: async () => {
      await store.writer.settled();
      await store.writer.sealLog();
    },
  };
}

/** Registers the retention policy routes and the sweep on demand. */
function registerRetentionRoutes(
  router: Router,
  deps: GovernanceDeps,
  parts: { sweepDeps: SweepDeps; purger: Purger },
): void {
  const { store, audit } = deps;
  const { sweepDeps, purger } = parts;
  const { maxDays } = sweepDeps;
  router.on('GET', '/api/v1/settings/retention', 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await readRetention(store.metadata, deps.projectOf(request), maxDays) });
  });
  router.on('PUT', '/api/v1/settings/retention', 'admin', async ({ request }) => {
    const projectId = deps.projectOf(request);
    const policy = checkPolicy(await readJsonBody(request, retentionInputSchema, 'retention'), maxDays);
    const previous = await readRetention(store.metadata, projectId, maxDays);
    await store.metadata.setSetting(projectId, RETENTION_SETTING, policy);
    await audit.record({
      ...who(request),
      projectId,
      action: 'settings.update',
      target: 'retention',
      details: {
        old: {
          telemetryDays: previous.telemetryDays,
          contentDays: previous.contentDays,
          source: previous.source,
        },
        new: policy,
      },
    });
    return noStore({ data: await readRetention(store.metadata, projectId, maxDays) });
  });
  router.on('POST', '/api/v1/retention/sweep', 'admin', async ({ request, url }) => {
    request.resume();
    rejectUnknown(url.searchParams, []);
    const report = await sweepProject(sweepDeps, deps.projectOf(request));
    const { actor, ip } = who(request);
    await auditSweep(audit, report, actor, ip);
    if (Object.values(report.deleted).some((n) => n > 0)) void purger.schedule();
    return noStore({ data: report });
  });
}

/** What the erasure routes act with. */
interface ErasureParts {
  erasure: ErasureDeps;
  receipts: ErasureReceipts;
  purger: Purger;
}

/** Registers erasure requests and their receipts. */
function registerErasureRoutes(router: Router, deps: GovernanceDeps, parts: ErasureParts): void {
  router.on('POST', '/api/v1/erasures', 'admin', ({ request }) => requestErasure(deps, parts, request));
  router.on('GET', '/api/v1/erasures', 'admin', ({ request, url }) =>
    listErasures(deps, parts, request, url),
  );
  router.on('GET', '/api/v1/erasures/:id', 'admin', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    const id = params.id ?? '';
    const receipt = await parts.receipts.get(deps.projectOf(request), id);
    if (!receipt) {
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot find erasure '${id.slice(0, 100)}': no such erasure in this project`,
      );
    }
    return noStore({ data: receipt });
  });
}

/** Erases a trace, user or session from the project; audited, failed or not, and answered with its receipt. */
async function requestErasure(deps: GovernanceDeps, parts: ErasureParts, request: IncomingMessage) {
  const { audit } = deps;
  const projectId = deps.projectOf(request);
  const body = await readJsonBody(request, erasureInputSchema, 'erasure');
  const [kind, field] = SUBJECT_FIELDS.find(([, f]) => body[f] !== undefined)!;
  const raw = body[field]!;
  const value = kind === 'trace' ? raw.toLowerCase() : raw;
  const { actor, ip } = who(request);
  const entry = { actor, ip, projectId, action: 'data.erase', target: kind };
  let receipt: ErasureReceipt;
  try {
    receipt = await eraseSubject(parts.erasure, projectId, { kind, value }, actor);
  } catch (error) {
    // The stack names the step; the engine's message (the cause) may quote the query, so it stays out.
    deps.logger.error('erasure failed', {
      project: projectId,
      kind,
      error: String((error as Error)?.stack),
    });
    const code = error instanceof ArgusError ? error.code : 'INTERNAL';
    await audit.record({ ...entry, details: { error: code }, outcome: 'failure' });
    throw error;
  }
  await audit.record({ ...entry, details: { erasureId: receipt.id, deleted: receipt.deleted } });
  if (receipt.deleted.traces > 0) void parts.purger.schedule();
  return noStore({ data: receipt });
}

/** The project's erasure receipts, newest first, optionally of one subject (matched by its hash). */
async function listErasures(deps: GovernanceDeps, parts: ErasureParts, request: IncomingMessage, url: URL) {
  const query = url.searchParams;
  rejectUnknown(query, ['limit', 'cursor', 'traceId', 'userId', 'sessionId']);
  const rawLimit = single(query, 'limit');
  const limit = rawLimit === undefined ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalidParameter('limit', `'${String(rawLimit).slice(0, 20)}' is not an integer from 1 to 1000`);
  const given = SUBJECT_FIELDS.filter(([, f]) => query.has(f));
  if (given.length > 1)
    throw invalidParameter(given[1]![1], 'give at most one of traceId, userId or sessionId');
  let subject: { kind: SubjectKind; hash: string } | undefined;
  if (given[0]) {
    const [kind, field] = given[0];
    const parsed = (kind === 'trace' ? traceIdValue : subjectValue).safeParse(single(query, field));
    if (!parsed.success) throw invalidParameter(field, parsed.error.issues[0]!.message);
    const value = kind === 'trace' ? parsed.data.toLowerCase() : parsed.data;
    subject = { kind, hash: subjectHash(await parts.erasure.hashKey(), kind, value) };
  }
  const page = await parts.receipts.list(deps.projectOf(request), {
    limit,
    cursor: single(query, 'cursor'),
    subject,
  });
  return noStore(page);
}
