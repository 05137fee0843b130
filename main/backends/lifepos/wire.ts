import type { z } from 'zod';
import { decimalFromMilli } from '../decimalUnits';
import type { Deal, DealPosition, NewReversalSession, NewReversalSessionWire, Session, SessionPosition } from './schemas';

/** The inverse of the schemas' parsing: thousandths back to the decimal quantities LIFE POS sends. */
function positionToWire<P extends SessionPosition | DealPosition>(p: P): Omit<P, 'quantity'> & { quantity: number } {
  return { ...p, quantity: decimalFromMilli(p.quantity) };
}

export function newReversalToWire(body: NewReversalSession): z.input<typeof NewReversalSessionWire> {
  return { ...body, positions: body.positions.map(positionToWire) };
}

export function sessionToWire(session: Session): z.input<typeof Session> {
  return { ...session, positions: session.positions.map(positionToWire) };
}

export function dealToWire(deal: Deal): z.input<typeof Deal> {
  return { ...deal, positions: deal.positions.map(positionToWire) };
}
