/**
 * Who may talk to the main process and where the window may go. Kept out of main/app so it runs, and is
 * tested, under plain Node. Node's WHATWG URL gives a custom scheme an opaque origin ("null"), whatever
 * Chromium thinks of it, so these checks compare scheme and host, never `URL.origin`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cashier';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

export interface IpcSender {
  /** webContents id of our window, or null when it is gone. */
  windowContentsId: number | null;
  senderContentsId: number;
  /** The sending frame is our window's main frame (not an iframe, not another window). */
  isMainFrame: boolean;
  frameUrl: string | null;
}

/** Electron security checklist item 17: every IPC message comes from our own page, main frame, app://. */
export function isTrustedIpcSender(s: IpcSender): boolean {
  return s.windowContentsId !== null && s.windowContentsId === s.senderContentsId && s.isMainFrame && s.frameUrl !== null && isAppUrl(s.frameUrl);
}

/** The only requests the window's session lets through: our own page, and DevTools for a technician. */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('devtools://') || url.startsWith('data:');
}
