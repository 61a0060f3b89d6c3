/** `GET /api/auth/me`: the signed-in user's profile. */
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { ReadModels, type UserView } from '@resoft/projectors';
import { readYourWrites } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery } from '../query-schemas.js';
import { Profile } from '@resoft/contracts';

export function meRoutes(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  return [
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/auth/me', summary: 'Your profile', tags: ['auth'], auth: 'user', query: consistentQuery,
      responses: { 200: { description: 'Your profile', body: Profile }, 401: 'Not signed in', 404: 'Not projected yet: retry with ?after=' },
      handler: async (ctx) => {
        const user = await deps.readStore.get<UserView>(ReadModels.users, ctx.user.id);
        if (!user) throw new HttpError(404, 'user_not_found', 'Your profile is not in the read model yet; retry with ?after=<position>');
        return { body: user };
      },
    }),
  ];
}
