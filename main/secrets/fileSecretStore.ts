import type { Logger } from '../log/logger';
import { createEncodedSecretStore } from './encodedSecretStore';
import type { SecretStore } from './secretStore';

/**
 * The bridge server's secret store under plain Node: there is no OS key store to borrow, and home-made
 * encryption with a key kept beside the data would only pretend. So it refuses to store secrets unless
 * the person allowed clear text (SettingsInput.allowPlaintextSecrets); then the file is mode 0600 and
 * every write logs a warning saying so.
 */
export interface FileSecretStoreOptions {
  /** Normally `<data folder>/secrets.json`. */
  file: string;
  log: Logger;
  plaintextAllowed?: boolean;
}

export function createFileSecretStore(opts: FileSecretStoreOptions): SecretStore {
  return createEncodedSecretStore({
    file: opts.file,
    log: opts.log,
    ...(opts.plaintextAllowed === undefined ? {} : { plaintextAllowed: opts.plaintextAllowed }),
    codec: { encode: (value) => value, decode: (stored) => stored },
    protection: () => 'plaintext',
  });
}
