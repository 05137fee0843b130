import { FUNCTION_KEYS, type KeyHint } from '../keys/keymap';

/** The function keys, the same on every screen, then what Enter and the other keys do here. */
export function KeyBar({ local }: { local: readonly KeyHint[] }) {
  return (
    <footer className="key-bar" aria-label="Клавиши">
      <ul>
        {local.map((k) => (
          <li key={`l-${k.key}`} className="key-local"><kbd>{k.key}</kbd> {k.label}</li>
        ))}
        {FUNCTION_KEYS.map((k) => (
          <li key={k.key}><kbd>{k.key}</kbd> {k.label}</li>
        ))}
      </ul>
    </footer>
  );
}
