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

/**
 * Key hints carry a catalogue key as their label (keys/keymap.ts KeyHint); a text that is not a key is
 * shown as it is, so a hint added without one still shows (catalogue.test.ts lists the screens' hints).
 */
export function isMessageKey(label: string): label is MessageKey {
  return Object.hasOwn(ru, label);
}
export const hintText = (t: Translate, label: string): string => (isMessageKey(label) ? (t as (key: MessageKey) => string)(label) : label);

/** Key names written in words in a hint (the hint's `key` stays its identity; only what is shown changes). */
const KEY_NAMES: Readonly<Record<string, MessageKey>> = { 'Пробел': 'key.space', 'Enter на пустом наименовании': 'entry.keyEmptyName' };
export const keyName = (t: Translate, key: string): string => {
  const name = KEY_NAMES[key];
  return name ? (t as (key: MessageKey) => string)(name) : key;
};
