import type { ShellSwitch } from '../../preload/contract';

/** The shell settings in force: 'auto' is on in a packaged build (a store terminal), off under `npm start`. */
export interface ShellOptions {
  kiosk: boolean;
  autostart: boolean;
  /** A development build always has DevTools; a packaged one only with the debug setting. */
  devTools: boolean;
}

export function shellOptions(s: { kiosk: ShellSwitch; autostart: ShellSwitch; devTools: boolean }, packaged: boolean): ShellOptions {
  const on = (value: ShellSwitch) => value === 'on' || (value === 'auto' && packaged);
  return { kiosk: on(s.kiosk), autostart: on(s.autostart), devTools: !packaged || s.devTools };
}
