/**
 * Names the OS knows the app's start-on-login by, shared with the packaging files that must agree:
 * the Windows login item's value under HKCU\…\Run (build/installer.nsh removes it on uninstall; the app id
 * of electron-builder.yml) and the systemd user unit (build/linux/, installed by the deb).
 */
export const LOGIN_ITEM_NAME = 'ru.refundcashier.app';
export const SYSTEMD_UNIT = 'refund-cashier.service';
