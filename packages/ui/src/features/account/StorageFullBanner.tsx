/**
 * The error shown on every page while the server cannot write for want of disk space (issue 11,
 * finding 6): ingest answers 503 STORAGE_FULL and exporters retry, so the operator must know.
 */
import { useEffect, useState } from 'react';
import { fetchHealth } from '../../api.ts';
import { Icons } from '../../components/Icons.tsx';

/** How often the console asks /health whether the disk is full. */
const CHECK_MS = 30_000;

/** The banner; renders nothing while the store has room. */
export function StorageFullBanner() {
  const [message, setMessage] = useState<string | undefined>();
  useEffect(() => {
    const controller = new AbortController();
    const check = () =>
      fetchHealth(controller.signal).then(
        (health) =>
          setMessage(health.storage?.full ? (health.storage.error ?? 'The disk is full') : undefined),
        () => {}, // an unreachable server is shown by the pages themselves
      );
    void check();
    const id = window.setInterval(check, CHECK_MS);
    return () => {
      window.clearInterval(id);
      controller.abort();
    };
  }, []);
  if (message === undefined) return null;
  return (
    <section className="banner error" role="alert" aria-label="Disk full">
      <Icons.warning />
      <span>The disk is full: new telemetry is refused (senders retry) until there is room. {message}</span>
    </section>
  );
}
