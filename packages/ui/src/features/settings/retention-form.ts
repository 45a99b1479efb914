/** Checks of the retention form. Pure. */

/** Checks the two day counts against each other and the server's bound; the problem, or undefined. */
export function retentionProblem(telemetry: number, content: number, maxDays: number): string | undefined {
  if (!Number.isInteger(telemetry) || telemetry < 1)
    return 'Telemetry days must be a whole number of at least 1.';
  if (!Number.isInteger(content) || content < 1) return 'Content days must be a whole number of at least 1.';
  if (telemetry > maxDays) return `Telemetry days cannot exceed ${maxDays}, this server's --retention-days.`;
  if (content > telemetry) return 'Content cannot be kept longer than the telemetry that holds it.';
  return undefined;
}
