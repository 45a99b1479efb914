/** Links from untrusted text (model output, catalog sources): absolute http(s) only. */

/**
 * Returns an absolute http(s) URL, or undefined for anything else (`javascript:`, `data:`,
 * relative paths, malformed input).
 */
export function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
