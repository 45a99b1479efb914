/** A single-valued filter input that commits on Enter or blur. */
import { useEffect, useState } from 'react';

/** Props of {@link FilterInput}. */
export interface FilterInputProps {
  label: string;
  value: string | number | undefined;
  onChange: (value: string | undefined) => void;
  type?: 'text' | 'number';
  className?: string;
  placeholder?: string;
}

/** The input. */
export function FilterInput({
  label,
  value,
  onChange,
  type = 'text',
  className = '',
  placeholder = 'any',
}: FilterInputProps) {
  const shown = value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const commit = () => {
    const next = text.trim();
    if (next !== shown) onChange(next === '' ? undefined : next);
  };
  return (
    <label className={`field ${className}`}>
      {label}
      <input
        className="input"
        type={type}
        min={type === 'number' ? 0 : undefined}
        step="any"
        name={label.toLowerCase()}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}
