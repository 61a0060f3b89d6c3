import { fold } from '../shared/decider.js';
import { given } from '../shared/given-when-then.js';
import type { ProjectContext } from '../shared/project-context.js';
import { ANN, EVE, PROJECT_ID, VIC, ZED, apollo, apolloArchived, noProject } from '../shared/project-fixture.js';
import { projectDecider } from '../projects/project-decider.js';
import { roomDecider, type RoomCommand } from './room-decider.js';
import type { RoomEvent } from './room-events.js';

const ROOM_ID = 'r-general';
const inApollo = { projectId: PROJECT_ID, roomId: ROOM_ID };
const by = (actorId: string, project: ProjectContext = apollo()) => ({ actorId, project });

const created: RoomEvent = { type: 'RoomCreated', data: { ...inApollo, name: 'General', description: 'Anything goes', createdBy: EVE } };
const joined = (userId: string): RoomEvent => ({ type: 'RoomJoined', data: { ...inApollo, userId } });
const left = (userId: string): RoomEvent => ({ type: 'RoomLeft', data: { ...inApollo, userId } });
const posted = (messageId: string, authorId: string, text = 'hello'): RoomEvent =>
  ({ type: 'ChatMessagePosted', data: { ...inApollo, messageId, authorId, text, mentions: [], codeBlocks: [] } });
const deleted = (messageId: string): RoomEvent => ({ type: 'ChatMessageDeleted', data: { ...inApollo, messageId } });

const room = (...more: RoomEvent[]) => given(roomDecider, [created, ...more]);
/** The general room with Vic and Eve in it, and one message from each. */
const chatting = (...more: RoomEvent[]) => room(joined(VIC), joined(EVE), posted('m-vic', VIC), posted('m-eve', EVE), ...more);

/** Zeus, another project that Vic owns, to show a room does not answer for a project it is not in. */
const zeus: ProjectContext = fold(projectDecider, [
  { type: 'ProjectCreated', data: { projectId: 'p-zeus', name: 'Zeus', description: '', ownerId: VIC, ownerUsername: 'vic' } },
]);

