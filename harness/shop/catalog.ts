/**
 * The demo catalog `npm start` seeds (documented in the README). CAP-003 is
 * scarce on purpose, to see an order cancelled OUT_OF_STOCK; POSTER-005 starts
 * sold out.
 */
export const DEMO_CATALOG = [
  { sku: 'MUG-001', name: 'Stoneware mug', priceCents: 1200, stock: 100 },
  { sku: 'TEE-002', name: 'Organic cotton tee', priceCents: 2500, stock: 50 },
  { sku: 'CAP-003', name: 'Canvas cap', priceCents: 1800, stock: 3 },
  { sku: 'BOOK-004', name: 'Field guide to event-driven systems', priceCents: 3900, stock: 20 },
  { sku: 'POSTER-005', name: 'Limited print', priceCents: 4500, stock: 0 },
] as const;

/**
 * Creates each product that does not exist yet, and restocks it once (keyed,
 * so a retry adds nothing). Catalog writes need an operator's bearer token.
 */
export async function seedCatalog(
  apiUrl: string,
  operatorToken: string,
  catalog: readonly {
    sku: string;
    name: string;
    priceCents: number;
    stock: number;
  }[] = DEMO_CATALOG,
): Promise<number> {
  let seeded = 0;
  for (const item of catalog) {
    const existing = await fetch(`${apiUrl}/products/${item.sku}`);
    if (existing.status === 200) continue;
    if (existing.status !== 404) {
      throw new Error(
        `Seeding: GET /products/${item.sku} answered ${existing.status}: ${await existing.text()}`,
      );
    }
    await expectOk(
      await fetch(`${apiUrl}/products/${item.sku}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
        body: JSON.stringify({ name: item.name, priceCents: item.priceCents }),
      }),
      `PUT /products/${item.sku}`,
    );
    if (item.stock > 0) {
      await expectOk(
        await fetch(`${apiUrl}/products/${item.sku}/restock`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${operatorToken}`,
            'idempotency-key': `seed-${item.sku}`,
          },
          body: JSON.stringify({ quantity: item.stock }),
        }),
        `POST /products/${item.sku}/restock`,
      );
    }
    seeded++;
  }
  return seeded;
}

async function expectOk(res: Response, what: string): Promise<void> {
  if (res.status >= 300)
    throw new Error(`Seeding: ${what} answered ${res.status}: ${await res.text()}`);
}
