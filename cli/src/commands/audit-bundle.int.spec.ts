import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyConsistency, verifyInclusion, type SignedTreeHead } from '@resoft/domain';
import { MongoMerkleLogStore } from '@resoft/adapter-mongodb';
import { zip } from '@resoft/templates';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';
import { runCli, runNodeScript } from '@resoft/testkit/processes';
import { unzip } from './audit-bundle-reader.js';

const STANDALONE = path.join(process.cwd(), 'tools', 'verify-bundle', 'verify-bundle.mjs');

/** Runs the standalone verifier as an auditor would: plain node, no repository code. */
const runStandalone = (args: readonly string[]) => runNodeScript(STANDALONE, args);

async function download(server: TestServer, urlPath: string, token: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(server.baseUrl + urlPath, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Rewrites one entry of a bundle, as someone handing a doctored bundle to an auditor would. */
function doctor(bundle: Buffer, name: string, change: (text: string) => string): Buffer {
  const files = unzip(bundle);
  return zip([...files].map(([p, content]) => ({ path: p, content: p === name ? change(content.toString('utf8')) : content })));
}

describe('audit bundles, proofs and project-scoped verification', () => {
  let server: TestServer;
  let api: ApiClient;
  let owner: Session;
  let viewer: Session;
  let projectId: string;
  let fileId: string;
  let lastPosition: number;
  let head: SignedTreeHead;
  let bundle: Buffer;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-bundle-'));

  beforeAll(async () => {
    server = await startTestServer({ RESOFT_AUDIT_SIGN_EVERY: '1000', RESOFT_AUDIT_SIGN_INTERVAL_MS: '100' });
    api = new ApiClient(server.baseUrl);
    owner = await api.signUp('owner');
    viewer = await api.signUp('viewer');
    projectId = (await api.post('/api/projects', { name: 'Audited' }, owner.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { userId: viewer.userId, role: 'viewer' }, owner.accessToken);
    const room = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken)).body;
    await api.post(`/api/collaboration/rooms/${room.id}/join`, {}, owner.accessToken);
    await api.post('/api/collaboration/chat', { roomId: room.id, text: 'Hello' }, owner.accessToken);
    const file = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/main.py', content: 'print("one")\n' }, owner.accessToken)).body;
    fileId = file.id;
    await api.request('PUT', `/api/projects/${projectId}/files/${fileId}/content`, { token: owner.accessToken, body: { content: 'print("two")\n' } });
    const last = await api.request('PUT', `/api/projects/${projectId}/files/${fileId}/content`, { token: owner.accessToken, body: { content: 'print("three")\n' } });
    lastPosition = last.body.position;
    expect((await api.readWhenFresh(`/api/projects/${projectId}`, lastPosition, owner.accessToken)).status).toBe(200);
    // Wait for a tree head that covers the whole history (signed every 100 ms here).
    for (let tries = 0; ; tries += 1) {
      const heads = await api.get('/api/audit/tree-heads', owner.accessToken);
      if (heads.body.latest?.lastPosition >= lastPosition) {
        head = heads.body.latest;
        break;
      }
      if (tries > 200) throw new Error('no tree head covered the history');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists the project\'s file tree and document streams in owner verification and lets members read them', async () => {
    const verified = await api.get(`/api/audit/verify?projectId=${projectId}`, owner.accessToken);
    expect(verified.body).toMatchObject({ scope: 'project', ok: true, firstProblem: null, firstBrokenLink: null, unsignedEvents: 0 });
    // project, room, files-<project>, doc-<file>
    expect(verified.body.streams).toBe(4);
    for (const streamId of [`files-${projectId}`, `doc-${fileId}`]) {
      const view = await api.get(`/api/streams/${streamId}/events`, viewer.accessToken);
      expect([view.status, view.body.events.length]).toEqual([200, streamId.startsWith('doc-') ? 2 : 1]);
    }
  });

  it('serves the signing keys as a JWKS, without signing in', async () => {
    const keys = await api.get('/api/audit/keys');
    expect(keys.status).toBe(200);
    expect(keys.body.keys).toEqual(expect.arrayContaining([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: head.keyId })]));
  });

  it('proves a document event is in the signed tree, and two signed trees consistent', async () => {
    const proof = await api.get(`/api/audit/proofs/inclusion?position=${lastPosition}`, viewer.accessToken);
    expect(proof.status).toBe(200);
    expect(proof.body.streamId).toBe(`doc-${fileId}`);
    const hashes = (proof.body.proof as string[]).map((h) => Buffer.from(h, 'hex'));
    expect(verifyInclusion(Buffer.from(proof.body.leafHash, 'hex'), proof.body.leafIndex, proof.body.treeSize, hashes, Buffer.from(proof.body.treeHead.rootHash, 'hex'))).toBe(true);

    const heads = (await api.get('/api/audit/tree-heads', owner.accessToken)).body.items as SignedTreeHead[];
    const [first, second] = [heads[0]!, heads[heads.length - 1]!];
    const consistency = await api.get(`/api/audit/proofs/consistency?from=${first.treeSize}&to=${second.treeSize}`, owner.accessToken);
    expect(consistency.status).toBe(200);
    expect(verifyConsistency(first.treeSize, second.treeSize, Buffer.from(first.rootHash, 'hex'), Buffer.from(second.rootHash, 'hex'), (consistency.body.proof as string[]).map((h) => Buffer.from(h, 'hex')))).toBe(true);
  });

  it('refuses proofs of events the caller may not see, and inverted ranges', async () => {
    const outsider = await api.signUp('outsider');
    expect((await api.get(`/api/audit/proofs/inclusion?position=${lastPosition}`, outsider.accessToken)).status).toBe(404);
    const inverted = await api.get('/api/audit/proofs/consistency?from=5&to=2', owner.accessToken);
    expect([inverted.status, inverted.body.error.code]).toEqual([400, 'invalid_range']);
    expect((await api.get(`/api/audit/proofs/consistency?from=1&to=${head.treeSize + 1000}`, owner.accessToken)).status).toBe(404);
  });

  it('exports a bundle that the standalone verifier and `resoft audit verify --bundle` accept', async () => {
    const downloaded = await download(server, `/api/projects/${projectId}/audit/bundle`, owner.accessToken);
    expect(downloaded.status).toBe(200);
    bundle = downloaded.bytes;
    const file = path.join(work, 'bundle.zip');
    fs.writeFileSync(file, bundle);
    expect([...unzip(bundle).keys()].sort()).toEqual(['README.md', 'events.jsonl', 'keys.json', 'manifest.json', 'proofs.jsonl', 'tree-head.json']);
    // A new log's leaves are format 2 from its first event: the signed head says so, the manifest names the bundle format that goes with it.
    expect(JSON.parse(unzip(bundle).get('tree-head.json')!.toString())).toMatchObject({ leafV2From: 1 });
    expect(JSON.parse(unzip(bundle).get('manifest.json')!.toString())).toMatchObject({ format: 'resoft-audit-bundle/v2' });
    const events = unzip(bundle).get('events.jsonl')!.toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(events.map((e: { streamId: string }) => e.streamId.split('-')[0]))).toEqual(new Set(['project', 'room', 'files', 'doc']));

    const standalone = await runStandalone([file]);
    expect(standalone).toMatchObject({ code: 0, stderr: '' });
    expect(standalone.stdout).toMatch(/^OK: project .+: \d+ events in 4 streams/);
    const cli = await runCli(['audit', 'verify', '--bundle', file], server.env);
    expect([cli.code, cli.stderr]).toEqual([0, '']);
    expect(cli.stdout).toMatch(/^OK: \d+ events in 4 streams/);
  });

  it('fails a doctored bundle, naming the first bad position, in both verifiers', async () => {
    const lines = unzip(bundle).get('events.jsonl')!.toString().trim().split('\n');
    const victim = JSON.parse(lines[lines.length - 1]!) as { position: number };
    const doctored = path.join(work, 'doctored.zip');
    // The last document change rewritten, its own hash recomputed would not help: the leaf is what the signed tree commits to.
    fs.writeFileSync(doctored, doctor(bundle, 'events.jsonl', (text) => text.replace(/"authorId":"[^"]+"/g, (m, offset: number) => (offset > text.lastIndexOf('\n', text.length - 2) ? '"authorId":"someone-else"' : m))));
    const standalone = await runStandalone([doctored, '--json']);
    expect(standalone.code).toBe(1);
    expect(JSON.parse(standalone.stdout).firstProblem.position).toBe(victim.position);
    const cli = await runCli(['audit', 'verify', '--bundle', doctored, '--json'], server.env);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout).firstProblem.position).toBe(victim.position);

    // A bundle re-signed with another key passes only if you trust the bundle's own keys: trust the operator's instead.
    const trusted = path.join(work, 'trusted.json');
    fs.writeFileSync(trusted, JSON.stringify((await api.get('/api/audit/keys')).body));
    const foreign = path.join(work, 'foreign-keys.zip');
    fs.writeFileSync(foreign, doctor(bundle, 'tree-head.json', (text) => text.replace(/"keyId": "[^"]+"/, '"keyId": "someone-elses-key"')));
    const refused = await runStandalone([foreign, '--keys', trusted]);
    expect([refused.code, refused.stdout]).toEqual([1, expect.stringContaining('not a trusted key')]);
  });

  it('catches a tampered document event in the owner\'s project-scoped verification', async () => {
    const db = new Database(server.config.eventStoreFile);
    db.prepare("UPDATE events SET data = json_set(data, '$.authorId', 'someone-else') WHERE position = ?").run(lastPosition);
    db.close();
    const verified = await api.get(`/api/audit/verify?projectId=${projectId}`, owner.accessToken);
    expect(verified.body).toMatchObject({ scope: 'project', ok: false, firstProblem: { position: lastPosition } });
  });

  it('writes the same kind of bundle with `resoft audit export`', async () => {
    const out = path.join(work, 'exported.zip');
    const exported = await runCli(['audit', 'export', '--project', projectId, '--out', out], server.env);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    // The document event was tampered with above: the exported bundle carries it, and the verifier says where.
    const checked = await runStandalone([out, '--json']);
    expect([checked.code, JSON.parse(checked.stdout).firstProblem.position]).toEqual([1, lastPosition]);
  });
});

const MONGO_URL = process.env['MONGO_URL'];
const MONGO_SKIP = 'skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)';
if (!MONGO_URL) console.warn(`audit log on MongoDB end to end ${MONGO_SKIP}`);

(MONGO_URL ? describe : describe.skip)(`the audit log in MongoDB (MONGO_URL)${MONGO_URL ? '' : ` (${MONGO_SKIP})`}`, () => {
  it('signs tree heads, verifies a project and exports a bundle the standalone verifier accepts', async () => {
    const database = `resoft_audit_${Math.random().toString(36).slice(2, 10)}`;
    const server = await startTestServer({ MONGO_URL: MONGO_URL!, RESOFT_MONGO_DATABASE: database });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-bundle-mongo-'));
    try {
      const api = new ApiClient(server.baseUrl);
      const owner = await api.signUp('mongoowner');
      const project = (await api.post('/api/projects', { name: 'On MongoDB' }, owner.accessToken)).body;
      const file = (await api.post(`/api/projects/${project.id}/files`, { path: 'a.py', content: 'x = 1\n' }, owner.accessToken)).body;
      expect((await api.readWhenFresh(`/api/projects/${project.id}`, file.position, owner.accessToken)).status).toBe(200);
      for (let tries = 0; (await api.get('/api/audit/tree-heads', owner.accessToken)).body.latest?.lastPosition < file.position; tries += 1) {
        if (tries > 200) throw new Error('no tree head covered the history');
        await new Promise((r) => setTimeout(r, 100));
      }
      const verified = await api.get(`/api/audit/verify?projectId=${project.id}`, owner.accessToken);
      expect(verified.body).toMatchObject({ ok: true, streams: 2, unsignedEvents: 0 });
      const bundle = await download(server, `/api/projects/${project.id}/audit/bundle`, owner.accessToken);
      expect(bundle.status).toBe(200);
      fs.writeFileSync(path.join(work, 'bundle.zip'), bundle.bytes);
      expect((await runStandalone([path.join(work, 'bundle.zip')])).code).toBe(0);
    } finally {
      await server.stop();
      fs.rmSync(work, { recursive: true, force: true });
      const store = await MongoMerkleLogStore.connect({ url: MONGO_URL!, database });
      await store.database.dropDatabase();
      await store.close();
    }
  });
});
