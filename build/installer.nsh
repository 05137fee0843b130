; NSIS additions for electron-builder (nsis.include in electron-builder.yml).
; The app registers itself to start at login with Electron's app.setLoginItemSettings, which writes a value
; named after the app id under HKCU\...\Run (main/app/loginItem.ts, LOGIN_ITEM_NAME). Uninstalling removes
; it, so Windows does not try to start a program that is gone. The data folder (%APPDATA%\Касса возвратов:
; the database with the refunds and their fiscal documents) is kept: nsis.deleteAppDataOnUninstall is false.
!macro customUnInstall
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "ru.refundcashier.app"
!macroend
