/**
 * The notification every channel renders: one JSON message per event (the generic webhook
 * sends it as is), plus a one-line summary and plain-text lines for Slack and email.
 */
import type { AlertEvent } from '../alert-repository.ts';
import type { AlertRule } from '../schemas.ts';
import type { AlertEventKind, AlertStateName } from '../state.ts';

/** The JSON body of a webhook notification (version 1). */
export interface AlertMessage {
  version: 1;
  kind: AlertEventKind | 'test';
  eventId: string;
  rule: {
    id: string;
    projectId: string;
    name: string;
    type: AlertRule['type'];
    severity: AlertRule['severity'];
    description: string;
    labels: Record<string, string>;
  };
  state: AlertStateName;
  /** The observed value (budget rules: USD spent this period). */
  value: number | null;
  comparison: AlertRule['comparison'] | null;
  threshold: number | null;
  band: { lower: number; upper: number } | null;
  /** Rule-type specifics: window, budget spend and percentage, anomaly method … */
  details: Record<string, unknown>;
  /** When the event happened (ISO 8601). */
  time: string;
  links: { rule: string; events: string; band?: string };
}

/** The message of an event of a rule. `baseUrl` is the server's URL for links. */
export function buildMessage(rule: AlertRule, event: AlertEvent, baseUrl: string): AlertMessage {
  const ruleUrl = `${baseUrl}/api/v1/alerts/rules/${encodeURIComponent(rule.id)}`;
  return {
    version: 1,
    kind: event.kind,
    eventId: event.id,
    rule: {
      id: rule.id,
      projectId: rule.projectId,
      name: rule.name,
      type: rule.type,
      severity: rule.severity,
      description: rule.description,
      labels: rule.labels,
    },
    state: event.state,
    value: event.value ?? null,
    comparison: rule.type === 'threshold' ? rule.comparison : rule.type === 'budget' ? '>=' : null,
    threshold: event.threshold ?? null,
    band:
      event.lower !== undefined && event.upper !== undefined
        ? { lower: event.lower, upper: event.upper }
        : null,
    details: event.details,
    time: event.time,
    links: {
      rule: ruleUrl,
      events: `${baseUrl}/api/v1/alerts/events?ruleId=${encodeURIComponent(rule.id)}`,
      ...(rule.type === 'anomaly' ? { band: `${ruleUrl}/band` } : {}),
    },
  };
}

/** A test message for a channel (`POST /alerts/channels/:id/test`). */
export function testMessage(projectId: string, baseUrl: string): AlertMessage {
  const time = new Date().toISOString();
  return {
    version: 1,
    kind: 'test',
    eventId: `test_${Date.now()}`,
    rule: {
      id: 'test',
      projectId,
      name: 'Argus test notification',
      type: 'threshold',
      severity: 'info',
      description: 'Sent to check that this channel works; no rule fired.',
      labels: {},
    },
    state: 'ok',
    value: null,
    comparison: null,
    threshold: null,
    band: null,
    details: {},
    time,
    links: { rule: `${baseUrl}/api/v1/alerts/rules`, events: `${baseUrl}/api/v1/alerts/events` },
  };
}

const round = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(1) : Number(n.toPrecision(4)).toString());

/** `[FIRING] High latency: 8123.4 > 3000 (warning)`. */
export function summary(message: AlertMessage): string {
  const tag = message.kind === 'test' ? 'TEST' : message.kind === 'resolved' ? 'RESOLVED' : 'FIRING';
  let condition = '';
  if (message.value !== null) {
    if (message.band)
      condition = `${round(message.value)} outside [${round(message.band.lower)}, ${round(message.band.upper)}]`;
    else if (message.threshold !== null)
      condition = `${round(message.value)} ${message.comparison ?? '>'} ${round(message.threshold)}`;
    else condition = round(message.value);
  }
  if (message.rule.type === 'budget' && message.details.percentage != null)
    condition = `$${round(message.value ?? 0)} spent, ${message.details.percentage}% of $${message.details.amountUsd} this ${message.details.period}`;
  if (message.kind === 'resolved') condition = message.value === null ? '' : `now ${round(message.value)}`;
  const again =
    message.kind === 'renotified' ? ' (still firing)' : message.kind === 'escalated' ? ' (higher level)' : '';
  return `[${tag}] ${message.rule.name}${again}${condition ? `: ${condition}` : ''} (${message.rule.severity})`;
}

/** Plain-text detail lines (email body, Slack section). */
export function detailLines(message: AlertMessage): string[] {
  const lines = [
    `Rule: ${message.rule.name} (${message.rule.type}, ${message.rule.severity})`,
    `State: ${message.state} (${message.kind}) at ${message.time}`,
  ];
  if (message.value !== null) lines.push(`Value: ${message.value}`);
  if (message.threshold !== null)
    lines.push(`Threshold: ${message.comparison ?? ''} ${message.threshold}`.replace('  ', ' '));
  if (message.band) lines.push(`Expected band: ${message.band.lower} to ${message.band.upper}`);
  if (message.rule.description) lines.push(`Description: ${message.rule.description}`);
  for (const [key, value] of Object.entries(message.details)) lines.push(`${key}: ${String(value)}`);
  lines.push(`Rule: ${message.links.rule}`, `History: ${message.links.events}`);
  return lines;
}
