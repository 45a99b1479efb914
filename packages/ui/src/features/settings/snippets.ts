/** Ready-to-paste text: configuration for a new API key (OTLP exporters, Langfuse and LangSmith SDKs), invitation links. Pure. */

/** A titled snippet. */
export interface Snippet {
  title: string;
  text: string;
}

/**
 * The snippets for a key. The OTLP header value is percent-encoded (`Bearer%20…`), as the
 * OpenTelemetry specification of OTEL_EXPORTER_OTLP_HEADERS asks; every OTel SDK decodes it.
 */
export function keySnippets(origin: string, publicKey: string, secret: string): Snippet[] {
  return [
    {
      title: 'OpenTelemetry (any OTLP exporter)',
      text: [
        `OTEL_EXPORTER_OTLP_ENDPOINT=${origin}`,
        `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${secret}`,
      ].join('\n'),
    },
    {
      title: 'Langfuse SDK',
      text: [
        `LANGFUSE_PUBLIC_KEY=${publicKey}`,
        `LANGFUSE_SECRET_KEY=${secret}`,
        `LANGFUSE_HOST=${origin}`,
      ].join('\n'),
    },
    {
      title: 'LangSmith SDK',
      text: ['LANGSMITH_TRACING=true', `LANGSMITH_API_KEY=${secret}`, `LANGSMITH_ENDPOINT=${origin}`].join(
        '\n',
      ),
    },
  ];
}

/** What each key role may do, for the create form. */
export const KEY_ROLE_HELP: Record<string, string> = {
  ingest: 'sends telemetry and scores only (for apps)',
  viewer: 'reads traces and metrics through the API',
  member: 'reads, and writes alerts and scores',
  admin: 'everything in the project, including keys, members and settings',
};

/** Parses an optional rate limit field: '' → undefined; otherwise a whole number ≥ 0, or an error. */
export function parseRate(text: string): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const n = Number(trimmed);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000)
    return { error: `'${trimmed}' is not a whole number from 0 to 1000000` };
  return { value: n };
}

/** An accept link as the server gave it, made absolute. */
export function absoluteLink(link: string, origin: string): string {
  return /^https?:\/\//.test(link) ? link : `${origin}${link.startsWith('/') ? '' : '/'}${link}`;
}
