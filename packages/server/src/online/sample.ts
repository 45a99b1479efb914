/**
 * A stored span (or a whole trace) → the sample an evaluator reads, through the rule's
 * `variables`: each of `input`, `output`, `expected`, `context` names a span field (`output`,
 * `metadata.expected`, `attributes.app.answer`) or a JSON path (`$.output[0].parts[0].content`).
 * Unmapped, input and output are the span's, context its retrieved documents, expected unset.
 * JSON text met on the way (an attribute holding JSON) is parsed, so paths can go into it. Pure.
 */
import type { RuleVariable, Span } from '@argus/shared';
import type { EvaluationSample } from '../quality/evaluators/sample.ts';

const DEFAULT_PATHS: Record<RuleVariable, string | undefined> = {
  input: 'input',
  output: 'output',
  expected: undefined,
  context: 'retrievalDocuments',
};

/** The steps of a path: `$.a.b[0]` and `a.b.0` are both ['a', 'b', '0']. */
export function pathSteps(path: string): string[] {
  return path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((step) => step !== '');
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

/**
 * The value at a path of a root object. At each level the longest run of steps that is a key
 * wins (`attributes.gen_ai.prompt` finds the attribute named `gen_ai.prompt`), since span
 * attributes keep their dotted OTel names; JSON text met on the way is parsed.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  const steps = pathSteps(path);
  let current: unknown = root;
  let i = 0;
  while (i < steps.length) {
    current = parsedJson(current);
    if (typeof current !== 'object' || current === null) return undefined;
    const record = current as Record<string, unknown>;
    let next = i + 1;
    for (let j = steps.length; j > i + 1; j--) {
      if (steps.slice(i, j).join('.') in record) {
        next = j;
        break;
      }
    }
    current = record[steps.slice(i, next).join('.')];
    i = next;
  }
  return current;
}

/** The object a trace rule's paths read: its root span's fields plus `spans` (every span of the trace). */
export type TraceSubject = Span & { spans: Span[] };

/** The evaluator sample of a span (or a trace's root with its spans) under a rule's variables. */
export function sampleOf(
  subject: Span | TraceSubject,
  variables: Partial<Record<RuleVariable, string>>,
): EvaluationSample {
  const pick = (name: RuleVariable): unknown => {
    const path = variables[name] ?? DEFAULT_PATHS[name];
    return path === undefined ? undefined : valueAtPath(subject, path);
  };
  let context = pick('context');
  if (variables.context === undefined && 'spans' in subject) {
    const documents = subject.spans.flatMap((s) => s.retrievalDocuments ?? []);
    context = documents.length > 0 ? documents : undefined;
  }
  const expected = pick('expected');
  return {
    input: pick('input'),
    output: pick('output') ?? '',
    ...(expected === undefined ? {} : { expected }),
    metadata: {
      ...(subject.metadata ?? {}),
      ...(context === undefined ? {} : { context }),
      spanName: subject.name,
      kind: subject.kind,
      model: subject.responseModel || subject.requestModel || '',
    },
  };
}
