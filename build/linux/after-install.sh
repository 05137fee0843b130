#!/bin/bash
# deb postinst. electron-builder fills in ${executable} and ${sanitizedProductName}. A custom script
# replaces electron-builder's own (app-builder-lib templates/linux/after-install.tpl), so it also does the
# two steps of that one the app needs: the command in /usr/bin (the systemd user unit starts it there)
# and the permissions of Chromium's sandbox helper.
ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
# The setuid sandbox helper is needed only where the kernel offers no unprivileged user namespaces.
if [[ -L /proc/self/ns/user ]] && unshare --user true 2>/dev/null; then
  chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
  chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

# Apply the fiscal printer udev rule without a reboot.
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty || true
fi

# The systemd user unit (start on login, restart after a crash) is enabled per user by the app itself,
# following its "autostart" setting; user managers that are running see the new unit file after a reload.
exit 0
