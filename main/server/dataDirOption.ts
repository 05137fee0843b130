import { join } from 'node:path';

/** `--data-dir` of `npm run serve` and `npm start`'s browser fallback: `.cashier-data` in the current folder unless given. */
export const defaultDataDir = (): string => join(process.cwd(), '.cashier-data');
