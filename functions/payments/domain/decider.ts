import type { Decider } from '#plumbing/decider.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import type { PaymentCommand, PaymentEvent } from './messages.js';
import { initialPayment, type Payment } from './payment.js';

/** One order's payment as one decider: where it starts, what it decides, how it changes. */
export const paymentDecider = {
  initialState: initialPayment,
  decide,
  evolve,
} satisfies Decider<Payment, PaymentCommand, PaymentEvent>;
