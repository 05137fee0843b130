import type { AppError } from './appError';
import { isBackendError } from './backends/backendError';
import type { SaidError } from '../preload/contract';

/** An error inside a sentence for the cashier: the UI says it by its code (renderer/src/i18n/errorTexts.ts), quoting what a back end said. */
export const saidError = (e: AppError): SaidError => ({
  code: e.code,
  message: e.message,
  ...(isBackendError(e) && e.serviceText ? { quote: e.serviceText.slice(0, 500) } : {}),
});
