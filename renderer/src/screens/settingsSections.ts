import { useCallback, useRef, useState, type KeyboardEvent } from 'react';

/**
 * F9 by keys (issue 19 point 6): Alt+1…9 jumps to a section (the form's top-level fieldsets, in order),
 * Ctrl+S saves from any field. The section names are read from the legends the form shows when it
 * mounts, so a section another issue adds is reachable without a list kept here.
 */
export const MAX_SECTIONS = 9;
const CONTROL = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

const sectionsOf = (form: HTMLFormElement | null) => [...(form?.querySelectorAll<HTMLFieldSetElement>(':scope > fieldset') ?? [])].slice(0, MAX_SECTIONS);

export function useSettingsSections(): {
  formRef(el: HTMLFormElement | null): void;
  sections: string[];
  onKeyDown(e: KeyboardEvent): void;
} {
  const form = useRef<HTMLFormElement | null>(null);
  const [sections, setSections] = useState<string[]>([]);
  const formRef = useCallback((el: HTMLFormElement | null) => {
    form.current = el;
    if (el) setSections(sectionsOf(el).map((f) => f.querySelector('legend')?.textContent ?? ''));
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      form.current?.requestSubmit();
      return;
    }
    if (!e.altKey || e.ctrlKey || !/^[1-9]$/.test(e.key)) return;
    const target = sectionsOf(form.current)[Number(e.key) - 1]?.querySelector<HTMLElement>(CONTROL);
    if (!target) return;
    e.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'start' });
  };
  return { formRef, sections, onKeyDown };
}
