import type { Page } from 'playwright-core';

/** How far apart a keyboard-wedge scanner sends its keys (renderer/src/keys/scannerBurst.ts: people are slower than 40 ms). */
const SCANNER_GAP_S = 0.008;

/**
 * Types `code` and Enter the way a keyboard-wedge scanner does: each key 8 ms after the one before. The
 * keys go through CDP with the time the device would give them, so the browser's own round trips on a
 * loaded machine cannot make a scan look typed by hand.
 */
export async function scan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const start = Date.now() / 1000;
    const keys = [...code].map((ch) => ({ key: ch, text: ch })).concat({ key: 'Enter', text: '\r' });
    for (const [i, k] of keys.entries()) {
      const timestamp = start + i * SCANNER_GAP_S;
      const enter = k.key === 'Enter' ? { code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 } : {};
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k.key, text: k.text, unmodifiedText: k.text, timestamp, ...enter });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, timestamp: timestamp + 0.002, ...enter });
    }
  } finally {
    await cdp.detach();
  }
}
