/** The keyboard shortcut sheet (opened with `?`). */

/** Every shortcut, for the sheet and docs/console.md. */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['/', 'Focus the search box'],
  ['r', 'Refresh the page data'],
  ['t', 'Toggle dark / light theme'],
  ['?', 'Show this help'],
  ['j / ↓', 'Trace view: next span'],
  ['k / ↑', 'Trace view: previous span'],
  ['← / h', 'Trace view: collapse, or go to the parent'],
  ['→ / l', 'Trace view: expand, or go to the first child'],
  ['Esc', 'Close this help; trace view: back to the explorer'],
];

/** The help overlay. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div
      className="popover"
      role="dialog"
      aria-label="Keyboard shortcuts"
      style={{ position: 'fixed', right: 24, bottom: 24, width: 360 }}
    >
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: 6 }}>
        <strong>Keyboard shortcuts</strong>
        <button type="button" className="btn ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="kv-grid">
        {SHORTCUTS.map(([key, what]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>
              <code>{key}</code>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
