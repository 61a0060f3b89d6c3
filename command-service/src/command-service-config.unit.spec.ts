import { loadCommandServiceConfig } from './command-service-config.js';

describe('the command service settings', () => {
  it('load with the shared ones alone, so a command process needs no other service to start', () => {
    const config = loadCommandServiceConfig({ RESOFT_SCRYPT_COST: '1024', RESOFT_CHECK_MAX_FILES: '7' });
    expect(config).toMatchObject({ port: 3000, scryptCost: 1024, authRateLimitPerMinute: 30, writeLimits: { chatPostsPerMinute: 300 } });
    expect(config.checks).toMatchObject({ maxFiles: 7, workers: 2, sandboxPath: '/usr/bin/bwrap' });
    expect(config.checks.pythonToolsDir).toMatch(/\.tools\/python$/);
  });

  it('name every invalid variable, shared or its own, in one error', () => {
    expect(() => loadCommandServiceConfig({ PORT: 'x', RESOFT_CHECK_SCORING_VERSION: '3' })).toThrow(/PORT: .*RESOFT_CHECK_SCORING_VERSION: scoring formulas are version 1 and 2/);
  });
});
