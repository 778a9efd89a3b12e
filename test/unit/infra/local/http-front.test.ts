import { describe, expect, it } from 'vitest';
import { createRouter } from '../../../../infra/local/http-front';
import { type HttpRoute, httpRoutes, routeKeyOf } from '../../../../infra/topology';

const routes: HttpRoute[] = [
  { method: 'GET', path: '/v1/payments/{id}', function: 'health' },
  { method: 'GET', path: '/v1/payments/summary', function: 'admin-api' },
  { method: 'POST', path: '/v1/payments', function: 'admin-api' },
  { method: 'ANY', path: '/sandbox/{proxy+}', function: 'health' },
  { method: 'ANY', path: '$default', function: 'health' },
];

describe('local router', () => {
  const route = createRouter(routes);

  it('prefers static segments over parameters, as API Gateway does', () => {
    expect(route('GET', '/v1/payments/summary')?.route.path).toBe('/v1/payments/summary');
    expect(route('GET', '/v1/payments/pay_1')).toEqual({ route: routes[0], pathParameters: { id: 'pay_1' } });
  });

  it('decodes path parameters and supports greedy proxies', () => {
    expect(route('GET', '/v1/payments/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(route('POST', '/sandbox/authorisations/x/approve')?.pathParameters).toEqual({ proxy: 'authorisations/x/approve' });
  });

  it('sends a wrong method or an unknown path to $default', () => {
    expect(route('DELETE', '/v1/payments')?.route.path).toBe('$default');
    expect(route('GET', '/v2/anything')?.route.path).toBe('$default');
  });

  it('routes every declared route of the real topology to itself', () => {
    const real = createRouter(httpRoutes);
    for (const declared of httpRoutes.filter((r) => r.path !== '$default')) {
      const path = declared.path.replace(/\{(\w+)\+?\}/g, 'x1');
      const method = declared.method === 'ANY' ? 'GET' : declared.method;
      expect(routeKeyOf(real(method, path)?.route ?? { method: 'GET', path: '' })).toBe(routeKeyOf(declared));
    }
  });
});
