import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeHandle,
  type PaymentsEvent,
} from '../../../../functions/payments/handlers/on-event.js';
import type { Charge, Refund } from '../../../../functions/payments/ports.js';
import { fakeProvider, memoryStore, orderCancelled, stockReserved } from '../fakes.js';
import { fakeDecryptPii } from '../../../support/pii.js';

/**
 * The money invariant under any interleaving: StockReserved and OrderCancelled
 * delivered any number of times, concurrently, in any order, with crashes right
 * after the provider did the work (the answer is lost, the message comes back).
 * fast-check's scheduler decides the order in which every load, save and
 * provider call completes, and shrinks a failing schedule to a small one.
 */
describe('payments under redelivery, reordering and crashes', () => {
  it('never charges twice, and keeps exactly the total only if the order was not cancelled', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom('tok_approve', 'tok_decline'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        async (s, token, reservedCopies, cancelCopies, crashes) => {
          const store = memoryStore();
          const provider = fakeProvider();
          const crashNow = () => crashes.shift() === true;
          const charge: Charge = async (req) => {
            const answer = await provider.charge(req);
            if (crashNow()) throw new Error('crashed after the provider charged');
            return answer;
          };
          const refund: Refund = async (req) => {
            const answer = await provider.refund(req);
            if (crashNow()) throw new Error('crashed after the provider refunded');
            return answer;
          };
          const handle = makeHandle({
            decryptPii: fakeDecryptPii,
            load: s.scheduleFunction(store.load),
            save: s.scheduleFunction(store.save),
            charge: s.scheduleFunction(charge),
            refund: s.scheduleFunction(refund),
          });

          // SQS: every copy arrives at a moment the scheduler picks, and a failed
          // message comes back (later, again at a scheduled moment) until it succeeds.
          const deliver = async (event: PaymentsEvent) => {
            for (let attempt = 1; ; attempt++) {
              try {
                await s.schedule(Promise.resolve(), `deliver ${event['detail-type']}`);
                return await handle(event);
              } catch (error) {
                if (attempt >= 30) throw error;
              }
            }
          };
          const reserved = stockReserved({ paymentToken: token });
          const cancel = orderCancelled();
          const deliveries = [
            ...Array.from({ length: reservedCopies }, () => deliver(reserved)),
            ...Array.from({ length: cancelCopies }, () => deliver(cancel)),
          ];
          await s.waitFor(Promise.all(deliveries));

          const money = provider.ledger.get('ord-1') ?? { charged: 0, refunded: 0, charges: 0 };
          const published = store.published();
          const count = (type: string) => published.filter((t) => t === type).length;
          const state = store.state('ord-1');

          expect(money.charges).toBeLessThanOrEqual(1);
          expect(count('PaymentAuthorized')).toBeLessThanOrEqual(1);
          expect(count('PaymentDeclined')).toBeLessThanOrEqual(1);
          expect(count('PaymentRefunded')).toBeLessThanOrEqual(1);
          // Every charge is announced, and every refund too.
          expect(count('PaymentAuthorized')).toBe(money.charges);
          expect(count('PaymentRefunded')).toBe(money.refunded > 0 ? 1 : 0);
          if (cancelCopies > 0) {
            expect(money.charged - money.refunded).toBe(0);
            expect(['CANCELLED_BEFORE_CHARGE', 'DECLINED', 'REFUNDED']).toContain(state?.status);
          } else if (token === 'tok_approve') {
            expect(money.charged - money.refunded).toBe(4200);
            expect(state?.status).toBe('AUTHORIZED');
          } else {
            expect(money.charged).toBe(0);
            expect(state?.status).toBe('DECLINED');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
