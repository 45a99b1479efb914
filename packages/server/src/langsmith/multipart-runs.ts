/**
 * Reassembles runs from the parts of `POST /runs/multipart`: `post.{id}` / `patch.{id}` carry
 * the run JSON without its large fields, `post.{id}.inputs|outputs|events|extra|error|serialized`
 * carry those fields; `attachment.{id}.{name}` parts are counted and dropped (Argus stores no
 * blobs yet); `feedback.{id}` parts are returned for the score table.
 */
import { ArgusError } from '../errors.ts';
import { isRecord, record } from '../normalize/values.ts';
import type { FormPart } from './multipart.ts';
import { checkRun, type LangsmithRun, RUN_PART_FIELDS } from './run.ts';

/** What a multipart body holds. */
export interface MultipartRuns {
  posts: LangsmithRun[];
  patches: LangsmithRun[];
  feedback: Record<string, unknown>[];
  /** Attachment parts, dropped. */
  attachments: number;
  /** Parts with a name of no known form, dropped. */
  unknownParts: number;
}

const FIELDS: ReadonlySet<string> = new Set(RUN_PART_FIELDS);

function parseJson(part: FormPart): unknown {
  try {
    return JSON.parse(part.body.toString('utf8'));
  } catch (error) {
    throw new ArgusError(
      'INVALID_RUN',
      `Cannot accept part '${part.name.slice(0, 120)}': it is not JSON (${(error as Error).message})`,
    );
  }
}

/**
 * Groups parts into runs, then checks every run.
 * @throws ArgusError INVALID_RUN for a part that is not JSON, a run part that is not an object or
 * names another id, or a run that {@link checkRun} rejects.
 */
export function runsFromParts(parts: readonly FormPart[]): MultipartRuns {
  const runs = {
    post: new Map<string, Record<string, unknown>>(),
    patch: new Map<string, Record<string, unknown>>(),
  };
  const out: MultipartRuns = { posts: [], patches: [], feedback: [], attachments: 0, unknownParts: 0 };
  for (const part of parts) {
    const [kind, id, field, ...rest] = part.name.split('.');
    if (kind === 'attachment') {
      out.attachments++;
      continue;
    }
    if (kind === 'feedback' && id && field === undefined) {
      const value = parseJson(part);
      if (isRecord(value)) out.feedback.push({ id, ...value });
      continue;
    }
    if (
      (kind !== 'post' && kind !== 'patch') ||
      !id ||
      rest.length > 0 ||
      (field !== undefined && !FIELDS.has(field))
    ) {
      out.unknownParts++;
      continue;
    }
    const byId = runs[kind];
    const run = byId.get(id) ?? record<unknown>(); // null prototype: '__proto__' keys stay data
    byId.set(id, run);
    const value = parseJson(part);
    if (field !== undefined) {
      run[field] = value;
      continue;
    }
    if (!isRecord(value)) {
      throw new ArgusError('INVALID_RUN', `Cannot accept part '${part.name}': it is not a JSON object`);
    }
    if (value.id !== undefined && value.id !== id) {
      throw new ArgusError(
        'INVALID_RUN',
        `Cannot accept part '${part.name}': its 'id' is '${String(value.id).slice(0, 60)}', expected '${id}'`,
      );
    }
    // Fields sent as parts of their own win over copies inside the run JSON.
    for (const [k, v] of Object.entries(value)) if (!(FIELDS.has(k) && k in run)) run[k] = v;
  }
  for (const [id, run] of runs.post) out.posts.push(checkRun({ ...run, id }, `part 'post.${id}'`));
  for (const [id, run] of runs.patch) out.patches.push(checkRun({ ...run, id }, `part 'patch.${id}'`));
  return out;
}
