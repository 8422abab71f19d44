import { startPaymentProvider } from '../payment-provider/server.js';
import { lastSynthContext } from './synth.js';

/**
 * Starts the payment provider simulator for the app synthesized into `cdkOut`.
 *
 * The provider's URL is CDK context, so another port is another template and another synth
 * (about 10 s). Asked for any free port (0), the provider takes the port this assembly was last
 * synthesized with when it is free, so test files and benchmarks that boot the same app again
 * reuse its assembly; when that port is taken, any free one, and the app is synthesized for it.
 */
export async function startProviderFor(cdkOut: string, port: number, seed?: number) {
  const last = lastSynthContext(cdkOut)?.['paymentProviderUrl'];
  const lastPort = last ? Number(URL.parse(last)?.port) : NaN;
  if (port === 0 && Number.isInteger(lastPort) && lastPort > 0) {
    try {
      return await startPaymentProvider({ port: lastPort, seed });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return startPaymentProvider({ port, seed });
}
