import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../appError';
import { SETTINGS_VERSION, upgradeSettingsFile } from './settingsMigrations';
import { SettingsFile } from './storedSettings';

/** One settings file as read at start: upgraded to the current version when it was older. */
export type SettingsRead =
  | { kind: 'missing' }
  /** `text` is the file as it is on disk; `from` the version it had there, `added` what its upgrade filled in. */
  | { kind: 'ok'; file: SettingsFile; text: string; from: number; added: string[] }
  | { kind: 'invalid'; reason: string }
  | { kind: 'too-new'; version: number };

export function readSettingsFile(path: string): SettingsRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: `не читается (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // V8's JSON error quotes the text around the fault, which could be a hand-typed key: keep it out.
    return { kind: 'invalid', reason: 'не является JSON' };
  }
  const upgraded = upgradeSettingsFile(json);
  if (upgraded.kind !== 'ok') return upgraded;
  const parsed = SettingsFile.safeParse(upgraded.file);
  if (!parsed.success) return { kind: 'invalid', reason: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
  return { kind: 'ok', file: parsed.data, text, from: upgraded.from, added: upgraded.added };
}

/**
 * A file written by a newer version of the program is not damaged, and this version must neither run
 * on guessed settings nor save over it (that would drop what the newer version stored): it refuses to start.
 */
export function refuseNewerSettings<R extends SettingsRead>(read: R, path: string): asserts read is Exclude<R, { kind: 'too-new' }> {
  if (read.kind !== 'too-new') return;
  throw new AppError({
    code: 'SETTINGS_TOO_NEW',
    message:
      `Файл настроек ${path} сохранён более новой версией программы кассы (версия файла ${read.version}, эта программа знает до ${SETTINGS_VERSION}). ` +
      'Установите последнюю версию программы. Файл не изменён: не удаляйте и не правьте его.',
    retry: 'permanent',
    detail: `settings version ${read.version} > ${SETTINGS_VERSION}`,
  });
}
