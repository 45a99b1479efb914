/**
 * The controls of the console's forms: labelled text and select fields, the submit button that
 * says it is busy, a field's problem and the "saved" note.
 */
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes } from 'react';
import type { SaveStatus } from '../lib/use-action.ts';

/** How wide a field is in a form row: as its content (default), all the room left, or narrow. */
export type FieldWidth = 'grow' | 'narrow';

const fieldClass = (width: FieldWidth | undefined) => (width ? `field ${width}` : 'field');

/** Props of {@link TextField}: the input's own, less `onChange`. */
export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: ReactNode;
  width?: FieldWidth;
  /** Called with the new value. */
  onValue: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
};

/** A labelled input (`className` replaces the input's `input` class). */
export function TextField({ label, width, onValue, ...input }: TextFieldProps) {
  return (
    <label className={fieldClass(width)}>
      {label}
      <input className="input" {...input} onChange={(e) => onValue(e.target.value)} />
    </label>
  );
}

/** Options of a select: values shown as they are, or `[value, label]` pairs. */
export type Options<T extends string> = readonly (T | readonly [T, string])[];

/** Props of {@link OptionSelect}: the select's own, less `value` and `onChange`. */
export type OptionSelectProps<T extends string> = Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'value' | 'onChange'
> & {
  options: Options<T>;
  value: T;
  onValue: (value: T) => void;
};

/** A select of fixed options (`className` replaces the `select` class, e.g. `select small` in tables). */
export function OptionSelect<T extends string>({ options, value, onValue, ...select }: OptionSelectProps<T>) {
  return (
    <select className="select" {...select} value={value} onChange={(e) => onValue(e.target.value as T)}>
      {options.map((option) => {
        const [optionValue, label] = typeof option === 'string' ? [option, option] : option;
        return (
          <option key={optionValue} value={optionValue}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

/** A labelled {@link OptionSelect}. */
export function SelectField<T extends string>({
  label,
  width,
  ...select
}: OptionSelectProps<T> & { label: ReactNode; width?: FieldWidth }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: OptionSelect renders the select inside the label
    <label className={fieldClass(width)}>
      {label}
      <OptionSelect {...select} />
    </label>
  );
}

/** A form's submit button: `busyLabel` while its request runs, disabled meanwhile. */
export function SubmitButton({
  isBusy,
  busyLabel,
  isDisabled = false,
  title,
  children,
}: {
  isBusy: boolean;
  busyLabel: string;
  isDisabled?: boolean;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className="btn primary" disabled={isBusy || isDisabled} title={title}>
      {isBusy ? busyLabel : children}
    </button>
  );
}

/** Props of {@link FormActions}. */
export interface FormActionsProps {
  /** Closes the form without submitting it. */
  onCancel: () => void;
  cancelLabel?: string;
  isBusy: boolean;
  busyLabel: string;
  isDisabled?: boolean;
  /** The submit button's label. */
  children: ReactNode;
}

/** A form's last row, at the right: the button that closes it without submitting, then {@link SubmitButton}. */
export function FormActions({
  onCancel,
  cancelLabel = 'Cancel',
  isBusy,
  busyLabel,
  isDisabled,
  children,
}: FormActionsProps) {
  return (
    <div className="row" style={{ justifyContent: 'flex-end' }}>
      <button type="button" className="btn" onClick={onCancel}>
        {cancelLabel}
      </button>
      <SubmitButton isBusy={isBusy} busyLabel={busyLabel} isDisabled={isDisabled}>
        {children}
      </SubmitButton>
    </div>
  );
}

/** What is wrong with a field's value, announced as it appears. */
export function FieldError({ children }: { children: ReactNode }) {
  return (
    <div className="field-error" role="alert">
      {children}
    </div>
  );
}

/** "Saved" (or `children`) once a settings form has saved. */
export function SavedNote({ status, children = 'Saved' }: { status: SaveStatus; children?: ReactNode }) {
  if (status !== 'saved') return null;
  return (
    <span className="ok-text" role="status">
      {children}
    </span>
  );
}
