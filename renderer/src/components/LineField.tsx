import type { KeyboardEvent } from 'react';

/** One text field of a typed line (useLineEntry): labelled, no autocomplete, Enter handled by the form. */
export function LineField({ id, label, value, onChange, onKeyDown, inputMode, primary }: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  inputMode?: 'numeric' | 'decimal';
  primary?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-primary={primary ? true : undefined}
        autoFocus={primary}
        autoComplete="off"
        spellCheck={false}
        inputMode={inputMode}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
