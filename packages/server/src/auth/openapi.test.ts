/** The access-control part of the OpenAPI document matches the routes that are registered. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import type { IdentityRepository } from './identity-repository.ts';
import { registerOidcRoutes } from './oidc-routes.ts';
import { AUTH_PATHS } from './openapi.ts';
import { SECURITY_SCHEMES } from './openapi-schemas.ts';
import { registerAuthRoutes } from './routes.ts';
import type { SecretBox } from './secret-box.ts';
import type { AuthService } from './service.ts';
import { registerUserRoutes } from './user-routes.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('access-control OpenAPI paths', () => {
  it('documents only routes that exist, with every method', () => {
    const router = new Router();
    const config = loadConfig({}, {});
    const auth = {} as AuthService;
    registerAuthRoutes(router, { auth, config });
    registerUserRoutes(router, { auth, config });
    registerOidcRoutes(router, {
      auth,
      config,
      secretBox: {} as SecretBox,
      identities: {} as IdentityRepository,
      logger: createLogger('silent'),
    });
    const documented: string[] = [];
    for (const [path, item] of Object.entries(AUTH_PATHS)) {
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      for (const method of METHODS.filter((m) => m in item)) {
        documented.push(`${method.toUpperCase()} ${path}`);
        expect(router.match(method.toUpperCase(), concrete), `${method} ${path}`).toMatchObject({
          handler: expect.any(Function),
        });
      }
    }
    // 28 here; the 29th path of this test before issue 12, /api/v1/export/spans, is the query
    // API's and is checked with its route in api/openapi-export.test.ts.
    expect(documented.length).toBe(28);
  });

  it('describes the three ways to send an API key and the session with its CSRF header', () => {
    expect(SECURITY_SCHEMES).toMatchObject({
      bearerKey: { type: 'http', scheme: 'bearer' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      basicKey: { type: 'http', scheme: 'basic' },
      session: { type: 'apiKey', in: 'cookie', name: 'argus_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-argus-csrf' },
    });
  });
});

describe('access-control OpenAPI parameters from the zod schemas', () => {
  it('documents the audit query as the audit route validates it', () => {
    const parameters = (AUTH_PATHS['/api/v1/audit'] as { get: { parameters: Record<string, unknown>[] } }).get
      .parameters;
    expect(parameters.map((p) => p.name)).toEqual([
      'action',
      'actor',
      'from',
      'to',
      'cursor',
      'limit',
      'scope',
    ]);
    expect(parameters.every((p) => p.in === 'query' && p.required === undefined)).toBe(true);
    expect(parameters.find((p) => p.name === 'actor')).toMatchObject({ description: 'Actor id' });
    expect(parameters.find((p) => p.name === 'limit')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
    });
    expect(parameters.find((p) => p.name === 'scope')?.schema).toMatchObject({ enum: ['project', 'all'] });
  });
});
