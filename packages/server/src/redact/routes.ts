/**
 * The redaction settings API: `GET|PUT /api/v1/settings/redaction` (the caller's project's
 * policy; a save is audited) and `POST /api/v1/settings/redaction/test`, a dry run on sample text
 * that stores and audits nothing. Role checks are central (PUT under /api/v1/settings is admin-only).
 */
import type { IncomingMessage } from 'node:http';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, clientIp } from '../auth/context.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { effectiveDetectors, policyChanges } from './policy.ts';
import type { PolicyOf, ProjectPolicies } from './project-policies.ts';
import type { RedactionCounts } from './redactor.ts';
import { putSchema, testSchema } from './schemas.ts';

/** What the redaction routes need. */
export interface RedactionRouteDeps {
  policies: ProjectPolicies;
  audit: AuditLog;
  projectOf: (request: IncomingMessage) => string;
}

function view(of: PolicyOf, globallyOff: boolean) {
  return {
    policy: of.policy,
    source: of.source,
    effective: effectiveDetectors(of.policy),
    globallyOff,
  };
}

/** Registers the /api/v1/settings/redaction routes. */
export function registerRedactionRoutes(router: Router, deps: RedactionRouteDeps): void {
  const { policies } = deps;
  router.on('GET', '/api/v1/settings/redaction', 'read', ({ request }) =>
    noStore(view(policies.policyOf(deps.projectOf(request)), policies.globallyOff)),
  );

  router.on('PUT', '/api/v1/settings/redaction', 'admin', async ({ request }) => {
    const projectId = deps.projectOf(request);
    const body = await readJsonBody(request, putSchema, 'redaction policy');
    const { policy, before } = await policies.setPolicy(projectId, body);
    await deps.audit.record({
      actor: actorOf(request),
      projectId,
      action: 'settings.update',
      target: 'redaction',
      // Which actions changed and which custom detectors by name; never patterns or matches.
      details: policyChanges(before.policy, policy),
      ip: clientIp(request),
    });
    return noStore(view({ policy, source: 'project' }, policies.globallyOff));
  });

  router.on('POST', '/api/v1/settings/redaction/test', 'admin', async ({ request }) => {
    const body = await readJsonBody(request, testSchema, 'redaction test');
    // The saved policy's redactor is the one ingest uses, already compiled; a draft is compiled here.
    const redactor =
      body.policy === undefined
        ? policies.redactorFor(deps.projectOf(request))
        : policies.compile(await policies.parse(body.policy));
    const counts: RedactionCounts = {};
    const redacted = redactor ? redactor.redact(body.text, counts) : body.text;
    return noStore({ redacted, counts });
  });
}
