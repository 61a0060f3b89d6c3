/**
 * One event-log subscription per gateway process, fanned out to the sockets that should hear
 * each event: a room's connections for joins, leaves and chat; a project's connections for file
 * locks, milestones, agent activity, checks and template runs; mentioned members for mentions.
 * It also keeps open documents current with changes stored by any writer.
 */
import type { ProjectRole, RecordedEvent } from '@resoft/domain';
import { inSpan, type Logger } from '@resoft/infra';
import { type EventStore, type Subscription } from '@resoft/ports';
import { encodeFrame, type Connection } from '../connection.js';
import { deliveriesFor, type Delivery } from './event-frames.js';

export interface HubListener {
  documentChanged(fileId: string, changes: readonly string[]): void;
  lockChanged(fileId: string, lockedBy: string | null): void;
  fileGone(fileId: string): void;
  accessChanged(projectId: string, userId: string, role: ProjectRole | null): void;
}

export class BroadcastHub {
  private readonly rooms = new Map<string, Set<Connection>>();
  private readonly projects = new Map<string, Map<Connection, number>>();
  private subscription: Subscription | null = null;
  private position = 0;

  constructor(
    private readonly store: EventStore,
    private readonly listener: HubListener,
    private readonly logger: Logger,
  ) {}

  /** The last position delivered. */
  get head(): number {
    return this.position;
  }

  async start(): Promise<void> {
    this.position = await this.store.headPosition();
    this.subscription = this.store.subscribeToAll({
      after: this.position,
      onEvents: async (events) => {
        for (const event of events) this.handle(event);
      },
      onError: (error) => this.logger.error({ err: error }, 'the broadcast hub stopped following the event log'),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  addToRoom(connection: Connection, roomId: string, projectId: string): void {
    (this.rooms.get(roomId) ?? this.rooms.set(roomId, new Set()).get(roomId)!).add(connection);
    this.follow(connection, projectId);
  }

  removeFromRoom(connection: Connection, roomId: string, projectId: string): void {
    const members = this.rooms.get(roomId);
    members?.delete(connection);
    if (members?.size === 0) this.rooms.delete(roomId);
    this.unfollow(connection, projectId);
  }

  /** A project's connections also include those with one of its documents open. */
  follow(connection: Connection, projectId: string): void {
    const followers = this.projects.get(projectId) ?? this.projects.set(projectId, new Map()).get(projectId)!;
    followers.set(connection, (followers.get(connection) ?? 0) + 1);
  }

  unfollow(connection: Connection, projectId: string): void {
    const followers = this.projects.get(projectId);
    const count = followers?.get(connection) ?? 0;
    if (count <= 1) followers?.delete(connection);
    else followers?.set(connection, count - 1);
    if (followers?.size === 0) this.projects.delete(projectId);
  }

  roomConnections(roomId: string): ReadonlySet<Connection> {
    return this.rooms.get(roomId) ?? new Set();
  }

  /** Who, among `candidates`, should receive a delivery. */
  audience(delivery: Delivery, candidates?: Iterable<Connection>): Connection[] {
    const pool = candidates ? [...candidates] : null;
    switch (delivery.scope) {
      case 'room':
        return [...(this.rooms.get(delivery.roomId) ?? [])].filter((c) => !pool || pool.includes(c));
      case 'project':
        return [...(this.projects.get(delivery.projectId)?.keys() ?? [])].filter((c) => !pool || pool.includes(c));
      case 'users':
        return [...(this.projects.get(delivery.projectId)?.keys() ?? [])].filter((c) => delivery.userIds.includes(c.user.id) && (!pool || pool.includes(c)));
    }
  }

  private handle(event: RecordedEvent): void {
    this.position = event.position;
    try {
      this.sideEffects(event);
      const deliver = () => {
        for (const delivery of deliveriesFor(event)) {
          const audience = this.audience(delivery);
          // Encoded once for the whole audience (a room or project can hold hundreds of connections).
          const encoded = audience.length > 1 ? encodeFrame(delivery.frame) : undefined;
          for (const connection of audience) connection.deliver(delivery.frame, encoded);
        }
      };
      // The broadcast continues the trace of the command that recorded the event.
      const parent = event.metadata.traceparent;
      if (parent) inSpan('gateway broadcast', { role: 'consumer', parent, attributes: { 'resoft.event.type': event.type, 'resoft.position': event.position } }, deliver);
      else deliver();
    } catch (error) {
      this.logger.error({ err: error, position: event.position, type: event.type }, 'could not broadcast an event');
    }
  }

  private sideEffects(event: RecordedEvent): void {
    const d = event.data as Record<string, unknown>;
    const fileId = String(d['fileId'] ?? '');
    switch (event.type) {
      case 'DocumentChanged':
        this.listener.documentChanged(fileId, d['changes'] as string[]);
        break;
      case 'FileLocked':
        this.listener.lockChanged(fileId, String(d['lockedBy']));
        break;
      case 'FileUnlocked':
        this.listener.lockChanged(fileId, null);
        break;
      case 'FileDeleted':
        this.listener.fileGone(fileId);
        break;
      case 'ProjectMemberRemoved':
        this.listener.accessChanged(String(d['projectId']), String(d['userId']), null);
        break;
      case 'ProjectMemberRoleChanged':
        this.listener.accessChanged(String(d['projectId']), String(d['userId']), d['role'] as ProjectRole);
        break;
    }
  }
}
