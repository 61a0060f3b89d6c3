/**
 * The pipeline benchmark's fault phase: the distributed pipeline as separate processes (command,
 * relay, two projectors, query on SQLite files, as the fault tests run it) on a Kafka broker of its
 * own (its own ports and run dir: the shared broker is never touched), and two times an operator
 * cares about:
 * - takeover: from SIGKILL of a projectors process until a write made right after it, on rooms that
 *   cover every partition, is visible through the query process (`?after=` answers fresh);
 * - recovery after the broker restarts on wiped storage (`kafka.sh stop`, `start`): how long the
 *   broker itself took, and from the broker answering again until a new write is visible.
 */
import { roomStreamId } from '@resoft/domain';
import { murmur2Partitioner } from '@resoft/adapter-kafka';
import type { ApiResponse, Session } from '@resoft/testkit';
import { FaultKafkaBroker, FaultPipeline } from '@resoft/testkit/faults';
import type { RoutedClient } from '@resoft/testkit/processes';

export interface FaultFigures {
  /** SIGKILL of one projectors process → a write made right after it is visible. */
  readonly takeoverMs: number;
  /** `kafka.sh stop` + `start` (fresh storage) until the broker answers. */
  readonly brokerRestartMs: number;
  /** Broker answering again → a write made then is visible (topic re-created, consumers back). */
  readonly recoveryMs: number;
}

const PARTITIONS = 3;
const VISIBLE_WITHIN_MS = 120_000;

/** Rooms of one project, one on each partition, so a write to each waits on every partition. */
async function roomsOnEveryPartition(api: RoutedClient, owner: Session): Promise<string[]> {
  const projectId = (await api.post('/api/projects', { name: 'Fault bench' }, owner.accessToken)).body.id as string;
  const partitionOf = murmur2Partitioner(PARTITIONS);
  const rooms = new Map<number, string>();
  for (let n = 0; rooms.size < PARTITIONS && n < 60; n++) {
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: `room ${n}` }, owner.accessToken)).body.id as string;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, owner.accessToken);
    if (!rooms.has(partitionOf(roomStreamId(roomId)))) rooms.set(partitionOf(roomStreamId(roomId)), roomId);
  }
  return [...rooms.values()];
}

/** Posts one message to every room and waits until the query process shows all of them; the ms that took. */
async function writeAndSee(api: RoutedClient, owner: Session, rooms: readonly string[], label: string): Promise<ApiResponse> {
  let position = 0;
  for (const roomId of rooms) {
    const posted = await api.post('/api/collaboration/chat', { roomId, text: label }, owner.accessToken);
    if (posted.status !== 201) throw new Error(`posting "${label}" answered ${posted.status}`);
    position = posted.body.position as number;
  }
  const answer = await api.readWhenFresh(`/api/collaboration/chat/${rooms[0]}/history?limit=5`, position, owner.accessToken, VISIBLE_WITHIN_MS);
  if (answer.headers.get('resoft-consistency') !== 'fresh') throw new Error(`"${label}" was not visible within ${VISIBLE_WITHIN_MS} ms`);
  return answer;
}

export async function measureFaults(port: number, log: (line: string) => void): Promise<FaultFigures> {
  const broker = await FaultKafkaBroker.start(port, port + 1);
  let pipeline: FaultPipeline | null = null;
  try {
    pipeline = await FaultPipeline.start(broker.brokers, PARTITIONS);
    const api = pipeline.api();
    const owner = await api.signUp('fault_bench_owner');
    const rooms = await roomsOnEveryPartition(api, owner);
    await writeAndSee(api, owner, rooms, 'before');
    // Past the second member's join and a few heartbeats, both members hold partitions.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await writeAndSee(api, owner, rooms, 'settled');

    const killedAt = Date.now();
    await pipeline.kill(pipeline.projectors[0]!);
    await writeAndSee(api, owner, rooms, 'after the kill');
    const takeoverMs = Date.now() - killedAt;
    log(`takeover: a write made right after SIGKILL of a projectors process was visible ${takeoverMs} ms after the kill`);

    const wipedAt = Date.now();
    await broker.wipeAndRestart();
    const backAt = Date.now();
    await writeAndSee(api, owner, rooms, 'after the broker restart');
    const recoveryMs = Date.now() - backAt;
    log(`broker restart on wiped storage: the broker took ${backAt - wipedAt} ms; a write made then was visible ${recoveryMs} ms after it answered`);
    return { takeoverMs, brokerRestartMs: backAt - wipedAt, recoveryMs };
  } finally {
    await pipeline?.stop();
    pipeline?.remove();
    await broker.stop();
  }
}
