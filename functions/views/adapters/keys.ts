/**
 * The views table's keys, shared by the service and `npm run rebuild`. Every
 * view item carries its projection version in its keys, so versions live side
 * by side and a rebuild never touches what readers read.
 */

/** The one item naming the active and the building projection version. */
export const POINTER_KEY = { pk: 'PROJECTION' } as const;

/** The version readers use before any rebuild ran. */
export const FIRST_VERSION = 1;

export const VERSION_PREFIX = 'V#';

export const versionPrefix = (version: number) => `${VERSION_PREFIX}${version}#`;

export const viewKey = (version: number, orderId: string) => ({
  pk: `${versionPrefix(version)}ORDER#${orderId}`,
});

/**
 * What the list index (gsi1) projects besides its keys: the order's list entry, rendered when the
 * view is written, and its status (the list's filter). The CDK stack declares the same.
 */
export const LIST_INDEX_ATTRIBUTES = ['summary', 'status'] as const;

/** The GSI partition of a customer's views in one version. */
export const customerPartition = (version: number, customerId: string) =>
  `${versionPrefix(version)}CUSTOMER#${customerId}`;

/** placedAt first so the index sorts newest first; the orderId breaks ties. */
export const listSortKey = (placedAt: string, orderId: string) => `${placedAt}#${orderId}`;

/** The version in a view item's key, or undefined for items that are no view. */
export function versionOfKey(pk: string): number | undefined {
  const m = /^V#(\d+)#/.exec(pk);
  return m ? Number(m[1]) : undefined;
}
