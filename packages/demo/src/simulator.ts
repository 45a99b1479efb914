/**
 * Simulated users of the demo app: at `rate` requests per second for `durationMs`, users hold
 * multi-turn conversations (one session each) with the gateway, and now and then rate an
 * answer. The seed picks users, conversations and votes (timing still decides how they
 * interleave). Loopback only: the gateway URL comes from the demo itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '@argus/server';
import {
  CONVERSATIONS,
  type DemoTurn,
  FEEDBACK_COMMENTS,
  PROVIDER_STATUS_HEADER,
  turnMessage,
  USERS,
} from './corpus.ts';
import type { ChatReply } from './gateway.ts';

/** Settings of {@link runTraffic}. */
export interface TrafficOptions {
  gatewayUrl: string;
  durationMs: number;
  rate: number;
  seed: number;
  /** Called after every answered request. */
  onReply?: (stats: TrafficStats) => void;
  /** Stops sending new requests early (those in flight still finish). */
  signal?: AbortSignal;
}

/** What the simulated users did. */
export interface TrafficStats {
  sent: number;
  ok: number;
  failed: number;
  feedback: number;
  sessions: Set<string>;
  users: Set<string>;
  /** Trace ids of answered requests, in answer order. */
  okTraceIds: string[];
  /** Trace ids of failed requests. */
  failedTraceIds: string[];
}

interface Conversation {
  sessionId: string;
  userId: string;
  turns: readonly DemoTurn[];
  next: number;
  busy: boolean;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A copy of `items` in a seeded random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** POSTs a JSON body to the gateway; its status and JSON answer. */
async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: ChatReply }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as ChatReply };
}

function emptyStats(): TrafficStats {
  return {
    sent: 0,
    ok: 0,
    failed: 0,
    feedback: 0,
    sessions: new Set(),
    users: new Set(),
    okTraceIds: [],
    failedTraceIds: [],
  };
}

/** Sends simulated traffic until `durationMs` has passed and every request has been answered. */
export async function runTraffic(options: TrafficOptions): Promise<TrafficStats> {
  const random = seededRandom(options.seed);
  const stats = emptyStats();
  const run = Date.now().toString(36);
  const open: Conversation[] = [];
  const inFlight = new Set<Promise<void>>();
  const maxOpen = Math.max(3, Math.ceil(options.rate * 2));
  let started = 0;
  const order = shuffled(CONVERSATIONS, random);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    postJson(`${options.gatewayUrl}${path}`, body, headers);

  async function sendTurn(conversation: Conversation): Promise<void> {
    const turn = conversation.turns[conversation.next++]!;
    const message = turnMessage(turn);
    // A scripted provider failure travels out of band, never in what the user typed.
    const failure: Record<string, string> =
      typeof turn === 'string' ? {} : { [PROVIDER_STATUS_HEADER]: String(turn.providerStatus) };
    stats.sent++;
    stats.sessions.add(conversation.sessionId);
    stats.users.add(conversation.userId);
    try {
      const reply = await post(
        '/chat',
        { message },
        { 'x-session-id': conversation.sessionId, 'x-user-id': conversation.userId, ...failure },
      );
      const traceId = reply.body.traceId;
      if (reply.status === 200) {
        stats.ok++;
        if (traceId) stats.okTraceIds.push(traceId);
        if (traceId && random() < 0.5) {
          const value = random() < 0.75 ? 1 : 0;
          const comment = pick(random, FEEDBACK_COMMENTS[value]);
          const rated = await post('/feedback', { traceId, value, comment });
          if (rated.status === 201) stats.feedback++;
        }
      } else {
        stats.failed++;
        if (traceId) stats.failedTraceIds.push(traceId);
      }
    } catch {
      stats.failed++;
    } finally {
      conversation.busy = false;
      if (conversation.next >= conversation.turns.length) open.splice(open.indexOf(conversation), 1);
      options.onReply?.(stats);
    }
  }

  /** An idle open conversation, or a new one while fewer than `maxOpen` are open. */
  function nextConversation(): Conversation | undefined {
    const idle = open.filter((c) => !c.busy);
    if (idle.length > 0 && (open.length >= maxOpen || random() < 0.6)) return pick(random, idle);
    if (open.length >= maxOpen) return undefined;
    const conversation: Conversation = {
      sessionId: `demo-${run}-${++started}`,
      userId: pick(random, USERS),
      // Every kind of conversation (failures included) comes up within the first few sessions.
      turns: order[started % order.length]!,
      next: 0,
      busy: false,
    };
    open.push(conversation);
    return conversation;
  }

  const start = Date.now();
  const interval = 1000 / options.rate;
  for (let tick = 0; ; tick++) {
    const due = start + tick * interval;
    if (due >= start + options.durationMs || options.signal?.aborted) break;
    if (due > Date.now())
      await sleep(due - Date.now(), undefined, { signal: options.signal }).catch(() => {});
    if (options.signal?.aborted) break;
    const conversation = nextConversation();
    if (conversation === undefined) continue;
    conversation.busy = true;
    const request = sendTurn(conversation);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.allSettled([...inFlight]);
  return stats;
}
