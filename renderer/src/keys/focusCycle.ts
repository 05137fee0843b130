/**
 * Tab and Shift+Tab stay inside what is on screen (issue 19 point 7): past the last field focus goes
 * back to the first, never to the page body or the browser's own bar, where no focus shows.
 */
const TABBABLE = [
  'a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type=hidden])', 'select:not([disabled])',
  'textarea:not([disabled])', '[tabindex]:not([tabindex="-1"])',
].join(',');

const tabbables = (layer: HTMLElement) =>
  [...layer.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[inert]') && el.getClientRects().length > 0);

/**
 * Moves focus to the next (or previous) control of `layer`, wrapping around; with none, to the layer's
 * primary element. The caller prevents the browser's own Tab, which would leave the page.
 */
export function tabInside(layer: HTMLElement, backwards: boolean, active: Element | null): void {
  const list = tabbables(layer);
  if (list.length === 0) {
    layer.querySelector<HTMLElement>('[data-primary]')?.focus();
    return;
  }
  const at = active instanceof HTMLElement ? list.indexOf(active) : -1;
  const next = at < 0 ? (backwards ? list.length - 1 : 0) : (at + (backwards ? -1 : 1) + list.length) % list.length;
  list[next]?.focus();
}
