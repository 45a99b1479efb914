/**
 * A word diff of two texts (longest common subsequence over whitespace-kept words), for showing a
 * counterfactual answer beside the original. Pure.
 */

/** One piece of a diff: kept, only in the original (removed) or only in the variant (added). */
export interface DiffPart {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

const MAX_WORDS = 2_000;

/** The word diff of `before` → `after` (texts past 2,000 words are compared whole). */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = before.split(/(?<=\s)/);
  const b = after.split(/(?<=\s)/);
  if (a.length > MAX_WORDS || b.length > MAX_WORDS)
    return before === after
      ? [{ kind: 'same', text: before }]
      : [
          { kind: 'removed', text: before },
          { kind: 'added', text: after },
        ];
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push('same', a[i++]!);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) push('added', b[j++]!);
    else push('removed', a[i++]!);
  }
  return parts;
}
