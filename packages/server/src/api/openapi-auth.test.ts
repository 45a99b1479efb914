/** The access-control part of the OpenAPI document matches the routes that are registered. */
import { describe, expect, it } from 'vitest';
import type { IdentityRepository } from '../auth/identity-repository.ts';
import { registerOidcRoutes } from '../auth/oidc-routes.ts';
import { registerAuthRoutes } from '../auth/routes.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { AuthService } from '../auth/service.ts';
import { registerUserRoutes } from '../auth/user-routes.ts';
import { loadConfig } from '../config.ts';
import { Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { registerExportRoutes } from './export.ts';
import { AUTH_PATHS } from './openapi-auth.ts';
import { SECURITY_SCHEMES } from './openapi-auth-schemas.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('access-control OpenAPI paths', () => {
  it('documents only routes that exist, with every method', () => {
    const router = new Router();
    const config = loadConfig({}, {});
    const auth = {} as AuthService;
    registerAuthRoutes(router, { auth, config });
    registerUserRoutes(router, { auth, config });
    registerExportRoutes(router, { store: {} as Store, config, auth, logger: createLogger('silent') });
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
    expect(documented.length).toBe(29);
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
