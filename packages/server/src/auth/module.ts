/**
 * Sign-in, sessions, API keys, projects, members and users. The AuthService itself is a shared
 * service (the dispatcher authenticates every request with it); these are its routes.
 */
import type { Capability } from '../capability.ts';
import { IdentityRepository } from './identity-repository.ts';
import { registerOidcRoutes } from './oidc-routes.ts';
import { registerAuthRoutes } from './routes.ts';
import { registerUserRoutes } from './user-routes.ts';

export const authModule: Capability = {
  name: 'auth',
  register({ router, auth, config }) {
    registerAuthRoutes(router, { auth, config });
    registerUserRoutes(router, { auth, config });
  },
};

/** Single sign-on (OIDC): its 10-minute sign-in state travels sealed in a cookie. */
export const oidcModule: Capability = {
  name: 'oidc',
  register({ router, auth, config, secretBox, store, logger }) {
    registerOidcRoutes(router, {
      auth,
      config,
      secretBox,
      identities: new IdentityRepository(store.metadata.sql),
      logger,
    });
  },
};
