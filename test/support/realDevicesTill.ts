import { join } from 'node:path';
import { LIFE_POS_DEMO_ORG, LIFE_POS_DEMO_TOKEN } from '../../emulators/lifepos/server';
import { createLogger } from '../../main/log/logger';
import { createFileSecretStore } from '../../main/secrets/fileSecretStore';
import { createSettingsStore } from '../../main/settings/settingsStore';

/**
 * A data folder set up as a store would set up a real till: the printer on a serial port (a socat pty
 * in tests), LIFE POS at the given address with the emulator's demo organisation and token, LIFE PAY
 * and REGOS off, training mode off. Written through the settings store, as the settings screen does.
 */
export function configureRealDevicesTill(dataDir: string, till: { printerPath: string; baudRate: number; lifeposUrl: string }): void {
  const log = createLogger({ dir: join(dataDir, 'logs') });
  const secrets = createFileSecretStore({ file: join(dataDir, 'secrets.json'), log, plaintextAllowed: true });
  const store = createSettingsStore({ dir: dataDir, secrets, log });
  const { secretStorage: _where, ...view } = store.toView();
  store.save({
    ...view,
    trainingMode: false,
    fiscal: { ...view.fiscal, port: till.printerPath, baudRate: till.baudRate, operatorPassword: undefined },
    lifepos: { ...view.lifepos, enabled: true, baseUrl: till.lifeposUrl, orgGuid: LIFE_POS_DEMO_ORG, clientId: 'test-till', token: LIFE_POS_DEMO_TOKEN },
    lifepay: { ...view.lifepay, enabled: false, apiKey: undefined },
    regos: { ...view.regos, enabled: false, password: undefined },
    allowPlaintextSecrets: true,
  });
}
