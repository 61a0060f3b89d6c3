import { roomStreamId } from '@resoft/domain';
import { murmur2Partitioner } from '@resoft/adapter-kafka';
import { rebuildCommand } from '@resoft/cli';
import type { Session } from '@resoft/testkit';
import { FaultKafkaBroker, FaultPipeline } from '@resoft/testkit/faults';
import type { RoutedClient } from '@resoft/testkit/processes';

// These tests stop and restart a broker, so they start one of their own on other ports; KAFKA_BROKERS
// only says that the engine can be installed here (CI sets it after `infra/engines/kafka.sh start`).
const canRunKafka = Boolean(process.env['KAFKA_BROKERS']);
if (!canRunKafka) console.warn('pipeline fault tests skipped: KAFKA_BROKERS not set (they start their own broker with infra/engines/kafka.sh; set it once a broker can run here)');
const describeWithKafka = canRunKafka ? describe : describe.skip;
const FAULT_KAFKA_PORT = Number(process.env['RESOFT_FAULT_KAFKA_PORT'] ?? 29092);

interface Room {
  readonly owner: Session;
  readonly guest: Session;
  readonly projectId: string;
  readonly roomId: string;
}

/** A project with a room that two users joined, the ground the writes of a test land on. */
async function openRoom(api: RoutedClient, prefix: string): Promise<Room> {
  const owner = await api.signUp(`${prefix}_owner`);
  const guest = await api.signUp(`${prefix}_guest`);
  const projectId = (await api.post('/api/projects', { name: `${prefix} project` }, owner.accessToken)).body.id;
  await api.post(`/api/projects/${projectId}/members`, { username: guest.username, role: 'editor' }, owner.accessToken);
  const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken)).body.id;
  for (const user of [owner, guest]) await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, user.accessToken);
  return { owner, guest, projectId, roomId };
}

/** Posts `count` chat messages one after the other; every post must be accepted. Returns the last position. */
async function chat(api: RoutedClient, room: Room, label: string, count: number): Promise<number> {
  let position = 0;
  for (let i = 0; i < count; i++) {
    const author = i % 2 ? room.guest : room.owner;
    const posted = await api.post('/api/collaboration/chat', { roomId: room.roomId, text: `${label} ${i}` }, author.accessToken);
    if (posted.status !== 201) throw new Error(`posting "${label} ${i}" answered ${posted.status} ${JSON.stringify(posted.body)}`);
    position = posted.body.position;
  }
  return position;
}

