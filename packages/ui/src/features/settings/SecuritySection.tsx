/** Settings → Security: the authentication mode, session limits, and what open mode means. */
import { fetchAuthConfig } from '../../api-account.ts';
import { Link } from '../../components/Link.tsx';
import { Async } from '../../components/States.tsx';
import { formatSeconds } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';
import { useAuth } from '../account/auth-context.ts';
import { SettingsPanel } from './SettingsPanel.tsx';

/** The section. */
export function SecuritySection() {
  const { me } = useAuth();
  const config = useApi('auth-config', (signal) => fetchAuthConfig(signal));
  return (
    <Async state={config} label="Loading the security settings…">
      {(c) => (
        <>
          <SettingsPanel title="Authentication">
            <dl className="kv-grid" data-testid="auth-mode">
              <dt>Mode</dt>
              <dd>
                {c.authMode === 'on' ? (
                  <span className="chip ok">on: sign-in and API keys required</span>
                ) : (
                  <span className="chip error">off: no sign-in, no API keys</span>
                )}
              </dd>
              <dt>Listening</dt>
              <dd>{c.loopback ? 'on loopback only (this machine)' : 'beyond loopback (the network)'}</dd>
              <dt>Session length</dt>
              <dd>{formatSeconds(c.sessionTtlSeconds)} after sign-in, at most</dd>
              <dt>Idle sign-out</dt>
              <dd>after {formatSeconds(c.sessionIdleSeconds)} without a request</dd>
              <dt>You</dt>
              <dd>
                {me.principal.kind === 'user'
                  ? `${me.principal.username}${me.instanceAdmin ? ', instance administrator' : ''}`
                  : 'anonymous (authentication is off)'}
              </dd>
            </dl>
          </SettingsPanel>
          {c.authMode === 'off' ? (
            <SettingsPanel title="Open mode: what it means">
              <div className="notice warn">
                Authentication is off. Anyone who can reach this address can read every trace, prompt and
                completion, and change or delete everything: alert rules, settings, data.
              </div>
              <p style={{ margin: 0 }}>
                Open mode is meant for a laptop: Argus allows it only on a loopback address, unless started
                with <code>--insecure</code>. Every request acts as an instance administrator, and API keys
                are not checked. To require sign-in and API keys, restart with authentication on:
              </p>
              <pre className="code">npx argus start --auth on</pre>
              <p className="muted" style={{ margin: 0 }}>
                On the first start with authentication on, Argus creates the administrator <code>admin</code>{' '}
                and prints its password once (or uses <code>ARGUS_ADMIN_PASSWORD</code>). Then create API keys
                for your apps under <Link to="/settings/keys">API keys</Link>, and invite people under{' '}
                <Link to="/settings/members">Members &amp; invites</Link>.
              </p>
            </SettingsPanel>
          ) : (
            <SettingsPanel title="How access works">
              <ul className="plain-list">
                <li>
                  Apps and scripts use <Link to="/settings/keys">API keys</Link>; each belongs to one project
                  and has a role (ingest, viewer, member, admin) and optional rate limits.
                </li>
                <li>
                  People sign in here; their role per project (viewer reads, member also writes alerts and
                  scores, admin manages keys, members and settings) is set under{' '}
                  <Link to="/settings/members">Members &amp; invites</Link>.
                </li>
                <li>
                  Sign-in attempts are rate limited per name and address; changes that alter something need
                  the session's CSRF token, which the console sends.
                </li>
                <li>
                  Every change is written to the hash-chained <Link to="/settings/audit">audit log</Link>.
                </li>
              </ul>
              <p className="muted" style={{ margin: 0 }}>
                Flags: <code>--session-ttl-seconds</code> and <code>--session-idle-seconds</code> set the
                session limits, <code>--rate-limit-ingest</code> and <code>--rate-limit-api</code> the rate
                limits, and <code>--trust-proxy</code> lets a reverse proxy pass on the client address.
              </p>
            </SettingsPanel>
          )}
        </>
      )}
    </Async>
  );
}
