/**
 * Where API keys and passwords live. The Electron app keeps them encrypted with the OS key store
 * (main/app/safeStorageSecrets.ts); the plain-Node bridge server has no key store and refuses to keep
 * them unless the person explicitly allowed clear text (main/secrets/fileSecretStore.ts).
 * A secret value never appears in a log line, an error message or the settings view.
 */
export type SecretBackend =
  /** Encrypted with a key the OS keeps (DPAPI, Keychain, libsecret/kwallet). */
  | 'os'
  /** No OS key store; the person allowed storing secrets readable by anyone with the file. */
  | 'plaintext-allowed'
  /** No OS key store and no permission: set() refuses. */
  | 'unavailable';

export interface SecretStore {
  /** The stored value, or null when none is stored or it can no longer be decrypted. */
  get(id: string): string | null;
  /** Throws AppError `secrets.refused` when backend() is 'unavailable'. */
  set(id: string, value: string): void;
  delete(id: string): void;
  backend(): SecretBackend;
  /** SettingsInput.allowPlaintextSecrets: the person's explicit permission to store without an OS key store. */
  setPlaintextAllowed(allowed: boolean): void;
}