describe('creating a room', () => {
  const create = (actorId: string, project?: ProjectContext): RoomCommand =>
    ({ type: 'CreateRoom', roomId: ROOM_ID, name: 'General', description: 'Anything goes', ...by(actorId, project) });

  it('lets an editor create a room in the project', () => {
    given(roomDecider, []).when(create(EVE)).thenEmits([created]);
  });

  it('lets an owner create a room', () => {
    given(roomDecider, []).when(create(ANN)).thenEmits([{ ...created, data: { ...created.data, createdBy: ANN } }]);
  });

  it('is forbidden to a viewer', () => {
    given(roomDecider, []).when(create(VIC)).thenRejects('forbidden', 'insufficient_role');
  });

  it('answers "not found" to a non-member', () => {
    given(roomDecider, []).when(create(ZED)).thenRejects('not_found', 'project_not_found');
  });

  it('answers "not found" when the project was never created', () => {
    given(roomDecider, []).when(create(EVE, noProject)).thenRejects('not_found', 'project_not_found');
  });

  it('is refused once the project is archived', () => {
    given(roomDecider, []).when(create(EVE, apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
  });

  it('refuses a room id that is already taken', () => {
    room().when(create(ANN)).thenRejects('conflict', 'room_exists');
  });
});

describe('what any member may do in a room', () => {
  // Commands open to every member of the project, whatever their role.
  const commands: Array<[string, (actorId: string, project?: ProjectContext) => RoomCommand]> = [
    ['joining', (actorId, project) => ({ type: 'JoinRoom', ...by(actorId, project) })],
    ['leaving', (actorId, project) => ({ type: 'LeaveRoom', ...by(actorId, project) })],
    ['posting', (actorId, project) => ({ type: 'PostChatMessage', messageId: 'm-new', text: 'hi', ...by(actorId, project) })],
    ['editing a message', (actorId, project) => ({ type: 'EditChatMessage', messageId: 'm-vic', text: 'hi', ...by(actorId, project) })],
    ['deleting a message', (actorId, project) => ({ type: 'DeleteChatMessage', messageId: 'm-vic', ...by(actorId, project) })],
  ];

  describe.each(commands)('%s', (_what, command) => {
    it('answers "not found" to a non-member of the project', () => {
      chatting().when(command(ZED)).thenRejects('not_found', 'project_not_found');
    });

    it('answers "not found" to someone who has left the project since', () => {
      chatting().when(command(VIC, apollo({ type: 'ProjectMemberRemoved', data: { projectId: PROJECT_ID, userId: VIC } })))
        .thenRejects('not_found', 'project_not_found');
    });

    it('is refused once the project is archived', () => {
      chatting().when(command(VIC, apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
    });

    it('answers "not found" for a room that was never created', () => {
      given(roomDecider, []).when(command(VIC)).thenRejects('not_found', 'room_not_found');
    });

    it('answers "not found" when asked through another project', () => {
      chatting().when(command(VIC, zeus)).thenRejects('not_found', 'room_not_found');
    });
  });
});

describe('joining and leaving', () => {
  it.each([['a viewer', VIC], ['an editor', EVE], ['an owner', ANN]])('lets %s join', (_who, actorId) => {
    room().when({ type: 'JoinRoom', ...by(actorId) }).thenEmits([joined(actorId)]);
  });

  it('records nothing when the member is already in the room', () => {
    room(joined(VIC)).when({ type: 'JoinRoom', ...by(VIC) }).thenEmitsNothing();
  });

  it('lets a member who left join again', () => {
    room(joined(VIC), left(VIC)).when({ type: 'JoinRoom', ...by(VIC) }).thenEmits([joined(VIC)]);
  });

  it('lets a member in the room leave', () => {
    room(joined(VIC)).when({ type: 'LeaveRoom', ...by(VIC) }).thenEmits([left(VIC)]);
  });

  it('refuses to let a member leave a room they are not in', () => {
    room(joined(EVE)).when({ type: 'LeaveRoom', ...by(VIC) }).thenRejects('conflict', 'not_in_room');
  });

  it('refuses to let a member leave twice', () => {
    room(joined(VIC), left(VIC)).when({ type: 'LeaveRoom', ...by(VIC) }).thenRejects('conflict', 'not_in_room');
  });
});

describe('posting a message', () => {
  const post = (text: string, actorId = VIC, project?: ProjectContext): RoomCommand =>
    ({ type: 'PostChatMessage', messageId: 'm-1', text, ...by(actorId, project) });
  const postedBy = (authorId: string, text: string, mentions: string[], codeBlocks: Array<{ language: string; code: string }> = []): RoomEvent =>
    ({ type: 'ChatMessagePosted', data: { ...inApollo, messageId: 'm-1', authorId, text, mentions, codeBlocks } });

  it('lets a viewer who joined post', () => {
    room(joined(VIC)).when(post('hello all')).thenEmits([postedBy(VIC, 'hello all', [])]);
  });

  it('refuses a member who has not joined the room', () => {
    room(joined(EVE)).when(post('hello')).thenRejects('forbidden', 'not_in_room');
  });

  it('refuses a member who has left the room', () => {
    room(joined(VIC), left(VIC)).when(post('hello')).thenRejects('forbidden', 'not_in_room');
  });

  it('refuses a message id that is already taken', () => {
    room(joined(VIC), posted('m-1', EVE)).when(post('hello')).thenRejects('conflict', 'message_exists');
  });

  it('resolves mentions to the user ids of project members, whatever the case', () => {
    room(joined(VIC)).when(post('@ANN and @Eve, look')).thenEmits([postedBy(VIC, '@ANN and @Eve, look', [ANN, EVE])]);
  });

  it('resolves mentions of members who are not in the room', () => {
    room(joined(VIC)).when(post('@eve come in')).thenEmits([postedBy(VIC, '@eve come in', [EVE])]);
  });

  it('ignores mentions of users outside the project and of no one', () => {
    room(joined(VIC)).when(post('@zed @nobody @eve')).thenEmits([postedBy(VIC, '@zed @nobody @eve', [EVE])]);
  });

  it('ignores a mention of someone who has been removed from the project', () => {
    const withoutEve = apollo({ type: 'ProjectMemberRemoved', data: { projectId: PROJECT_ID, userId: EVE } });
    room(joined(VIC)).when(post('@eve?', VIC, withoutEve)).thenEmits([postedBy(VIC, '@eve?', [])]);
  });

  it('resolves a member added to the project later', () => {
    const withZed = apollo({ type: 'ProjectMemberAdded', data: { projectId: PROJECT_ID, userId: ZED, username: 'zed', role: 'viewer' } });
    room(joined(VIC)).when(post('@zed welcome', VIC, withZed)).thenEmits([postedBy(VIC, '@zed welcome', [ZED])]);
  });

  it('names each mentioned member once', () => {
    room(joined(VIC)).when(post('@eve @EVE @eve')).thenEmits([postedBy(VIC, '@eve @EVE @eve', [EVE])]);
  });

  it('ignores mentions in code and records the code blocks', () => {
    const text = 'fix by @ann:\n```ts\n// @eve\nfix();\n```\nnot `@vic`';
    room(joined(VIC)).when(post(text)).thenEmits([postedBy(VIC, text, [ANN], [{ language: 'ts', code: '// @eve\nfix();' }])]);
  });
});

describe('editing a message', () => {
  const edit = (messageId: string, actorId: string, text = 'edited'): RoomCommand =>
    ({ type: 'EditChatMessage', messageId, text, ...by(actorId) });

  it('lets the author edit, with mentions and code read again', () => {
    const text = 'now with @eve and\n```\nx\n```';
    chatting().when(edit('m-vic', VIC, text)).thenEmits([
      { type: 'ChatMessageEdited', data: { ...inApollo, messageId: 'm-vic', text, mentions: [EVE], codeBlocks: [{ language: 'text', code: 'x' }] } },
    ]);
  });

  it('lets the author edit the same message twice', () => {
    const edited: RoomEvent = { type: 'ChatMessageEdited', data: { ...inApollo, messageId: 'm-vic', text: 'one', mentions: [], codeBlocks: [] } };
    chatting(edited).when(edit('m-vic', VIC, 'two')).thenEmits([{ ...edited, data: { ...edited.data, text: 'two' } }]);
  });

  it.each([['another member', EVE], ['an owner', ANN]])('is forbidden to %s', (_who, actorId) => {
    chatting().when(edit('m-vic', actorId)).thenRejects('forbidden', 'not_your_message');
  });

  it('answers "not found" for a message that was never posted', () => {
    chatting().when(edit('m-none', VIC)).thenRejects('not_found', 'message_not_found');
  });

  it('answers "not found" for a deleted message', () => {
    chatting(deleted('m-vic')).when(edit('m-vic', VIC)).thenRejects('not_found', 'message_not_found');
  });
});

describe('deleting a message', () => {
  const remove = (messageId: string, actorId: string): RoomCommand => ({ type: 'DeleteChatMessage', messageId, ...by(actorId) });

  it('lets the author delete', () => {
    chatting().when(remove('m-eve', EVE)).thenEmits([deleted('m-eve')]);
  });

  it.each([['another member', VIC], ['an owner', ANN]])('is forbidden to %s', (_who, actorId) => {
    chatting().when(remove('m-eve', actorId)).thenRejects('forbidden', 'not_your_message');
  });

  it('refuses to delete a message twice', () => {
    chatting(deleted('m-eve')).when(remove('m-eve', EVE)).thenRejects('not_found', 'message_not_found');
  });

  it('answers "not found" for a message that was never posted', () => {
    chatting().when(remove('m-none', EVE)).thenRejects('not_found', 'message_not_found');
  });

  it('leaves the other messages alone', () => {
    chatting(deleted('m-eve')).when(remove('m-vic', VIC)).thenEmits([deleted('m-vic')]);
  });
});
