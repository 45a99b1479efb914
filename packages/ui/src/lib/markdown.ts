/**
 * Markdown of LLM messages to safe HTML, in two layers: `marked` (GFM) with raw HTML turned
 * into text, links kept only for absolute http(s) URLs and images shown as links (no remote
 * loads from a prompt); then DOMPurify over the result in the browser, so nothing the parser
 * might let through runs.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { safeHref } from './safe-href.ts';

/** Inputs longer than this are shown as plain text (parsing cost stays bounded). */
export const MAX_MARKDOWN_CHARS = 200_000;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const parser = new Marked({
  async: false,
  gfm: true,
  breaks: true,
  renderer: {
    // Raw HTML in a message is something the model or user wrote: show it, never run it.
    html({ text, block }: Tokens.HTML | Tokens.Tag) {
      return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      const url = safeHref(href);
      if (!url) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${titleAttr} target="_blank" rel="noopener noreferrer nofollow">${inner}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      const url = safeHref(href);
      const label = escapeHtml(text || 'image');
      return url
        ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer nofollow">[${label}]</a>`
        : `[${label}]`;
    },
  },
});

/**
 * Markdown to HTML by the parser alone (raw HTML escaped, unsafe links dropped). Use
 * {@link renderMarkdownHtml} for anything that reaches the page.
 */
export function markdownToHtml(text: string): string {
  if (text.length > MAX_MARKDOWN_CHARS) return `<pre class="md-plain">${escapeHtml(text)}</pre>`;
  return parser.parse(text.replace(/\r\n?/g, '\n')) as string;
}

const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'input',
  'li',
  'ol',
  'p',
  'pre',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
const ALLOWED_ATTR = [
  'href',
  'title',
  'target',
  'rel',
  'start',
  'class',
  'align',
  'type',
  'checked',
  'disabled',
];

/** Markdown to HTML that is safe to put in the page: the parser's output, sanitized by DOMPurify. */
export function renderMarkdownHtml(text: string): string {
  const html = markdownToHtml(text);
  if (!DOMPurify.isSupported) return escapeHtml(text);
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^https?:\/\//i,
  });
}
