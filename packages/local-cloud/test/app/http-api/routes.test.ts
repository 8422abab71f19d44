import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../src/app/http-api/routes.js';

const table = (...keys: string[]) => {
  const t = new RouteTable<string>();
  for (const k of keys) t.add({ routeKey: k, target: k });
  return t;
};

describe('RouteTable', () => {
  it('prefers literal segments over variables over a greedy variable', () => {
    const t = table('GET /pets/{proxy+}', 'GET /pets/{id}', 'GET /pets/dog');
    expect(t.match('GET', '/pets/dog')?.entry.routeKey).toBe('GET /pets/dog');
    expect(t.match('GET', '/pets/cat')).toMatchObject({
      entry: { routeKey: 'GET /pets/{id}' },
      pathParameters: { id: 'cat' },
    });
    expect(t.match('GET', '/pets/cat/toys')).toMatchObject({
      entry: { routeKey: 'GET /pets/{proxy+}' },
      pathParameters: { proxy: 'cat/toys' },
    });
  });

  it('prefers the request method over ANY on the same path', () => {
    const t = table('ANY /orders/{orderId}', 'GET /orders/{orderId}');
    expect(t.match('GET', '/orders/1')?.entry.routeKey).toBe('GET /orders/{orderId}');
    expect(t.match('DELETE', '/orders/1')?.entry.routeKey).toBe('ANY /orders/{orderId}');
  });

  it('falls back to $default, or to nothing', () => {
    expect(table('GET /a', '$default').match('POST', '/a')?.entry.routeKey).toBe('$default');
    expect(table('GET /a').match('POST', '/a')).toBeUndefined();
    expect(table('GET /a').match('GET', '/a/b')).toBeUndefined();
    expect(table('GET /a/{id}').match('GET', '/a/')).toBeUndefined();
    expect(table('GET /a/{proxy+}').match('GET', '/a')).toBeUndefined();
  });

  it('decodes path parameters and matches the root', () => {
    expect(table('GET /p/{sku}').match('GET', '/p/a%2Fb%20c')?.pathParameters).toEqual({
      sku: 'a/b c',
    });
    expect(table('GET /').match('GET', '/')?.entry.routeKey).toBe('GET /');
  });

  it('refuses malformed and repeated route keys', () => {
    expect(() => table('/no-method')).toThrow(/is not "\$default" or "METHOD \/path"/);
    expect(() => table('GET /a/{x+}/b')).toThrow(/greedy variable must be the last segment/);
    expect(() => table('GET /a', 'GET /a')).toThrow(/two routes with the key GET \/a/);
  });
});
