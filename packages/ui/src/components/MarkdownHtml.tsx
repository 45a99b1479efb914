/** Markdown text rendered through marked and sanitized by DOMPurify (lib/markdown.ts); loaded on first use. */
import { useMemo } from 'react';
import { renderMarkdownHtml } from '../lib/markdown.ts';

/** Renders markdown safely (HTML in the text stays text, only http(s) links). */
export function MarkdownHtml({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdownHtml(text), [text]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify in renderMarkdownHtml
  return <div className="md" dangerouslySetInnerHTML={{ __html: html }} />;
}
