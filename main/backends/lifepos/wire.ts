import type { z } from 'zod';
import { decimalFromMilli } from '../decimalUnits';
import type { DealPosition, NewReversalSession, NewReversalSessionWire, SessionPosition } from './schemas';

/** The inverse of the schemas' parsing: thousandths back to the decimal quantities LIFE POS sends. */
function positionToWire<P extends SessionPosition | DealPosition>(p: P): Omit<P, 'quantity'> & { quantity: number } {
  return { ...p, quantity: decimalFromMilli(p.quantity) };
}

export function newReversalToWire(body: NewReversalSession): z.input<typeof NewReversalSessionWire> {
  return { ...body, positions: body.positions.map(positionToWire) };
}
