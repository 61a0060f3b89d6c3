/**
 * The broadcast hub carries the later features live to every member connected to the project:
 * a template run's progress, and a code check on project files with its result.
 */
import type { CollabClient } from '@resoft/collab-client';
import type { ServerFrame } from '@resoft/contracts';
import { collabFixture, connectClient, until, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let fixture: CollabFixture;
let watcher: CollabClient;
const events: Extract<ServerFrame, { type: 'collaboration:event' }>[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await collabFixture(server.baseUrl, { editors: 1 });
  watcher = await connectClient(server.baseUrl, fixture.viewer);
  await watcher.join(fixture.roomId);
  watcher.on('collaboration:event', (frame) => events.push(frame));
});
afterAll(async () => {
  watcher.close();
  await server.stop();
});

describe('live project events over the socket', () => {
  it('shows a template run\'s progress, file by file, to a member in the project\'s room', async () => {
    const applied = await fixture.api.post('/api/v1/templates/apply', { projectId: fixture.projectId, templateId: 'microservice', variables: {} }, fixture.editors[0]!.accessToken);
    expect(applied.status).toBe(201);
    await until(() => events.some((e) => e.eventType === 'TemplateRunCompleted'));
    const run = events.filter((e) => e.streamId === `template-run-${applied.body.id}`);
    expect(run[0]!.eventType).toBe('TemplateRunStarted');
    expect(run.filter((e) => e.eventType === 'TemplateFileRendered')).toHaveLength(applied.body.fileCount);
    expect(run.at(-1)!.eventType).toBe('TemplateRunCompleted');
    // The rendered files are project files, announced as they are created.
    expect(events.filter((e) => e.eventType === 'FileCreated').length).toBeGreaterThanOrEqual(applied.body.fileCount);
  });

  it('shows a check on a project file and its result', async () => {
    const file = await fixture.api.post(`/api/projects/${fixture.projectId}/files`, { path: 'web/app.js', content: 'var unused = 1;\n' }, fixture.editors[0]!.accessToken);
    const check = await fixture.api.post('/api/code-quality/check', { projectId: fixture.projectId, projectFiles: [{ fileId: file.body.id }], linters: ['eslint'] }, fixture.editors[0]!.accessToken);
    expect(check.status).toBe(202);
    await until(() => events.some((e) => e.eventType === 'CheckCompleted' && e.streamId === `check-${check.body.id}`));
    const types = events.filter((e) => e.streamId === `check-${check.body.id}`).map((e) => e.eventType);
    expect(types[0]).toBe('CheckRequested');
    expect(types).toContain('LinterFinished');
    expect(types.at(-1)).toBe('CheckCompleted');
  });
});
