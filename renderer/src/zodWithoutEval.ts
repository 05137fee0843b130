import { z } from 'zod';

/**
 * Zod compiles object parsers with `new Function` when it may, and probes for that once. The page's CSP
 * forbids eval and requires Trusted Types (preload/contract/contentSecurityPolicy.ts), so the probe
 * would be reported as a violation on every start. Zod reads this flag when a schema is built: main.tsx
 * imports this module before anything that builds the contract's schemas.
 */
z.config({ jitless: true });
