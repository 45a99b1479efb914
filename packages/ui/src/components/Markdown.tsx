/** Markdown text rendered as React elements by the safe renderer in lib/markdown.ts. */
import { useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown.ts';

/** Renders markdown safely (HTML in the text stays text). */
export function Markdown({ text }: { text: string }) {
  const nodes = useMemo(() => renderMarkdown(text), [text]);
  return <div className="md">{nodes}</div>;
}
