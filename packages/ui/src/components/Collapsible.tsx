/** Long content shown clipped with a "Show all" toggle. */
import { type ReactNode, useState } from 'react';

/** Clips children when `isLong`; the user can expand them. */
export function Collapsible({ isLong, children }: { isLong: boolean; children: ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  const isCollapsed = isLong && !isOpen;
  return (
    <>
      <div className={`collapsible ${isCollapsed ? 'is-collapsed' : ''}`}>{children}</div>
      {isLong && (
        <button type="button" className="btn ghost small more" onClick={() => setOpen(!isOpen)}>
          {isOpen ? 'Show less' : 'Show all'}
        </button>
      )}
    </>
  );
}
