import { readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../appError';
import type { Logger } from '../log/logger';
import { writeFileAtomic } from '../settings/atomicWrite';
import type { SecretBackend, SecretStore } from './secretStore';

/**
 * A secret store over one JSON file of encoded values. The encoding is the only thing that differs
 * between Electron (safeStorage ciphertext, base64) and plain Node (the value itself): refusal rules,
 * file handling and logging are shared, and testable without Electron.
 */
export interface SecretCodec {
  encode(value: string): string;
  decode(stored: string): string;
}

/** What protects an encoded value right now: an OS key, nothing (clear text or a fixed key), or no codec at all. */
export type SecretProtection = 'os' | 'plaintext' | 'none';

export interface EncodedSecretStoreOptions {
  file: string;
  codec: SecretCodec;
  protection: () => SecretProtection;
  log: Logger;
  plaintextAllowed?: boolean;
}

const SecretFile = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) }).strict();
const SecretIdPattern = /^[a-z][\w.-]{0,63}$/i;

export const REFUSED_MESSAGE =
  'Ключи и пароли не сохранены: на этом компьютере нет защищённого хранилища паролей. ' +
  'Разрешите хранение без шифрования в настройках, только если к компьютеру нет доступа посторонних.';

export function createEncodedSecretStore(opts: EncodedSecretStoreOptions): SecretStore {
  let plaintextAllowed = opts.plaintextAllowed ?? false;
  let cache: Record<string, string> | null = null;

  const backend = (): SecretBackend => {
    const protection = opts.protection();
    if (protection === 'os') return 'os';
    return protection === 'plaintext' && plaintextAllowed ? 'plaintext-allowed' : 'unavailable';
  };

  const load = (): Record<string, string> => {
    if (cache) return cache;
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(e);
      cache = {};
      return cache;
    }
    const parsed = SecretFile.safeParse(parseJson(text));
    if (!parsed.success) {
      // The content may hold secrets: log where and why, never what.
      opts.log.error('secrets file is damaged; stored keys must be entered again', { file: opts.file });
      cache = {};
      return cache;
    }
    cache = { ...parsed.data.secrets };
    return cache;
  };

  const save = (secrets: Record<string, string>) => {
    writeFileAtomic(opts.file, JSON.stringify({ version: 1, secrets }, null, 2), 0o600);
    cache = secrets;
  };

  return {
    backend,
    setPlaintextAllowed(allowed) {
      plaintextAllowed = allowed;
    },
    get(id) {
      checkId(id);
      const stored = load()[id];
      if (stored === undefined) return null;
      try {
        const value = opts.codec.decode(stored);
        opts.log.addSecret(value);
        return value;
      } catch (e) {
        opts.log.warn('stored secret cannot be decrypted; it must be entered again', { id, error: errorText(e) });
        return null;
      }
    },
    set(id, value) {
      checkId(id);
      opts.log.addSecret(value);
      const mode = backend();
      if (mode === 'unavailable') {
        throw new AppError({ code: 'secrets.refused', message: REFUSED_MESSAGE, retry: 'permanent', detail: `no OS key store for secret ${id}; allowPlaintextSecrets is off` });
      }
      let encoded: string;
      try {
        encoded = opts.codec.encode(value);
      } catch (e) {
        throw new AppError({ code: 'secrets.encrypt_failed', message: 'Не удалось зашифровать ключ или пароль', retry: 'permanent', detail: errorText(e) });
      }
      save({ ...load(), [id]: encoded });
      if (mode === 'plaintext-allowed') {
        opts.log.warn('secret stored WITHOUT OS encryption, as the person allowed: anyone who can read the file can read it', { id, file: opts.file, fileMode: '0600' });
      }
    },
    delete(id) {
      checkId(id);
      const current = load();
      if (!(id in current)) return;
      const { [id]: _removed, ...rest } = current;
      if (Object.keys(rest).length === 0) {
        rmSync(opts.file, { force: true });
        cache = {};
      } else {
        save(rest);
      }
    },
  };
}

function checkId(id: string): void {
  if (!SecretIdPattern.test(id)) throw new AppError({ code: 'secrets.bad_id', message: 'Внутренняя ошибка: неверное имя ключа', detail: id.slice(0, 64) });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unreadable(e: unknown): AppError {
  return new AppError({ code: 'secrets.unreadable', message: 'Не удалось прочитать хранилище ключей', retry: 'permanent', detail: errorText(e) });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