/** Leaves and joins the room again `times` times, so the room's memberCount would show a double application. */
async function rejoin(api: RoutedClient, room: Room, times: number): Promise<number> {
  let position = 0;
  for (let i = 0; i < times; i++) {
    for (const action of ['leave', 'join']) {
      const answer = await api.post(`/api/collaboration/rooms/${room.roomId}/${action}`, {}, room.guest.accessToken);
      if (answer.status !== 200) throw new Error(`${action} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      position = answer.body.position;
    }
  }
  return position;
}

/**
 * Waits (bounded) until the query process has caught up with `position`, then checks what the room
 * shows. After a broker restart or a killed member the consumer group may wait out the session
 * timeout (30 s) of members that are gone before it hands their partitions over, hence the bound.
 */
async function expectCaughtUp(pipeline: FaultPipeline, api: RoutedClient, room: Room, position: number, messages: number): Promise<void> {
  const history = await api.readWhenFresh(`/api/collaboration/chat/${room.roomId}/history?limit=200`, position, room.owner.accessToken, 90_000);
  if (history.headers.get('resoft-consistency') !== 'fresh') {
    throw new Error(`the query process was not fresh at position ${position} within the wait; readiness: ${JSON.stringify(await pipeline.readiness())}`);
  }
  expect(history.body.messages).toHaveLength(messages);
  expect((await api.get(`/api/collaboration/rooms/${room.roomId}`, room.owner.accessToken)).body.memberCount).toBe(2);
}

/** Stops every process and compares the read models they built with a rebuild from the event store. */
async function expectSameAsRebuild(pipeline: FaultPipeline, messages: number): Promise<void> {
  await pipeline.stop();
  const { live, rebuilt } = await pipeline.liveAndRebuilt();
  expect(live['chat_messages']).toHaveLength(messages);
  expect(live).toEqual(rebuilt);
}

describeWithKafka('the Kafka pipeline under faults (command, relay, two projectors and query as processes, own broker)', () => {
  let broker: FaultKafkaBroker;

  beforeAll(async () => {
    broker = await FaultKafkaBroker.start(FAULT_KAFKA_PORT, FAULT_KAFKA_PORT + 1);
  }, 150_000);

  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('loses nothing when the broker stops mid-stream and comes back on its storage: writes go on, read models equal a rebuild', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'restart');
      await expectCaughtUp(pipeline, api, room, await chat(api, room, 'before', 15), 15);

      await broker.stopProcess();
      // The command side writes to the event store only, so it does not notice the bus is gone.
      await chat(api, room, 'while down', 15);
      await rejoin(api, room, 3);
      await broker.restart();

      const last = await chat(api, room, 'after', 15);
      await expectCaughtUp(pipeline, api, room, last, 45);
      await expectSameAsRebuild(pipeline, 45);
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 180_000);

  it('recovers on its own when the broker restarts on empty storage (kafka.sh stop, start): the topic comes back, nothing acknowledged is lost', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'wiped');
      await expectCaughtUp(pipeline, api, room, await chat(api, room, 'before', 10), 10);

      const wipedAt = Date.now();
      let projectorsWhileDown: unknown[] = [];
      await broker.wipeAndRestart(async () => {
        // Consumers that lost their broker crash and restart: they must say so (not ready), not look fine.
        const deadline = Date.now() + 90_000;
        do {
          await new Promise((resolve) => setTimeout(resolve, 500));
          projectorsWhileDown = await Promise.all(pipeline.projectors.map(async (p) => (await p.client.get('/readyz')).body));
        } while (projectorsWhileDown.every((state) => (state as { status?: string }).status === 'ready') && Date.now() < deadline);
      });
      expect(projectorsWhileDown.some((state) => (state as { status?: string }).status === 'unavailable')).toBe(true);
      const restartedAt = Date.now();
      await rejoin(api, room, 2);
      const last = await chat(api, room, 'after the wipe', 10);
      await expectCaughtUp(pipeline, api, room, last, 20);
      console.log(`broker wiped and restarted in ${restartedAt - wipedAt} ms; the pipeline caught up ${Date.now() - restartedAt} ms after the broker was back`);
      // Readiness follows within a fetch or two: a consumer that crashed reads ready once it fetches again.
      const deadline = Date.now() + 30_000;
      let states = await pipeline.readiness();
      while (states.some((state) => (state as { status?: string }).status !== 'ready') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        states = await pipeline.readiness();
      }
      expect(states.map((state) => (state as { status?: string }).status === 'ready' ? 'ready' : state)).toEqual(pipeline.processes.map(() => 'ready'));
      await expectSameAsRebuild(pipeline, 20);
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 300_000);

  it('keeps publishing when the active relay is SIGKILLed: the standby relay takes over from the checkpoint', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'relayfail');
      const second = await pipeline.addRelay();
      // Whichever relay writes second stands by; the standby's /readyz says so.
      await expectCaughtUp(pipeline, api, room, await chat(api, room, 'before', 10), 10);
      const states = await Promise.all(pipeline.relays.map(async (r) => (await r.client.get('/readyz')).status));
      expect([...states].sort()).toEqual([200, 503]);
      const active = pipeline.relays[states.indexOf(200)]!;
      const standby = active === second ? pipeline.relays[0]! : second;

      await pipeline.kill(active);
      const last = await chat(api, room, 'after the relay died', 10);
      await expectCaughtUp(pipeline, api, room, last, 20);
      expect((await standby.client.get('/readyz')).status).toBe(200);
      await expectSameAsRebuild(pipeline, 20);
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 150_000);

  it('rebuilds read models in bus mode once the projectors are stopped (refused while they run); restarted consumers go on from the rebuild', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'rebuild');
      await expectCaughtUp(pipeline, api, room, await chat(api, room, 'before', 10), 10);
      await expect(rebuildCommand(['chat'], pipeline.env, quiet)).rejects.toThrow(/active member/);

      for (const projectors of [...pipeline.projectors]) await pipeline.stopProcess(projectors);
      await chat(api, room, 'while stopped', 5);
      // A join is not idempotent in the rooms read model (it counts members): applied twice, it shows.
      const third = await api.signUp('rebuild_third');
      await api.post(`/api/projects/${room.projectId}/members`, { username: third.username, role: 'viewer' }, room.owner.accessToken);
      await api.post(`/api/collaboration/rooms/${room.roomId}/join`, {}, third.accessToken);
      await rebuildCommand([], pipeline.env, quiet);
      await pipeline.addProjectors();
      await pipeline.addProjectors();
      const last = await chat(api, room, 'after', 5);
      const history = await api.readWhenFresh(`/api/collaboration/chat/${room.roomId}/history?limit=200`, last, room.owner.accessToken, 90_000);
      expect([history.headers.get('resoft-consistency'), history.body.messages.length]).toEqual(['fresh', 20]);
      expect((await api.get(`/api/collaboration/rooms/${room.roomId}`, room.owner.accessToken)).body.memberCount).toBe(3);
      await expectSameAsRebuild(pipeline, 20);
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 180_000);

  it('hands a SIGKILLed projectors process\'s partitions to the survivor within 10 s (6 s session timeout)', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'takeover');
      // One room on every partition, so whichever partitions the killed process held, a write waits on them.
      const partitionOf = murmur2Partitioner(3);
      const rooms = new Map<number, string>([[partitionOf(roomStreamId(room.roomId)), room.roomId]]);
      while (rooms.size < 3) {
        const roomId = (await api.post('/api/collaboration/rooms', { projectId: room.projectId, name: `room ${rooms.size}` }, room.owner.accessToken)).body.id as string;
        await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, room.owner.accessToken);
        if (!rooms.has(partitionOf(roomStreamId(roomId)))) rooms.set(partitionOf(roomStreamId(roomId)), roomId);
      }
      const post = async (label: string) => {
        let position = 0;
        for (const roomId of rooms.values()) position = (await api.post('/api/collaboration/chat', { roomId, text: label }, room.owner.accessToken)).body.position;
        return position;
      };
      await expectCaughtUp(pipeline, api, room, await post('before'), 1);
      // The second member's join rebalances the group; past a few heartbeats (2 s) both hold partitions,
      // so the kill takes some away from the group rather than hitting a member still joining.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      await expectCaughtUp(pipeline, api, room, await post('settled'), 2);

      const killedAt = Date.now();
      await pipeline.kill(pipeline.projectors[0]!);
      const last = await post('after the kill');
      const history = await api.readWhenFresh(`/api/collaboration/chat/${room.roomId}/history?limit=10`, last, room.owner.accessToken, 60_000);
      const takeoverMs = Date.now() - killedAt;
      console.log(`a write made right after a projectors process was SIGKILLed was visible ${takeoverMs} ms after the kill`);
      expect(history.headers.get('resoft-consistency')).toBe('fresh');
      expect(takeoverMs).toBeLessThan(10_000 + 5_000); // the 10 s, with room for a loaded machine
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 180_000);

  it('applies nothing twice when a projectors process is SIGKILLed under load and another takes its place', async () => {
    const pipeline = await FaultPipeline.start(broker.brokers);
    try {
      const api = pipeline.api();
      const room = await openRoom(api, 'sigkill');
      let posted = 0;
      // Two writers, so batches of several events are in flight when the kill lands.
      const writing = Promise.all([
        (async () => {
          for (; posted < 120; posted++) await chat(api, room, `stream ${posted}`, 1);
        })(),
        rejoin(api, room, 20),
      ]);
      const deadline = Date.now() + 30_000;
      while (posted < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await pipeline.kill(pipeline.projectors[0]!);
      await pipeline.addProjectors();
      await writing;

      const last = await chat(api, room, 'last', 1);
      await expectCaughtUp(pipeline, api, room, last, 121);
      await expectSameAsRebuild(pipeline, 121);
    } finally {
      await pipeline.stop();
      pipeline.remove();
    }
  }, 150_000);
});
