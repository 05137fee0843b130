import type { ErrorPayload } from '../../../preload/contract';

/** The cashier reads the message; the store's IT person reads the small code line. */
export function ErrorBox({ error, hint }: { error: ErrorPayload; hint?: string }) {
  return (
    <div className="error-box" role="alert">
      <p className="error-message">{error.message}</p>
      {hint && <p className="error-hint">{hint}</p>}
      <p className="error-code">
        Код для IT: {error.code}
        {error.deviceCode !== undefined ? ` · код устройства ${error.deviceCode} (0x${error.deviceCode.toString(16).padStart(2, '0')})` : ''}
        {error.detail ? ` · ${error.detail}` : ''}
      </p>
    </div>
  );
}
