/** Who may see a stream's events: its project's members, the user of a user stream, administrators for any. A stream you may not see is "not found". */
import { userStreamId } from '@resoft/domain';
import { HttpError } from '@resoft/http-kit';
import { ReadModels, type ProjectStreamView } from '@resoft/projectors';
import { isAdmin, requireMember } from '../auth/membership.js';
import type { QueryServiceDeps } from '../query-service-deps.js';

export async function requireStreamReader(deps: QueryServiceDeps, streamId: string, userId: string, options: { admins?: boolean } = {}): Promise<void> {
  if (streamId === userStreamId(userId)) return;
  if (options.admins && (await isAdmin(deps, userId))) return;
  const owner = await deps.readStore.get<ProjectStreamView>(ReadModels.streams, streamId);
  if (!owner) throw new HttpError(404, 'stream_not_found', 'Stream not found');
  await requireMember(deps, owner.projectId, userId);
}
