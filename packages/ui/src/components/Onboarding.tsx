/** The empty state of a fresh install: exactly how to send telemetry to this server. */
import { useAuth } from '../features/account/auth-context.ts';
import { Link } from './Link.tsx';
import { Snippet } from './Snippet.tsx';

/** Instructions shown when the window holds no traces at all. */
export function Onboarding({ title = 'No traces yet' }: { title?: string }) {
  const origin = window.location.origin;
  const { me, project } = useAuth();
  // With authentication on, telemetry needs an API key of the project (its role: ingest or above).
  const needsKey = me.authMode === 'on';
  const auth = needsKey ? " -H 'authorization: Bearer <secret key>'" : '';
  // `argus demo` sends to loopback servers only.
  const isLoopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(window.location.hostname);
  const env = [
    `export OTEL_EXPORTER_OTLP_ENDPOINT=${origin}`,
    'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    'export OTEL_SERVICE_NAME=my-llm-app',
    'export OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true',
    ...(needsKey ? ['export OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<secret key>'] : []),
  ].join('\n');
  const curl = `curl -X POST ${origin}/v1/traces -H 'content-type: application/json'${auth} -d '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"hello"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"chat gpt-4o-mini","kind":3,"startTimeUnixNano":"'$(date +%s)000000000'","endTimeUnixNano":"'$(date +%s)900000000'","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"30"}}]}]}]}]}'`;
  return (
    <div className="onboarding panel" data-testid="onboarding">
      <div className="panel-body">
        <h2>{title}</h2>
        <p className="muted">
          Argus receives OpenTelemetry traces on this server. Point any OTel instrumentation (OpenLIT,
          OpenInference, OpenLLMetry, the Vercel AI SDK, Langfuse or LangSmith SDKs, plain OTel) at it:
        </p>
        <ol>
          <li>
            OTLP/HTTP endpoint: <code>{origin}/v1/traces</code> (protobuf or JSON, gzip accepted)
          </li>
          {needsKey && (
            <li>
              Create an API key for {project?.name ?? 'this project'} under{' '}
              <Link to="/settings/keys">Settings → API keys</Link>; its secret goes in the headers below.
            </li>
          )}
          <li>Set the exporter environment of your app and restart it:</li>
        </ol>
        <Snippet text={env} />
        <p className="muted">
          Langfuse SDKs: set the host to <code>{origin}</code>
          {needsKey ? ' and the key pair as their public and secret key' : ''}. Or send one span by hand:
        </p>
        <Snippet text={curl} />
        {isLoopback && !needsKey && (
          <>
            <p className="muted">
              Or see it with sample traffic (a mock LLM, a chat app and simulated users):
            </p>
            <Snippet text={`npx argus demo --url ${origin}`} />
          </>
        )}
        <p className="muted">
          Traces appear here within a second of arriving. Check that the range picker covers the time your
          data was sent.
        </p>
      </div>
    </div>
  );
}
