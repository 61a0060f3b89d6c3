/**
 * The baseline for `bench:api`'s mixed workload: a bare Express 5 app, in its own process like the
 * benchmarked server, answering the mixed workload's three routes with fixed JSON bodies of the sizes
 * Resoft answered (BARE_SIZES: projects,history,post bytes). It does no auth, validation or storage:
 * what is left is Node's HTTP, Express's routing and the socket writes both servers pay.
 */
import express from 'express';

const port = Number(process.env['PORT'] ?? 0);
const [projects, history, post] = (process.env['BARE_SIZES'] ?? '200,200,200').split(',').map(Number) as [number, number, number];

/** A JSON body of exactly `bytes` bytes. */
const bodyOf = (bytes: number): string => {
  const base = JSON.stringify({ items: [], pad: '' });
  return JSON.stringify({ items: [], pad: 'x'.repeat(Math.max(0, bytes - base.length)) });
};
const answers = { projects: bodyOf(projects), history: bodyOf(history), post: bodyOf(post) };

const app = express();
app.use(express.json());
app.get('/api/projects', (_req, res) => {
  res.type('application/json').send(answers.projects);
});
app.get('/api/collaboration/chat/:roomId/history', (_req, res) => {
  res.type('application/json').send(answers.history);
});
app.post('/api/collaboration/chat', (_req, res) => {
  res.status(201).type('application/json').send(answers.post);
});
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(port, '127.0.0.1', 4096, () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
