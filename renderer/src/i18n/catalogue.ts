import type { UiLanguage } from '../../../preload/contract';
import { ru } from './ru';
import { uz } from './uz';

export type Messages = typeof ru;
export type MessageKey = keyof Messages;
/** A message's argument object, or none for a plain text. */
type ArgsOf<K extends MessageKey> = Messages[K] extends (args: infer A) => string ? [args: A] : [];
export type Translate = <K extends MessageKey>(key: K, ...args: ArgsOf<K>) => string;

export const CATALOGUES: Record<UiLanguage, Messages> = { ru, uz };

export function translator(language: UiLanguage): Translate {
  const table = CATALOGUES[language];
  return (key, ...args) => {
    const message: unknown = table[key];
    return typeof message === 'function' ? (message as (a: unknown) => string)(args[0]) : (message as string);
  };
}
