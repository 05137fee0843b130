/**
 * What a catalogue entry may be: a plain text, or a function of the values it names (a number, an
 * amount already formatted). Russian (ru.ts) is the reference: its keys and argument types are the
 * catalogue's type, so a key missing from another language, or one taking other arguments, does not
 * compile (uz.ts is declared as `Messages`).
 */
export type Message = string | ((args: never) => string);
export type MessageTable = Record<string, Message>;
