/** Picks which explorer columns are shown (kept in the URL's `cols`). */
import { useEffect, useRef, useState } from 'react';
import { Icons } from '../../components/Icons.tsx';

/** Props of {@link ColumnChooser}. */
export interface ColumnChooserProps {
  all: { id: string; label: string }[];
  visible: string[];
  onChange: (ids: string[] | undefined) => void;
}

/** A popover with one checkbox per column. */
export function ColumnChooser({ all, visible, onChange }: ColumnChooserProps) {
  const [isOpen, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [isOpen]);
  const toggle = (id: string) => {
    const next = visible.includes(id)
      ? visible.filter((v) => v !== id)
      : all.map((c) => c.id).filter((c) => c === id || visible.includes(c));
    if (next.length > 0) onChange(next);
  };
  return (
    <div className="relative" ref={ref}>
      <button type="button" className="btn" onClick={() => setOpen(!isOpen)} aria-expanded={isOpen}>
        <Icons.columns /> Columns
      </button>
      {isOpen && (
        <div className="popover" style={{ right: 0 }}>
          <div className="checklist">
            {all.map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={visible.includes(c.id)} onChange={() => toggle(c.id)} />
                {c.label || c.id}
              </label>
            ))}
          </div>
          <button
            type="button"
            className="btn small"
            style={{ marginTop: 8 }}
            onClick={() => onChange(undefined)}
          >
            Reset to default
          </button>
        </div>
      )}
    </div>
  );
}
