import { documentClient, requireEnv } from '../../../plumbing/aws.js';
import type { Charge, LoadPayment, Refund, SavePayment } from '../ports.js';
import { loadPaymentWith, savePaymentWith } from './dynamo.js';
import { providerClientFromEnv } from './provider.js';

export interface DefaultDeps {
  load: LoadPayment;
  save: SavePayment;
  charge: Charge;
  refund: Refund;
}

let deps: DefaultDeps | undefined;

/**
 * The production ports, built from the environment on first call. One provider
 * client per execution environment, so its circuit breaker remembers failures
 * across invocations (a breaker made per call would never open).
 */
export function defaultDeps(): DefaultDeps {
  if (deps) return deps;
  const table = requireEnv('TABLE_NAME');
  const provider = providerClientFromEnv();
  deps = {
    load: loadPaymentWith(documentClient(), table),
    save: savePaymentWith(documentClient(), table),
    charge: provider.charge,
    refund: provider.refund,
  };
  return deps;
}

/** For the read-only HTTP routes: they never call the provider, so they do not need its URL. */
export function defaultLoad(): LoadPayment {
  return loadPaymentWith(documentClient(), requireEnv('TABLE_NAME'));
}
