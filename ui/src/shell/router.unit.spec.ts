import { guard, matchRoute } from './router.js';

describe('routes', () => {
  it('maps paths to pages with their parameters', () => {
    expect(matchRoute('/')).toEqual({ page: 'projects' });
    expect(matchRoute('/projects/p1')).toEqual({ page: 'project', projectId: 'p1', fileId: null });
    expect(matchRoute('/projects/p1/files/f2')).toEqual({ page: 'project', projectId: 'p1', fileId: 'f2' });
    expect(matchRoute('/projects/p1/insights', '?interval=week')).toEqual({ page: 'insights', projectId: 'p1', search: '?interval=week' });
    expect(matchRoute('/checker')).toEqual({ page: 'checker', checkId: null, line: null });
    expect(matchRoute('/checker', '?check=c9')).toEqual({ page: 'checker', checkId: 'c9', line: null });
    expect(matchRoute('/checker', '?check=c9&line=12')).toEqual({ page: 'checker', checkId: 'c9', line: 12 });
    expect(matchRoute('/checker', '?check=c9&line=-3')).toEqual({ page: 'checker', checkId: 'c9', line: null });
    expect(matchRoute('/projects/p1/quality')).toEqual({ page: 'quality', projectId: 'p1' });
    expect(matchRoute('/projects/p1/audit')).toEqual({ page: 'audit', projectId: 'p1' });
    expect(matchRoute('/sign-in', '?next=%2Fprojects%2Fp1')).toEqual({ page: 'sign-in', next: '/projects/p1' });
    expect(matchRoute('/templates')).toEqual({ page: 'templates' });
    expect(matchRoute('/settings')).toEqual({ page: 'settings' });
    expect(matchRoute('/nowhere/at/all')).toEqual({ page: 'not-found', path: '/nowhere/at/all' });
  });

  it('never follows a next that leaves the site', () => {
    expect(matchRoute('/sign-in', '?next=%2F%2Fevil.example')).toEqual({ page: 'sign-in', next: null });
    expect(matchRoute('/sign-in', '?next=https%3A%2F%2Fevil.example')).toEqual({ page: 'sign-in', next: null });
  });

  it('sends signed-out users to sign in and back to where they were going', () => {
    expect(guard(matchRoute('/projects/p1'), false, '/projects/p1')).toBe('/sign-in?next=%2Fprojects%2Fp1');
    expect(guard(matchRoute('/checker'), false, '/checker')).toBe('/sign-in?next=%2Fchecker');
    expect(guard(matchRoute('/settings'), false, '/settings')).toBe('/sign-in?next=%2Fsettings');
    expect(guard(matchRoute('/register'), false, '/register')).toBeNull();
    expect(guard(matchRoute('/projects/p1'), true, '/projects/p1')).toBeNull();
  });

  it('sends signed-in users past the sign-in page', () => {
    expect(guard(matchRoute('/sign-in', '?next=%2Fchecker'), true, '/sign-in')).toBe('/checker');
    expect(guard(matchRoute('/sign-in'), true, '/sign-in')).toBe('/projects');
  });
});
