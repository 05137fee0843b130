import { describe, expect, it } from 'vitest';
import { shellOptions } from './shellOptions';

describe('shell options from the settings', () => {
  it('auto: kiosk and start on login in a packaged build, neither under npm start; DevTools the other way round', () => {
    const auto = { kiosk: 'auto', autostart: 'auto', devTools: false } as const;
    expect(shellOptions(auto, true)).toEqual({ kiosk: true, autostart: true, devTools: false });
    expect(shellOptions(auto, false)).toEqual({ kiosk: false, autostart: false, devTools: true });
  });

  it('on and off win over the build kind; the debug setting turns DevTools on in a packaged build', () => {
    expect(shellOptions({ kiosk: 'off', autostart: 'off', devTools: true }, true)).toEqual({ kiosk: false, autostart: false, devTools: true });
    expect(shellOptions({ kiosk: 'on', autostart: 'on', devTools: false }, false)).toEqual({ kiosk: true, autostart: true, devTools: true });
  });
});
