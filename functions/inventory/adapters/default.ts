import { documentClient, requireEnv } from '../../../plumbing/aws.js';
import { getProduct, restockProduct, upsertProduct } from './products.js';
import { loadInventoryState, saveInventoryDecision } from './reservations.js';

/**
 * The ports wired to the service table. Built on first use, not at import, so
 * tests can import a handler's factory without TABLE_NAME set.
 */
function build() {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  return {
    load: loadInventoryState(client, table),
    save: saveInventoryDecision(client, table),
    getProduct: getProduct(client, table),
    upsertProduct: upsertProduct(client, table),
    restockProduct: restockProduct(client, table),
  };
}

let ports: ReturnType<typeof build> | undefined;
export const defaultPorts = () => (ports ??= build());
