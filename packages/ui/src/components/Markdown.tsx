/**
 * Markdown of a message. The parser and sanitizer load with the first message shown, not with
 * the console; until then the text shows as it is (React escapes it).
 */
import { Suspense } from 'react';
import { lazyNamed } from '../lib/lazy.ts';

const MarkdownHtml = lazyNamed(() => import('./MarkdownHtml.tsx'), 'MarkdownHtml');

/** Renders markdown safely (HTML in the text stays text, only http(s) links). */
export function Markdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<div className="md md-plain">{text}</div>}>
      <MarkdownHtml text={text} />
    </Suspense>
  );
}
