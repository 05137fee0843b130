import { useState, type KeyboardEvent } from 'react';

/** Enter on a field: the key goes no further (the screen's own Enter would act on it too). */
export function onEnter(action: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    action();
  };
}

/**
 * Typing lines from paper, shared by the REGOS receipt entry and the refund without a receipt: Enter moves
 * from field to field, Enter on the last adds the checked line and starts the next one at its name, and
 * Enter on an empty name (once a line exists) goes on to `next`. Field ids are `${prefix}-${field}`.
 */
export function useLineEntry<F extends string, D extends { name: string }, L>(opts: {
  prefix: string;
  fields: readonly F[];
  emptyDraft: () => D;
  check(draft: D): { line: L } | { problem: string };
  /** What the lines typed so far forbid for this one (e.g. more than the receipt's total), or null. */
  refuse?(line: L, lines: readonly L[]): string | null;
  next: string;
}) {
  const [lines, setLines] = useState<L[]>([]);
  const [draft, setDraft] = useState<D>(opts.emptyDraft);
  const [problem, setProblem] = useState<string | null>(null);
  const focus = (id: string) => document.getElementById(`${opts.prefix}-${id}`)?.focus();

  const onFieldKey = (e: KeyboardEvent<HTMLElement>) => {
    const field = opts.fields.find((f) => `${opts.prefix}-${f}` === e.currentTarget.id);
    onEnter(() => {
      if (!field) return;
      if (field === opts.fields[0] && draft.name.trim() === '' && lines.length > 0) return focus(opts.next);
      const following = opts.fields[opts.fields.indexOf(field) + 1];
      if (following) return focus(following);
      const checked = opts.check(draft);
      if ('problem' in checked) return setProblem(checked.problem);
      const refused = opts.refuse?.(checked.line, lines) ?? null;
      if (refused) return setProblem(refused);
      setLines([...lines, checked.line]);
      setDraft(opts.emptyDraft());
      setProblem(null);
      focus(opts.fields[0] as string);
    })(e);
  };

  return { lines, draft, setDraft, problem, setProblem, focus, onFieldKey };
}
