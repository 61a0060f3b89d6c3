/**
 * What the gateway measures (issue 16): frames in and out by type, how long each client frame
 * took to handle and whether it failed (RED per frame type), clients closed for not reading, and —
 * read at each scrape — open connections, rooms joined and documents open on this instance.
 */
import { discardMetrics, secondsSince, type Metrics } from '@resoft/infra';

/** What a connection reports as it writes. */
export interface ConnectionMeter {
  sent(frameType: string): void;
  slowConsumerClosed(): void;
}

/** The gateway's state the scrape-time gauges read. */
export interface GatewayCensus {
  readonly connections: number;
  readonly rooms: number;
  readonly openDocuments: number;
}

export class GatewayMetrics implements ConnectionMeter {
  private readonly received;
  private readonly handled;
  private readonly sentFrames;
  private readonly slowConsumers;

  constructor(metrics: Metrics = discardMetrics, census?: () => GatewayCensus) {
    this.received = metrics.counter({ name: 'resoft_websocket_frames_received_total', help: 'Client frames received by the collaboration gateway, by frame type.', labelNames: ['frame_type'] });
    this.handled = metrics.histogram({
      name: 'resoft_websocket_frame_duration_seconds', help: 'Time from receiving a client frame to having handled it (its wait in the connection queue included), by frame type and outcome (ok, error).', labelNames: ['frame_type', 'outcome'],
    });
    this.sentFrames = metrics.counter({ name: 'resoft_websocket_frames_sent_total', help: 'Frames sent to clients, by frame type.', labelNames: ['frame_type'] });
    this.slowConsumers = metrics.counter({ name: 'resoft_websocket_slow_consumer_closes_total', help: 'Connections closed because the client stopped reading (4408).' });
    if (census) {
      metrics.observe({ name: 'resoft_gateway_connections', help: 'Open WebSocket connections on this gateway instance.' }, () => [{ value: census().connections }]);
      metrics.observe({ name: 'resoft_gateway_rooms', help: 'Rooms with at least one connection on this gateway instance.' }, () => [{ value: census().rooms }]);
      metrics.observe({ name: 'resoft_gateway_open_documents', help: 'Documents open by at least one connection on this gateway instance.' }, () => [{ value: census().openDocuments }]);
    }
  }

  /** Counts a received frame; the returned function records its handling once it is done. */
  receivedFrame(frameType: string): (outcome: 'ok' | 'error') => void {
    this.received.add(1, { frame_type: frameType });
    const started = process.hrtime.bigint();
    return (outcome) => this.handled.record(secondsSince(started), { frame_type: frameType, outcome });
  }

  sent(frameType: string): void {
    this.sentFrames.add(1, { frame_type: frameType });
  }

  slowConsumerClosed(): void {
    this.slowConsumers.add();
  }
}
