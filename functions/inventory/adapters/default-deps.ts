import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { getProduct, restockProduct, upsertProduct } from './products.js';
import { loadInventoryState, saveInventoryDecision } from './reservations.js';

/** Every port wired to the service table (TABLE_NAME, set by the CDK stack), built once on first use. */
export const defaultDeps = once(() => {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  return {
    load: loadInventoryState(client, table),
    save: saveInventoryDecision(client, table),
    getProduct: getProduct(client, table),
    upsertProduct: upsertProduct(client, table),
    restockProduct: restockProduct(client, table),
  };
});
