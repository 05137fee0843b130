import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { calls, events, MAX_LEN } from '../../preload/contract';
import { useBridge } from './bridgeFixture';

/**
 * Issue 16 point 3: `SaleRef.id` had no maximum, so a 900 KB id was echoed back and sent on to LIFE POS.
 * Every string anywhere in the contract (inputs, outputs, events) now has one; this walks the schemas,
 * so a field added tomorrow without a maximum fails here, and replays the 900 KB id over HTTP.
 */
const start = useBridge('contract-limits-');

/** Formats whose own pattern fixes the length. */
const SELF_BOUNDED_FORMATS = new Set(['uuid']);

interface Def {
  type: string;
  format?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
}

/** Paths of every string schema without a maximum length, depth first. */
function unbounded(schema: z.ZodType, path: string, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Def;
  const walk = (child: z.ZodType | undefined, at: string) => (child ? unbounded(child, at, seen) : []);
  switch (def.type) {
    case 'string': {
      const max = (schema as unknown as { maxLength: number | null }).maxLength;
      return max === null && !SELF_BOUNDED_FORMATS.has(def.format ?? '') ? [path] : [];
    }
    case 'object': return Object.entries(def.shape ?? {}).flatMap(([k, v]) => walk(v, `${path}.${k}`));
    case 'array': return walk(def.element, `${path}[]`);
    case 'record': return [...walk(def.keyType, `${path}{key}`), ...walk(def.valueType, `${path}{}`)];
    case 'union': return (def.options ?? []).flatMap((o, i) => walk(o, `${path}|${i}`));
    case 'tuple': return (def.items ?? []).flatMap((o, i) => walk(o, `${path}[${i}]`));
    case 'intersection': return [...walk(def.left, path), ...walk(def.right, path)];
    case 'pipe': return [...walk(def.in, path), ...walk(def.out, path)];
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return walk(def.innerType, path);
    case 'number': case 'boolean': case 'enum': case 'literal': case 'null': case 'undefined': case 'bigint': case 'date':
      return [];
    // The far side of a pipe: what reaches it has passed the pipe's input schema, walked above.
    case 'transform':
      return [];
    default:
      // A schema kind this walk does not know could hide a string: name it rather than pass it.
      return [`${path} (${def.type}: unchecked)`];
  }
}

describe('every contract string has a maximum length', () => {
  it('in every call input and output and every event', () => {
    const found = [
      ...Object.entries(calls).flatMap(([name, c]) => [...unbounded(c.input, `${name} input`), ...unbounded(c.output, `${name} output`)]),
      ...Object.entries(events).flatMap(([name, e]) => unbounded(e, `event ${name}`)),
    ];
    expect(found).toEqual([]);
  });

  it('refuses a 900 KB sale id at the boundary: the handler never sees it', async () => {
    const app = await start();
    const seen: string[] = [];
    const original = app.services.handlers['sales.get'];
    app.services.handlers['sales.get'] = (input) => {
      seen.push(input.ref.id);
      return original(input);
    };
    const res = await app.call('sales.get', { ref: { source: 'lifepos', id: 'x'.repeat(900_000) } });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(2_000);
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'contract.bad_input' } });
    const atLimit = await app.call('sales.get', { ref: { source: 'lifepos', id: 'x'.repeat(MAX_LEN.id) } });
    expect(atLimit.status).toBe(200);
    expect(seen).toEqual(['x'.repeat(MAX_LEN.id)]);
  });
});
