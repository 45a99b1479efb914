/**
 * Gateway (`/gateway`): how to point an OpenAI or Anthropic client at Argus, and how the gateway
 * is doing — the latency it adds (histogram and p50/p99), cache hit rate, connection health
 * (failures, cool-down), model aliases, spend per API key and shadow traffic with its experiments.
 */
import type { GatewayStatus } from '@argus/shared';
import { fetchGatewayStatus } from '../../api-gateway.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CopyableCode } from '../../components/Snippet.tsx';
import { Async, Empty } from '../../components/States.tsx';
import { StatTile } from '../../components/StatTile.tsx';
import { formatCostExact, formatCount, formatPercent, formatTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/gateway.css';
import { ShadowsPanel } from './ShadowsPanel.tsx';

const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(2)} ms`);

/** The gateway page. */
export function GatewayPage() {
  const state = useApi('/api/v1/gateway/status', async (signal) => (await fetchGatewayStatus(signal)).data);
  return (
    <>
      <PageHeader title="Gateway" />
      <div className="content stack">
        <Endpoints />
        <Async state={state} label="Loading the gateway…">
          {(status) => <StatusView status={status} />}
        </Async>
      </div>
    </>
  );
}

function Endpoints() {
  const origin = window.location.origin;
  return (
    <section className="panel" aria-label="Endpoints">
      <div className="panel-head">Endpoints</div>
      <div className="panel-body stack">
        <p className="muted">
          Point an official client at these base URLs with an Argus API key (role ingest is enough). Every
          call is routed to an LLM connection of the project and recorded as a trace.
        </p>
        <CopyableCode label="OpenAI base URL" text={`${origin}/gateway/v1`} />
        <CopyableCode label="Anthropic base URL" text={`${origin}/gateway/anthropic`} />
      </div>
    </section>
  );
}

function StatusView({ status }: { status: GatewayStatus }) {
  const { overhead, cache } = status;
  return (
    <>
      <div className="grid stats">
        <StatTile
          label="Calls"
          value={overhead.calls}
          format={formatCount}
          hint="Calls since the server started"
        />
        <StatTile
          label="Added p50"
          value={overhead.p50Ms}
          format={ms}
          hint="Latency the gateway added, median"
        />
        <StatTile
          label="Added p99"
          value={overhead.p99Ms}
          format={ms}
          hint="Latency the gateway added, 99th percentile"
        />
        <StatTile
          label="Cache hit rate"
          value={cache.hits + cache.misses === 0 ? undefined : cache.hitRate}
          format={(n) => (n === undefined ? '–' : formatPercent(n))}
          hint={`${cache.hits} hits, ${cache.misses} misses, ${cache.entries} entries`}
        />
      </div>
      <OverheadHistogram overhead={overhead} />
      <Connections status={status} />
      <Aliases status={status} />
      <Spend status={status} />
      <ShadowsPanel shadows={status.shadows} />
    </>
  );
}

function OverheadHistogram({ overhead }: { overhead: GatewayStatus['overhead'] }) {
  const most = Math.max(1, ...overhead.counts);
  const labels = [...overhead.bucketsMs.map((b) => `≤ ${b} ms`), `> ${overhead.bucketsMs.at(-1)} ms`];
  return (
    <section className="panel" aria-label="Added latency">
      <div className="panel-head">Added latency</div>
      <ul className="gateway-histogram panel-body">
        {overhead.counts.map((count, i) => (
          <li key={labels[i]} data-bucket={labels[i]}>
            <span className="gateway-histogram-label">{labels[i]}</span>
            <span className="gateway-histogram-bar" style={{ width: `${(count / most) * 100}%` }} />
            <span className="gateway-histogram-count">{formatCount(count)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Connections({ status }: { status: GatewayStatus }) {
  return (
    <section className="panel" aria-label="Connections">
      <div className="panel-head">Connections</div>
      {status.connections.length === 0 ? (
        <Empty title="No LLM connections">
          Add one under Datasets → Connections; the gateway routes to them.
        </Empty>
      ) : (
        <DataTable label="Connections" columns={['Name', 'Provider', 'Models', 'Calls', 'Failures', 'State']}>
          {status.connections.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.provider}</td>
              <td>{c.models.join(', ') || 'any'}</td>
              <td>{formatCount(c.requests)}</td>
              <td>{formatCount(c.failures)}</td>
              <td title={c.lastError}>
                {c.coolingDownUntil ? `Cooling down until ${formatTime(c.coolingDownUntil)}` : 'Healthy'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Aliases({ status }: { status: GatewayStatus }) {
  return (
    <section className="panel" aria-label="Aliases">
      <div className="panel-head">Aliases</div>
      {status.aliases.length === 0 ? (
        <p className="muted">
          No aliases. `argus gateway alias set fast --target &lt;connection&gt;:&lt;model&gt;` adds one.
        </p>
      ) : (
        <DataTable label="Aliases" columns={['Alias', 'Targets (weight)']}>
          {status.aliases.map((a) => (
            <tr key={a.name}>
              <td>{a.name}</td>
              <td>{a.targets.map((t) => `${t.model} (${t.weight})`).join(', ')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Spend({ status }: { status: GatewayStatus }) {
  return (
    <section className="panel" aria-label="Spend per key">
      <div className="panel-head">Spend per key</div>
      {status.keys.length === 0 ? (
        <p className="muted panel-body">No calls yet today.</p>
      ) : (
        <DataTable
          label="Spend per key"
          columns={['Key', 'Calls today', 'Tokens today', 'Today', 'This month', 'Limits']}
        >
          {status.keys.map((k) => (
            <tr key={k.keyId}>
              <td>{k.keyId === '-' ? 'no key (open mode)' : k.keyId}</td>
              <td>{formatCount(k.requestsToday)}</td>
              <td>{formatCount(k.tokensToday)}</td>
              <td>{formatCostExact(k.usdToday)}</td>
              <td>{formatCostExact(k.usdMonth)}</td>
              <td>{limitsText(k.limits)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function limitsText(limits: GatewayStatus['keys'][number]['limits']): string {
  if (!limits) return 'none';
  const parts = [
    limits.requestsPerMinute === undefined ? '' : `${limits.requestsPerMinute} req/min`,
    limits.tokensPerMinute === undefined ? '' : `${limits.tokensPerMinute} tokens/min`,
    limits.usdPerDay === undefined ? '' : `$${limits.usdPerDay}/day`,
    limits.usdPerMonth === undefined ? '' : `$${limits.usdPerMonth}/month`,
    limits.cache ? 'cached' : '',
  ];
  return parts.filter(Boolean).join(', ') || 'none';
}
