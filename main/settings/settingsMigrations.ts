import { DEFAULT_VAT_GROUPS_2026 } from '../../preload/contract';
import { AppError } from '../appError';
import { DEFAULT_RETENTION } from './retentionSettings';

/**
 * Versioned upgrades of settings.json (VS Code's habit: versioned steps, a person's file never thrown
 * away). A file carries `version`; each step below takes a file of the version before it to its own.
 *
 * Never a silent default: each step names every field its version introduced and the value an older
 * file gets for it, and a file that claims a version must hold every field introduced up to that
 * version, or it is damaged (settingsStore.ts then falls back to the last good copy). A file newer than
 * this program is neither upgraded nor treated as damaged: the caller refuses to start with it and
 * leaves it untouched, since saving over it would drop what the newer version stored.
 *
 * A new setting: a new step (or, before a release, one more field in the newest step), plus a fixture
 * file of the version before it in test/fixtures/settings/.
 */
export interface SettingsStep {
  /** The version a file has after this step: 2, 3, … with no gaps (version 1 is the first format). */
  version: number;
  name: string;
  /**
   * Dotted paths into `settings` → the value a file of the previous version gets. A field the older file
   * already holds (written by a build between releases) keeps its value.
   */
  introduces: Readonly<Record<string, unknown>>;
  /** A change that is more than new fields (a rename, a new unit), run after `introduces` is applied. */
  transform?: (settings: Record<string, unknown>) => Record<string, unknown>;
}

export const settingsSteps: readonly SettingsStep[] = [
  {
    version: 2,
    name: 'VAT groups for every file, shell switches, REGOS on the store network, retention',
    introduces: {
      // Version 1 files from before the VAT groups setting have none: automatic (the device's own tax table).
      'fiscal.vatGroups': DEFAULT_VAT_GROUPS_2026,
      'regos.allowPlainHttpOnStoreNetwork': false,
      kiosk: 'auto',
      autostart: 'auto',
      devTools: false,
      retention: DEFAULT_RETENTION,
    },
    transform: automaticVatGroupsForTheOldDefault,
  },
  {
    version: 3,
    name: 'UI language, time zone, REGOS-only till (issue 15); the store\'s support contact (issue 19)',
    introduces: {
      // Every earlier file was written by a Russian-only program on a till with a fiscal printer.
      language: 'ru',
      timeZone: '',
      till: 'fiscalPrinter',
      // No earlier file named anyone to call: the F4 panel then says to call the store's administrator.
      supportContact: '',
      // Marked goods (issue 21): earlier programs printed no codes; the strict rule (scan each item) applies.
      markingCodesFromSale: false,
    },
  },
  {
    version: 4,
    name: 'Fiscal protocol: Shtrih-M, ATOL or detected at connect (issue 18)',
    introduces: {
      // Every earlier program spoke Shtrih-M only: an existing till keeps talking to the same device.
      'fiscal.protocol': 'shtrih',
    },
  },
];

export const SETTINGS_VERSION = 1 + settingsSteps.length;

/**
 * Version 1 wrote { 22 % → 1, 22/122 → 5, … } as its default groups, which on 2026 firmware prints 22 % under
 * the 20 % group (main/fiscal/shtrih/PROTOCOL.md §VAT 2026). A file holding exactly that map never chose it: it
 * becomes automatic (empty: the device's own tax table decides). A store's own map is kept.
 */
function automaticVatGroupsForTheOldDefault(settings: Record<string, unknown>): Record<string, unknown> {
  const fiscal = settings.fiscal;
  if (!isRecord(fiscal) || !isRecord(fiscal.vatGroups) || sortedJson(fiscal.vatGroups) !== VERSION_1_DEFAULT_VAT_GROUPS) return settings;
  return { ...settings, fiscal: { ...fiscal, vatGroups: {} } };
}
const VERSION_1_DEFAULT_VAT_GROUPS = '{"none":4,"vat0":3,"vat10":2,"vat110":6,"vat122":5,"vat22":1}';
const sortedJson = (v: object): string => JSON.stringify(Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))));

export type UpgradeResult =
  /** `file` is shaped as the current version (still to be checked by its zod schema). */
  | { kind: 'ok'; file: Record<string, unknown>; from: number; added: string[] }
  | { kind: 'too-new'; version: number }
  | { kind: 'invalid'; reason: string };

/** Brings a parsed settings file to the current version, or says why it cannot. */
export function upgradeSettingsFile(json: unknown, steps: readonly SettingsStep[] = settingsSteps): UpgradeResult {
  checkStepList(steps);
  const latest = 1 + steps.length;
  if (!isRecord(json)) return { kind: 'invalid', reason: 'не объект JSON' };
  const from = json.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) return { kind: 'invalid', reason: `version: ${JSON.stringify(from) ?? 'нет'}` };
  if (from > latest) return { kind: 'too-new', version: from };
  if (!isRecord(json.settings)) return { kind: 'invalid', reason: 'settings: нет объекта настроек' };

  // A file of version v must already hold what versions up to v introduced.
  const missing = steps.filter((s) => s.version <= from).flatMap((s) => Object.keys(s.introduces)).filter((path) => !has(json.settings, path));
  if (missing.length > 0) return { kind: 'invalid', reason: `версия ${from}, но нет полей: ${missing.join(', ')}` };

  let settings: Record<string, unknown> = structuredClone(json.settings);
  const added: string[] = [];
  for (const step of steps.filter((s) => s.version > from)) {
    for (const [path, value] of Object.entries(step.introduces)) {
      if (has(settings, path)) continue;
      const parent = parentOf(settings, path);
      if (!parent) return { kind: 'invalid', reason: `${path}: нет раздела ${path.split('.').slice(0, -1).join('.')}` };
      parent.obj[parent.key] = structuredClone(value);
      added.push(path);
    }
    if (step.transform) settings = step.transform(settings);
  }
  return { kind: 'ok', file: { ...json, version: latest, settings }, from, added };
}

function checkStepList(steps: readonly SettingsStep[]): void {
  steps.forEach((s, i) => {
    if (s.version !== i + 2) {
      throw new AppError({
        code: 'SETTINGS_STEPS_INVALID',
        message: 'Внутренняя ошибка программы: нарушен порядок обновлений файла настроек. Обратитесь в поддержку.',
        detail: `settings step #${i} "${s.name}" has version ${s.version}, expected ${i + 2}`,
      });
    }
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(root: unknown, path: string): boolean {
  const parent = parentOf(root, path);
  return parent !== null && Object.hasOwn(parent.obj, parent.key);
}

function parentOf(root: unknown, path: string): { obj: Record<string, unknown>; key: string } | null {
  const keys = path.split('.');
  let obj = root;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(obj)) return null;
    obj = obj[key];
  }
  const key = keys[keys.length - 1];
  return isRecord(obj) && key !== undefined ? { obj, key } : null;
}
