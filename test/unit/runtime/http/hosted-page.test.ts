import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../shared/domain/errors';
import { answeringBrowsersInHtml, inPageContext, type ProblemExtras } from '../../../../shared/runtime/http/hosted-page';

const event: APIGatewayProxyEventV2 = {
  version: '2.0',
  routeKey: 'GET /page',
  rawPath: '/page',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '1',
    apiId: 'api',
    domainName: 'example.test',
    domainPrefix: 'example',
    http: { method: 'GET', path: '/page', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'req-1',
    routeKey: 'GET /page',
    stage: '$default',
    time: '',
    timeEpoch: 0,
  },
};

const problem = new ConflictError('Already paid.', { code: 'already_paid' });
const failing = () => inPageContext(() => Promise.reject(problem), async () => ({ payee: 'Acme Ltd', returnUrl: 'https://shop.example/' }));

describe('inPageContext with answeringBrowsersInHtml', () => {
  it("gives a browser's problem page the error's status, code and the page's context", async () => {
    const seen: ProblemExtras[] = [];
    const route = answeringBrowsersInHtml(failing, () => true, (status, message, _details, extras) => {
      seen.push(extras);
      return `${status} ${message}`;
    });
    const answer = await route(event);
    expect(answer.statusCode).toBe(409);
    expect(answer.rawBody?.content).toBe('409 Already paid.');
    expect(seen).toEqual([{ code: 'already_paid', context: { payee: 'Acme Ltd', returnUrl: 'https://shop.example/' } }]);
  });

  it('rethrows to a program exactly the error the work threw, so the API answers its JSON as before', async () => {
    const route = answeringBrowsersInHtml(failing, () => false, () => 'page');
    await expect(route(event)).rejects.toBe(problem);
  });

  it('still answers the problem when the context cannot be read', async () => {
    const route = answeringBrowsersInHtml(
      () => inPageContext(() => Promise.reject(problem), () => Promise.reject(new Error('table down'))),
      () => true,
      (status, _message, _details, extras) => `${status} ${extras.context === undefined ? 'no context' : 'context'}`,
    );
    expect((await route(event)).rawBody?.content).toBe('409 no context');
  });
});
