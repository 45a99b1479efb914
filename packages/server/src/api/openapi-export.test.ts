/** The span export's OpenAPI path matches the route that is registered. */
import { describe, expect, it } from 'vitest';
import type { AuthService } from '../auth/service.ts';
import { loadConfig } from '../config.ts';
import { Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { registerExportRoutes } from './export.ts';
import { EXPORT_PATHS } from './openapi-export.ts';

describe('span export OpenAPI path', () => {
  it('documents the export route with its method', () => {
    const router = new Router();
    const config = loadConfig({}, {});
    registerExportRoutes(router, {
      store: {} as Store,
      config,
      auth: {} as AuthService,
      logger: createLogger('silent'),
    });
    expect(Object.keys(EXPORT_PATHS)).toEqual(['/api/v1/export/spans']);
    expect(Object.keys(EXPORT_PATHS['/api/v1/export/spans'] ?? {})).toEqual(['get']);
    expect(router.match('GET', '/api/v1/export/spans')).toMatchObject({ handler: expect.any(Function) });
  });
});
