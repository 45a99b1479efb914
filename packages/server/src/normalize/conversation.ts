/**
 * Rules that make one conversation look the same whatever generation carried it: system
 * instructions both as their own field and as the first input message, finish reasons on the
 * output messages as well as on the span. Shared by span mapping and log-content merging.
 */
import type { Message, MessagePart } from '@argus/shared';
import { isRecord } from './values.ts';

/** True for a normalized `Message[]` (not a plain value). */
export function isMessageList(value: unknown): value is Message[] {
  return (
    Array.isArray(value) &&
    value.every((m) => isRecord(m) && Array.isArray(m.parts) && typeof m.role === 'string')
  );
}

/** Parts of the system messages of an input, or undefined when there are none. */
export function systemFromMessages(input: unknown): MessagePart[] | undefined {
  if (!isMessageList(input)) return undefined;
  const parts = input.filter((m) => m.role === 'system').flatMap((m) => m.parts);
  return parts.length > 0 ? parts : undefined;
}

/** The input with the system instructions as its first message when it has no system message. */
export function withSystemMessage(input: unknown, instructions: unknown): unknown {
  if (!isMessageList(input) || input.some((m) => m.role === 'system')) return input;
  const parts = Array.isArray(instructions) ? (instructions as MessagePart[]) : undefined;
  return parts === undefined || parts.length === 0 ? input : [{ role: 'system', parts }, ...input];
}

/** Output messages get the span's finish reasons by index when they lack their own. */
export function withFinishReasons(output: unknown, reasons: readonly string[]): unknown {
  if (!isMessageList(output)) return output;
  return output.map((m, i) =>
    m.finishReason === undefined && reasons[i] !== undefined ? { ...m, finishReason: reasons[i] } : m,
  );
}

/** True when a content field holds nothing worth showing. */
export function isEmptyContent(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}
