/** A button that copies text to the clipboard and confirms. */
import { useState } from 'react';
import { Icons } from './Icons.tsx';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain-http hosts have no Clipboard API: fall back to a hidden textarea.
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** Copies `text` on click. */
export function CopyButton({
  text,
  label = 'Copy',
  className = '',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [isDone, setDone] = useState(false);
  const onClick = () => {
    copyText(text).then(
      () => {
        setDone(true);
        window.setTimeout(() => setDone(false), 1200);
      },
      () => setDone(false),
    );
  };
  return (
    <button
      type="button"
      className={`btn ghost small ${className}`}
      onClick={onClick}
      title={label}
      aria-label={label}
    >
      {isDone ? <Icons.check /> : <Icons.copy />}
      {isDone ? 'Copied' : label}
    </button>
  );
}
