import type { Handlers } from '../preload/contract';
import { AppError } from './appError';
import { EventBus } from './eventBus';

/**
 * The composition root: builds every main-process service once and exposes them as the contract's
 * handlers. Electron (main/app) and the bridge server (main/server) both start here, so the code the
 * tests drive is the code that ships.
 */
export interface ServicesConfig {
  dataDir: string;
  version: string;
  trainingMode: boolean;
}

export interface Services {
  handlers: Handlers;
  bus: EventBus;
  close(): Promise<void>;
}

const notYet = (what: string) => async (): Promise<never> => {
  throw new AppError({ code: 'unavailable', message: `${what}: функция ещё не подключена`, retry: 'permanent' });
};

export async function createServices(config: ServicesConfig): Promise<Services> {
  const bus = new EventBus();
  const handlers: Handlers = {
    'app.status': async () => ({
      version: config.version,
      trainingMode: config.trainingMode,
      currency: 'RUB',
      backends: { lifepos: 'unknown', lifepay: 'unknown', regos: 'unknown' },
      printer: { state: 'unknown', message: 'Состояние принтера неизвестно' },
      shift: { state: 'unknown' },
    }),
    'sales.find': notYet('Поиск продажи'),
    'sales.get': notYet('Продажа'),
    'sales.recent': notYet('Последние продажи'),
    'refunds.preview': notYet('Возврат'),
    'refunds.confirm': notYet('Возврат'),
    'refunds.get': notYet('Возврат'),
    'refunds.list': notYet('Возвраты'),
    'refunds.reprint': notYet('Копия чека'),
    'sync.status': notYet('Синхронизация'),
    'sync.retry': notYet('Синхронизация'),
    'shift.status': notYet('Смена'),
    'shift.open': notYet('Смена'),
    'shift.xReport': notYet('X-отчёт'),
    'shift.close': notYet('Смена'),
    'printer.status': notYet('Принтер'),
    'settings.get': notYet('Настройки'),
    'settings.save': notYet('Настройки'),
    'settings.ports': notYet('Порты'),
    'training.simulate': notYet('Учебный режим'),
  };
  return { handlers, bus, close: async () => {} };
}
