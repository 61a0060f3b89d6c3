/** Every answer — the UI, API JSON (errors included), the docs, health — carries the security headers. */
import { startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('security headers', () => {
  it.each(['/', '/projects/deep/link', '/api/projects', '/api/nothing-here', '/api/docs', '/api/openapi.json', '/healthz'])('are on %s', async (path) => {
    const answer = await fetch(`${server.baseUrl}${path}`);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });
});
