/**
 * Delivers notifications in the background with bounded retries (exponential backoff), and
 * records each channel's outcome (attempts, last error, delivered at) on the history event.
 * Silenced events record `silenced` and send nothing. `close()` stops waiting between retries
 * and lets in-flight attempts finish.
 */
import type { Logger } from '../../logger.ts';
import type { AlertEvent, AlertRepository, Delivery } from '../alert-repository.ts';
import type { Channel } from '../schemas.ts';
import type { AlertMessage } from './message.ts';
import { sendToChannel } from './senders.ts';

/** Retry policy: `attempts` tries, waiting `baseDelayMs · 2^n` (at most `maxDelayMs`) between. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The default policy: 4 attempts over about 7 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Sends a message to a channel; throws on failure. */
export type Sender = (channel: Channel, message: AlertMessage) => Promise<void>;

/** Sends alert notifications and records how they went. */
export class NotificationDispatcher {
  readonly #repo: AlertRepository;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #send: Sender;
  readonly #pending = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(options: {
    repo: AlertRepository;
    logger: Logger;
    retry?: Partial<RetryPolicy>;
    send?: Sender;
  }) {
    this.#repo = options.repo;
    this.#logger = options.logger;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#send = options.send ?? sendToChannel;
  }

  /**
   * The initial delivery records of an event: `silenced`, `missing` (channel deleted) or `pending`.
   */
  plan(channelIds: readonly string[], channels: ReadonlyMap<string, Channel>, silenced: boolean): Delivery[] {
    return channelIds.map((channelId) => {
      const channel = channels.get(channelId);
      if (!channel) return { channelId, status: 'missing', attempts: 0, lastError: 'no such channel' };
      return { channelId, channelType: channel.type, status: silenced ? 'silenced' : 'pending', attempts: 0 };
    });
  }

  /** Delivers the `pending` entries of a stored event in the background. */
  deliver(event: AlertEvent, channels: ReadonlyMap<string, Channel>, message: AlertMessage): void {
    if (!event.delivery.some((d) => d.status === 'pending')) return;
    const task = (async () => {
      const results = await Promise.all(
        event.delivery.map((d) =>
          d.status === 'pending' && channels.has(d.channelId)
            ? this.send(channels.get(d.channelId)!, message)
            : d,
        ),
      );
      await this.#repo.updateDelivery(event.id, results);
    })().catch((error) => this.#logger.error('alert delivery bookkeeping failed', { error: String(error) }));
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  /** Sends one message to one channel with retries; never throws. */
  async send(channel: Channel, message: AlertMessage): Promise<Delivery> {
    const delivery: Delivery = {
      channelId: channel.id,
      channelType: channel.type,
      status: 'failed',
      attempts: 0,
    };
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt++) {
      delivery.attempts = attempt;
      try {
        await this.#send(channel, message);
        delivery.status = 'delivered';
        delivery.deliveredAt = new Date().toISOString();
        delete delivery.lastError;
        return delivery;
      } catch (error) {
        delivery.lastError = String((error as Error)?.message ?? error).slice(0, 500);
        this.#logger.warn('alert notification failed', {
          channel: channel.id,
          attempt,
          error: delivery.lastError,
        });
      }
      if (attempt < this.#retry.attempts && !(await this.#wait(attempt))) {
        delivery.lastError = `${delivery.lastError}; gave up: the server is shutting down`;
        break;
      }
    }
    return delivery;
  }

  /** Waits before retry `attempt + 1`; false when closing cut the wait short. */
  #wait(attempt: number): Promise<boolean> {
    const ms = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    const signal = this.#closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops retrying and waits (at most `timeoutMs`) for deliveries in flight. */
  async close(timeoutMs = 15_000): Promise<void> {
    this.#closing.abort();
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.#pending]), deadline]);
  }
}
