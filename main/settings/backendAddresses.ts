import type { SettingsInput } from '../../preload/contract';
import { AppError } from '../appError';
import { isLoopbackHost, isPrivateNetworkHost } from '../security/networkAddresses';
import { secretRefOf, type SecretField, type SecretRef, type StoredSettings } from './storedSettings';

/**
 * Where each back end's secret may be sent. Issue 16: anything holding the bridge token could save a new
 * LIFE POS address of its own, leave the key out, and the next connectivity probe sent
 * `Authorization: Bearer <key>` there. So a stored secret belongs to the address (scheme, host, port) it
 * was typed for: a save that moves the address drops the secret unless the same save types it again, and
 * the address is kept beside the secret's reference (`boundTo`), so a settings.json edited by hand to
 * another address gets no secret either (settingsStore withholds it).
 * And a secret never travels in clear over a network: an address off this computer must be https, except
 * a REGOS VCR on the store's own network (it speaks plain HTTP by design, BACKENDS.md "REGOS VCR"), and
 * only when the settings say so explicitly.
 */
type BackendAddresses = { lifepos: { baseUrl: string }; lifepay: { baseUrl: string }; regos: { url: string } };

interface BoundBackend {
  field: SecretField;
  name: string;
  address: (s: BackendAddresses) => string;
}

const BOUND: readonly BoundBackend[] = [
  { field: 'lifepos.token', name: 'LIFE POS', address: (s) => s.lifepos.baseUrl },
  { field: 'lifepay.apiKey', name: 'LIFE PAY', address: (s) => s.lifepay.baseUrl },
  { field: 'regos.password', name: 'REGOS', address: (s) => s.regos.url },
];

/** Scheme, host and port: what decides who receives the request. The path may change freely. */
function endpoint(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Where a secret's requests go with these settings; null for one that never leaves the computer (the printer's). */
export function secretEndpoint(s: BackendAddresses, field: SecretField): string | null {
  const b = BOUND.find((x) => x.field === field);
  return b ? endpoint(b.address(s)) : null;
}

/** A secret's reference bound to the endpoint its field reaches with settings `s`. */
export function bindRef(ref: NonNullable<SecretRef>, field: SecretField, s: BackendAddresses): NonNullable<SecretRef> {
  const at = secretEndpoint(s, field);
  return at === null ? { secretId: ref.secretId } : { secretId: ref.secretId, boundTo: at };
}

/** The secret may go where settings `s` send its field's requests (a reference from before binding: yes). */
export function isBoundHere(ref: NonNullable<SecretRef>, field: SecretField, s: BackendAddresses): boolean {
  const at = secretEndpoint(s, field);
  return ref.boundTo === undefined || at === null || ref.boundTo === at;
}

/**
 * The secrets that `input` would send to an address other than the one they were typed for: the address
 * recorded with the secret, or for a reference written before addresses were recorded, the stored one.
 */
export function secretsUnboundBy(previous: StoredSettings, input: SettingsInput): SecretField[] {
  return BOUND.filter((b) => (secretRefOf(previous, b.field)?.boundTo ?? endpoint(b.address(previous))) !== endpoint(b.address(input))).map((b) => b.field);
}

/** Throws AppError (Russian) when an address would carry a secret in clear or hides credentials in it. */
export function checkBackendAddresses(input: SettingsInput): void {
  for (const b of BOUND) {
    const u = new URL(b.address(input));
    if (u.username !== '' || u.password !== '') {
      throw refused(b.name, `Адрес ${b.name} содержит логин или пароль. Уберите их из адреса и введите в поля «Логин» и «Пароль»/«Ключ».`);
    }
    if (u.protocol === 'https:' || isLoopbackHost(u.hostname)) continue;
    if (b.field === 'regos.password' && input.regos.allowPlainHttpOnStoreNetwork) {
      if (isPrivateNetworkHost(u.hostname)) continue;
      throw refused(b.name, `Адрес REGOS по http разрешён только в сети магазина: укажите IP-адрес кассового сервера (например, 192.168.1.10) или адрес https://.`);
    }
    throw refused(
      b.name,
      b.field === 'regos.password'
        ? 'Адрес REGOS вне этого компьютера должен начинаться с https://. Если REGOS VCR работает в сети магазина без https, включите «REGOS в сети магазина по http» и укажите его IP-адрес.'
        : `Адрес ${b.name} должен начинаться с https://: по http ключ доступа передавался бы по сети открытым текстом. Исправьте адрес и сохраните снова.`,
    );
  }
}

function refused(name: string, message: string): AppError {
  return new AppError({ code: 'settings.insecure_address', message, retry: 'permanent', detail: `${name}: address refused` });
}
