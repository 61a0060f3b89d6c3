import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSharedConfig } from '../../config/config.js';
import { noteDeliveredTrace, traceOfDelivery } from './delivered-trace.js';
import { openSpanPerTrace } from './span-per-trace.js';
import { startTracing } from './start-tracing.js';
import { currentTraceparent, inSpan, isTracingOn, openSpan, traceLogFields } from './trace-context.js';
import type { RecordedEvent } from '@resoft/domain';

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-01$/;
const traceIdOf = (traceparent: string | undefined): string | undefined => (traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined);

/** A stand-in OTLP receiver at the process boundary: records what the exporter posts. */
async function receiver(): Promise<{ url: string; posts: { path: string; type: string; body: Buffer }[]; close(): Promise<void> }> {
  const posts: { path: string; type: string; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', type: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const event = (traceparent?: string): RecordedEvent =>
  ({ id: 'e', type: 'T', streamId: 's-1', revision: 0, position: 1, data: {}, metadata: { actor: null, correlationId: 'c', causationId: null, occurredAt: '', schema: 1, prevHash: '', hash: '', ...(traceparent ? { traceparent } : {}) } }) as RecordedEvent;

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('starts no exporter, opens no span and stamps no traceparent', async () => {
    const config = loadSharedConfig({});
    expect(config.tracing).toBeNull();
    const tracing = await startTracing(config.tracing, 'resoft-test');
    expect(tracing.exporting).toBe(false);
    expect(isTracingOn()).toBe(false);
    const inside = inSpan('work', {}, () => ({ traceparent: currentTraceparent(), fields: traceLogFields() }));
    expect(inside).toEqual({ traceparent: undefined, fields: {} });
    expect(openSpanPerTrace('publish', ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']).traceparentFor('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeUndefined();
  });

  it('refuses an endpoint that is not an http(s) URL, and OTEL_SDK_DISABLED keeps tracing off', () => {
    expect(() => loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing).toBeNull();
    expect(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318/', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).tracing).toEqual({
      tracesUrl: 'http://x:4318/v1/traces', serviceName: undefined, sampler: 'parentbased_traceidratio', samplerRatio: 0.1,
    });
  });
});

describe('tracing on', () => {
  it('continues a stored traceparent, hands the span on explicitly across awaits, and exports OTLP protobuf to <endpoint>/v1/traces', async () => {
    const otlp = await receiver();
    const tracing = await startTracing(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'resoft-tracing-spec' }).tracing, 'unused');
    try {
      expect(tracing.exporting).toBe(true);
      const stored = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const child = await inSpan('projection apply', { parent: stored, role: 'consumer' }, async (apply) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        // No async context: after an await nothing is current, the span is handed on.
        const lost = currentTraceparent();
        return { lost, ...inSpan('inner step', { parent: apply }, () => ({ traceparent: currentTraceparent(), fields: traceLogFields() })) };
      });
      expect(child.lost).toBeUndefined();
      expect(traceIdOf(child.traceparent)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(child.fields.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(child.traceparent).toContain(child.fields.span_id);
      // Opened in the synchronous part of a span's function with no parent named: a child of that span.
      const nested = inSpan('outer', { parent: stored }, () => inSpan('nested', {}, () => currentTraceparent()));
      expect(traceIdOf(nested)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

      const fresh = inSpan('new trace', { parent: null }, () => currentTraceparent());
      expect(traceIdOf(fresh)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');

      const other = '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00f067aa0ba902b7-01';
      const perTrace = openSpanPerTrace('relay publish', [stored, other, stored, undefined], { role: 'producer' });
      expect(traceIdOf(perTrace.traceparentFor(stored))).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(traceIdOf(perTrace.traceparentFor(other))).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
      expect(perTrace.traceparentFor(undefined)).toBeUndefined();
      perTrace.end();

      const delivered = event(stored);
      expect(traceOfDelivery(delivered)).toBe(stored);
      noteDeliveredTrace(delivered, perTrace.traceparentFor(other));
      expect(traceIdOf(traceOfDelivery(delivered))).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');

      await expect(inSpan('failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

      await tracing.flush();
      const post = otlp.posts.find((p) => p.path === '/v1/traces');
      expect(post?.type).toBe('application/x-protobuf');
      const body = Buffer.concat(otlp.posts.map((p) => p.body)).toString('latin1');
      for (const text of ['resoft-tracing-spec', 'projection apply', 'inner step', 'relay publish', 'failing', 'boom']) expect(body).toContain(text);
    } finally {
      await tracing.shutdown();
      await otlp.close();
    }
    expect(isTracingOn()).toBe(false);
  });

  it('records nothing for a trace the sampler drops: one shared no-op handle, no attributes built, no traceparent stamped, children dropped too', async () => {
    const otlp = await receiver();
    const tracing = await startTracing(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).tracing, 'resoft-sampling-spec');
    try {
      let built = 0;
      const attributes = () => {
        built += 1;
        return { 'resoft.x': 1 };
      };
      const root = openSpan('dropped root', { parent: null, attributes });
      const again = openSpan('dropped again', { parent: null, attributes });
      expect([root.recorded, root.traceparent, root === again, built]).toEqual([false, undefined, true, 0]);
      const child = inSpan('dropped child', { parent: root, attributes }, (span) => ({ recorded: span.recorded, current: currentTraceparent(), nested: openSpan('nested', {}).recorded }));
      expect([child, built]).toEqual([{ recorded: false, current: undefined, nested: false }, 0]);
      // Parent-based: a caller's sampled-out traceparent is followed, a sampled one kept although the ratio is 0.
      expect(openSpan('remote dropped', { parent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' }).recorded).toBe(false);
      const kept = openSpan('remote kept', { parent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', attributes });
      expect([traceIdOf(kept.traceparent), built]).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', 1]);
      kept.end();
      expect(openSpanPerTrace('relay publish', [undefined, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00']).traceparentFor('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')).toBeUndefined();
      await tracing.flush();
      const body = Buffer.concat(otlp.posts.map((p) => p.body)).toString('latin1');
      expect(body).toContain('remote kept');
      for (const text of ['dropped', 'nested']) expect(body).not.toContain(text);
    } finally {
      await tracing.shutdown();
      await otlp.close();
    }
  });

  it('decides a ratio alike in every process: by the trace id when a non-parent-based sampler sees a remote parent', async () => {
    const otlp = await receiver();
    const tracing = await startTracing(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }).tracing, 'resoft-ratio-spec');
    try {
      // Low 32 bits 0x00000001 fall under half the range, 0xffffffff above it, whatever the parent's flag says.
      expect(openSpan('low', { parent: '00-4bf92f3577b34da6a3ce929d00000001-00f067aa0ba902b7-00' }).recorded).toBe(true);
      expect(openSpan('high', { parent: '00-4bf92f3577b34da6a3ce929dffffffff-00f067aa0ba902b7-01' }).recorded).toBe(false);
      let kept = 0;
      for (let i = 0; i < 2000; i += 1) if (openSpan('root', { parent: null }).recorded) kept += 1;
      expect(kept).toBeGreaterThan(800);
      expect(kept).toBeLessThan(1200);
    } finally {
      await tracing.shutdown();
      await otlp.close();
    }
  });

  it('puts trace_id and span_id on log lines written inside a span', async () => {
    const otlp = await receiver();
    const tracing = await startTracing(loadSharedConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url }).tracing, 'resoft-log-spec');
    try {
      const lines: string[] = [];
      const logger = pino({ mixin: traceLogFields }, new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } }));
      const traceparent = inSpan('logged work', { parent: null }, () => {
        logger.info('inside');
        return currentTraceparent();
      });
      logger.info('outside');
      const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(inside?.['trace_id']).toBe(traceIdOf(traceparent));
      expect(typeof inside?.['span_id']).toBe('string');
      expect(outside?.['trace_id']).toBeUndefined();
    } finally {
      await tracing.shutdown();
      await otlp.close();
    }
  });
});
