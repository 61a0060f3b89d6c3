/** Drives a realistic mix of commands through the API, for tests that compare read models. */
import type { ApiClient, ApiResponse } from './api-client.js';
import { successfulBody } from './successful-body.js';

export async function seedActivity(api: ApiClient, prefix: string): Promise<{ position: number; projectId: string; roomId: string }> {
  const owner = await api.signUp(`${prefix}owner`);
  const editor = await api.signUp(`${prefix}editor`);
  const viewer = await api.signUp(`${prefix}viewer`);
  let position = 0;
  const ok = async (promise: Promise<ApiResponse>) => {
    const body = await successfulBody(promise, 'seed step');
    position = Math.max(position, body?.position ?? 0);
    return body;
  };
  const projectId = (await ok(api.post('/api/projects', { name: `${prefix} project` }, owner.accessToken))).id;
  await ok(api.post(`/api/projects/${projectId}/members`, { username: editor.username, role: 'editor' }, owner.accessToken));
  await ok(api.post(`/api/projects/${projectId}/members`, { email: viewer.email, role: 'viewer' }, owner.accessToken));
  await ok(api.request('PATCH', `/api/projects/${projectId}`, { token: owner.accessToken, body: { description: 'renamed once' } }));
  await ok(api.request('PATCH', `/api/projects/${projectId}/members/${viewer.userId}`, { token: owner.accessToken, body: { role: 'editor' } }));
  const roomId = (await ok(api.post('/api/collaboration/rooms', { projectId, name: 'General' }, editor.accessToken))).id;
  for (const s of [owner, editor, viewer]) await ok(api.post(`/api/collaboration/rooms/${roomId}/join`, {}, s.accessToken));
  const messages: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    const author = [owner, editor, viewer][i % 3]!;
    messages.push((await ok(api.post('/api/collaboration/chat', { roomId, text: `note ${i} for @${prefix}owner` }, author.accessToken))).id);
  }
  await ok(api.request('PATCH', `/api/collaboration/chat/${roomId}/${messages[0]}`, { token: owner.accessToken, body: { text: 'edited' } }));
  await ok(api.request('DELETE', `/api/collaboration/chat/${roomId}/${messages[1]}`, { token: editor.accessToken }));
  await ok(api.post(`/api/collaboration/rooms/${roomId}/leave`, {}, viewer.accessToken));
  await ok(api.post(`/api/projects/${projectId}/milestones`, { name: 'MVP', description: 'first cut' }, editor.accessToken));
  const activityId = (await ok(api.post('/api/agent-activities', { projectId, agent: 'architect', title: 'Design' }, editor.accessToken))).id;
  await ok(api.post(`/api/agent-activities/${activityId}/progress`, { progress: 40, message: 'drafting' }, editor.accessToken));
  await ok(api.post(`/api/agent-activities/${activityId}/complete`, { summary: 'done' }, editor.accessToken));
  await ok(api.request('PATCH', '/api/auth/me', { token: owner.accessToken, body: { bio: 'I own things' } }));
  await ok(api.request('DELETE', `/api/projects/${projectId}/members/${viewer.userId}`, { token: owner.accessToken }));
  return { position, projectId, roomId };
}
