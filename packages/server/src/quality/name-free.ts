import { ArgusError } from '../errors.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** The records whose names are unique in a project, and their tables (quality and human review). */
const TABLES = {
  connection: 'llm_connections',
  evaluator: 'evaluators',
  'score config': 'score_configs',
  'annotation queue': 'annotation_queues',
} as const;

/**
 * Refuses a name another record of the same kind in the project already has; `exceptId` is the
 * record being renamed, which may keep its own name.
 * @throws ArgusError CONFLICT `Cannot save evaluator 'x': another evaluator of this project has that name`.
 */
export async function assertNameFree(
  sql: SqlClient,
  record: { what: keyof typeof TABLES; projectId: string; name: string; exceptId?: string },
): Promise<void> {
  const { what, projectId, name, exceptId } = record;
  const rows = await sql.all<{ id: string }>(
    `SELECT id FROM ${TABLES[what]} WHERE project_id = $1 AND name = $2`,
    [projectId, name],
  );
  if (rows.some((r) => r.id !== exceptId))
    throw new ArgusError(
      'CONFLICT',
      `Cannot save ${what} '${name}': another ${what} of this project has that name`,
    );
}
