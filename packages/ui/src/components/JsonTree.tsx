/** A collapsible JSON tree (objects and arrays fold; strings stay text). */
import { useState } from 'react';
import { CopyButton } from './CopyButton.tsx';

const MAX_ENTRIES = 200;

function Value({ value, depth, openDepth }: { value: unknown; depth: number; openDepth: number }) {
  if (value === null || value === undefined) return <span className="nullv">{String(value)}</span>;
  if (typeof value === 'string') return <span className="str">"{value}"</span>;
  if (typeof value === 'number' || typeof value === 'bigint')
    return <span className="numv">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="boolv">{String(value)}</span>;
  if (typeof value === 'object') return <Node value={value as object} depth={depth} openDepth={openDepth} />;
  return <span>{String(value)}</span>;
}

function Node({ value, depth, openDepth }: { value: object; depth: number; openDepth: number }) {
  const [isOpen, setOpen] = useState(depth < openDepth);
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return <span>{open + close}</span>;
  return (
    <>
      <button
        type="button"
        className="tog"
        onClick={() => setOpen(!isOpen)}
        aria-label={isOpen ? 'Fold' : 'Unfold'}
      >
        {isOpen ? '▾' : '▸'}
      </button>
      {open}
      {isOpen ? (
        <ul>
          {entries.slice(0, MAX_ENTRIES).map(([key, v]) => (
            <li key={key}>
              {!isArray && <span className="key">"{key}"</span>}
              {!isArray && ': '}
              <Value value={v} depth={depth + 1} openDepth={openDepth} />
            </li>
          ))}
          {entries.length > MAX_ENTRIES && <li className="faint">… {entries.length - MAX_ENTRIES} more</li>}
        </ul>
      ) : (
        <span className="faint">
          {' '}
          {entries.length} {isArray ? 'items' : 'keys'}{' '}
        </span>
      )}
      {close}
    </>
  );
}

/** Shows a value as a JSON tree with a copy button. */
export function JsonTree({
  value,
  openDepth = 2,
  isCopyable = true,
}: {
  value: unknown;
  openDepth?: number;
  isCopyable?: boolean;
}) {
  return (
    <div className="json" style={{ position: 'relative' }}>
      {isCopyable && (
        <div style={{ float: 'right' }}>
          <CopyButton text={JSON.stringify(value, null, 2) ?? String(value)} />
        </div>
      )}
      <Value value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}
