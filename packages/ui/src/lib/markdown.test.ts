import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_CHARS, markdownToHtml } from './markdown.ts';
import { safeHref } from './safe-href.ts';

// The parser layer, without DOMPurify (no DOM in Node): it alone must already keep every case
// inert. The e2e test renders the same kind of content in Chromium with DOMPurify on top.
const html = (text: string) => markdownToHtml(text).replace(/\n/g, '');

describe('markdownToHtml: XSS', () => {
  // Every case must come out as inert text or a safe element; none may produce a live tag or URL.
  it.each([
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['the e2e prompt', 'Hi <img src=x onerror=alert(1)><script>alert(1)</script> there'],
    ['svg onload', '<svg onload=alert(1)>'],
    ['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
    ['html in a heading', '# <b onmouseover=alert(1)>x</b>'],
    ['html in a list', '- <a href="javascript:alert(1)">x</a>'],
    ['html in code', '`<script>alert(1)</script>`'],
    ['html in a fence', '```html\n<script>alert(1)</script>\n```'],
    ['html in a table', 'a | b\n--|--\n<img src=x onerror=alert(1)> | c'],
    ['html in bold', '**<script>x</script>**'],
  ])('%s stays text', (_name, input) => {
    const out = html(input);
    expect(out).not.toMatch(/<(script|img|svg|iframe|b |a href="javascript)/i);
    expect(out).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
    expect(out).toContain('&lt;');
  });

  it.each([
    ['javascript:', '[click](javascript:alert(1))'],
    ['JavaScript: mixed case', '[click](JaVaScRiPt:alert(1))'],
    ['tab inside the scheme', '[click](java\tscript:alert(1))'],
    ['encoded scheme', '[click](javascript&#58;alert(1))'],
    ['data: URL', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['relative path', '[click](/api/v1/pricing/overrides)'],
    ['protocol-relative', '[click](//evil.example/x)'],
    ['autolink javascript', '<javascript:alert(1)>'],
  ])('a %s link gets no href', (_name, input) => {
    const out = html(input);
    expect(out).not.toContain('href=');
    expect(out).toContain('click'.slice(0, input.includes('click') ? 5 : 0));
  });

  it('keeps http(s) links, opening them with rel="noopener noreferrer"', () => {
    const out = html('See [the docs](https://example.com/a?b=1&c=2) and http://example.org/x.');
    expect(out).toContain(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">the docs</a>',
    );
    expect(out).toContain(
      '<a href="http://example.org/x" target="_blank" rel="noopener noreferrer nofollow">http://example.org/x</a>.',
    );
  });

  it('does not let a quote in a URL break out of the attribute', () => {
    const out = html('[x](https://example.com/"onmouseover="alert(1))');
    expect(out).not.toMatch(/"\s*onmouseover=/);
  });
});

describe('markdownToHtml: syntax', () => {
  it('renders headings, emphasis, code and lists', () => {
    expect(html('## Title')).toBe('<h2>Title</h2>');
    expect(html('a **bold** and *it* and _it2_ and ~~gone~~')).toBe(
      '<p>a <strong>bold</strong> and <em>it</em> and <em>it2</em> and <del>gone</del></p>',
    );
    expect(html('use `x = 1` here')).toBe('<p>use <code>x = 1</code> here</p>');
    expect(html('- one\n- two')).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(html('3. three\n4. four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
  });

  it('nests lists by indentation', () => {
    expect(html('- a\n  - b\n  - c\n- d')).toBe('<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>');
  });

  it('keeps fenced code verbatim with its language', () => {
    expect(html('```ts\nconst a = **1** < 2;\n```')).toBe(
      '<pre><code class="language-ts">const a = **1** &lt; 2;</code></pre>',
    );
  });

  it('renders quotes, rules, tables and line breaks', () => {
    expect(html('> quoted')).toBe('<blockquote><p>quoted</p></blockquote>');
    expect(html('---')).toBe('<hr>');
    expect(html('a | b\n---|---\n1 | 2')).toBe(
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
    );
    expect(html('line one\nline two')).toBe('<p>line one<br>line two</p>');
  });

  it('leaves snake_case words and lone markers alone', () => {
    expect(html('call get_user_id now')).toBe('<p>call get_user_id now</p>');
    expect(html('2 * 3 * 4')).toBe('<p>2 * 3 * 4</p>');
    expect(html('escaped \\*not italic\\*')).toBe('<p>escaped *not italic*</p>');
  });

  it('shows an image as a link instead of loading it', () => {
    expect(html('![chart](https://example.com/c.png)')).toBe(
      '<p><a href="https://example.com/c.png" target="_blank" rel="noopener noreferrer nofollow">[chart]</a></p>',
    );
    expect(html('![x](javascript:alert(1))')).toBe('<p>[x]</p>');
  });

  it('shows very long input as plain, escaped text', () => {
    const out = html(`**<b>${'a'.repeat(MAX_MARKDOWN_CHARS)}**`);
    expect(out.startsWith('<pre class="md-plain">**&lt;b&gt;')).toBe(true);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['  http://example.com/a b', 'http://example.com/a%20b'],
    ['javascript:alert(1)', undefined],
    ['mailto:a@b.c', undefined],
    ['/relative', undefined],
    ['', undefined],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});
