/** A filter input with suggestions; several values are separated by commas. */
import { useEffect, useId, useState } from 'react';

/** Props of {@link FacetInput}. */
export interface FacetInputProps {
  label: string;
  values: readonly string[] | undefined;
  suggestions?: readonly string[];
  onChange: (values: string[]) => void;
  /** Called when the input gets focus (to load suggestions lazily). */
  onFocus?: () => void;
  className?: string;
  placeholder?: string;
}

/** Splits `a, b ,c` into `['a', 'b', 'c']`. */
export function splitValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** A comma-separated multi-value input with a datalist. */
export function FacetInput({
  label,
  values,
  suggestions = [],
  onChange,
  onFocus,
  className = '',
  placeholder = 'any',
}: FacetInputProps) {
  const listId = useId();
  const joined = (values ?? []).join(', ');
  const [text, setText] = useState(joined);
  useEffect(() => setText(joined), [joined]);
  const commit = (value = text) => {
    const next = splitValues(value);
    if (next.join(', ') !== joined) onChange(next);
  };
  return (
    <label className={`field ${className}`}>
      {label}
      <input
        className="input"
        list={listId}
        value={text}
        placeholder={placeholder}
        name={label.toLowerCase()}
        onChange={(e) => {
          setText(e.target.value);
          // Picking a datalist option fires an input event without typing: commit it at once.
          const native = e.nativeEvent as InputEvent;
          if (native.inputType === undefined || native.inputType === 'insertReplacementText')
            commit(e.target.value);
        }}
        onFocus={onFocus}
        onBlur={() => commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </label>
  );
}
