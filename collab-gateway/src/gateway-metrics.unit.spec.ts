import { PrometheusMetrics } from '@resoft/infra';
import type { WebSocket } from 'ws';
import { Connection } from './connection.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** The socket boundary: what Connection touches of a `ws` WebSocket, with a send buffer the test fills. */
function socket(bufferedAmount = 0) {
  const sent: unknown[] = [];
  const closes: number[] = [];
  const ws = { OPEN: 1, readyState: 1, bufferedAmount, send: (data: unknown) => sent.push(data), close: (code: number) => closes.push(code), terminate: () => undefined };
  return { ws: ws as unknown as WebSocket, sent, closes };
}

const limits = { maxQueuedFrames: 8, maxBufferedBytes: 1000 };

describe('the gateway\'s metrics', () => {
  it('counts frames sent by type, binary ones as sync, and nothing for a connection that is closed', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    const meter = new GatewayMetrics(metrics);
    const { ws } = socket();
    const connection = new Connection('c1', { id: 'u1', username: 'ann' }, ws, limits, null, meter);
    connection.send({ type: 'collaboration:error', code: 'x', message: 'y' });
    connection.send({ type: 'collaboration:error', code: 'x', message: 'y' });
    connection.sendBinary(new Uint8Array([1, 2]));
    connection.closed = true;
    connection.send({ type: 'collaboration:error', code: 'x', message: 'y' });
    const text = await metrics.exposition();
    expect(text).toMatch(/^resoft_websocket_frames_sent_total\{frame_type="collaboration:error"\} 2$/m);
    expect(text).toMatch(/^resoft_websocket_frames_sent_total\{frame_type="sync"\} 1$/m);
  });

  it('counts a client closed for not reading (4408) as a slow consumer, and the frame as not sent', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    const { ws, sent, closes } = socket(5000);
    const connection = new Connection('c2', { id: 'u2', username: 'bob' }, ws, limits, null, new GatewayMetrics(metrics));
    connection.send({ type: 'collaboration:error', code: 'x', message: 'y' });
    expect([sent.length, closes]).toEqual([0, [4408]]);
    const text = await metrics.exposition();
    expect(text).toMatch(/^resoft_websocket_slow_consumer_closes_total 1$/m);
    expect(text).not.toMatch(/^resoft_websocket_frames_sent_total\{/m);
  });

  it('times each received frame by type and outcome, and reads connections, rooms and documents at scrape time', async () => {
    const metrics = new PrometheusMetrics({ nodeMetrics: false });
    let census = { connections: 2, rooms: 1, openDocuments: 3 };
    const meter = new GatewayMetrics(metrics, () => census);
    meter.receivedFrame('collaboration:join')('ok');
    meter.receivedFrame('collaboration:chat')('error');
    let text = await metrics.exposition();
    expect(text).toMatch(/^resoft_websocket_frames_received_total\{frame_type="collaboration:join"\} 1$/m);
    expect(text).toMatch(/^resoft_websocket_frame_duration_seconds_count\{frame_type="collaboration:join",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^resoft_websocket_frame_duration_seconds_count\{frame_type="collaboration:chat",outcome="error"\} 1$/m);
    expect(text).toMatch(/^resoft_gateway_connections 2$/m);
    census = { connections: 0, rooms: 0, openDocuments: 0 };
    text = await metrics.exposition();
    expect(text).toMatch(/^resoft_gateway_connections 0$/m);
    expect(text).toMatch(/^resoft_gateway_open_documents 0$/m);
  });
});
