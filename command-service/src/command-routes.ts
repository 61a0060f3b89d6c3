/** Every write endpoint of the command service, feature by feature. */
import type { RouteSpec } from '@resoft/http-kit';
import { agentActivityRoutes } from './agents/agent-activity-routes.js';
import { authRoutes } from './auth/auth-routes.js';
import { erasureRoutes } from './auth/erasure-routes.js';
import { chatRoutes } from './chat/chat-routes.js';
import { checkRoutes } from './code-quality/check-routes.js';
import type { CommandServiceDeps } from './command-service-deps.js';
import { fileRoutes } from './files/file-routes.js';
import { versionLabelRoutes } from './files/version-label-routes.js';
import { unlockRequestRoutes } from './files/unlock-request-routes.js';
import { notificationRoutes } from './notifications/notification-routes.js';
import { milestoneRoutes } from './milestones/milestone-routes.js';
import { projectRoutes } from './projects/project-routes.js';
import { roomRoutes } from './rooms/room-routes.js';
import { templateApplyRoutes } from './templates/template-apply-routes.js';

export const commandRoutes = (deps: CommandServiceDeps): RouteSpec[] => [
  ...authRoutes(deps),
  ...erasureRoutes(deps),
  ...projectRoutes(deps),
  ...milestoneRoutes(deps),
  ...roomRoutes(deps),
  ...chatRoutes(deps),
  ...agentActivityRoutes(deps),
  ...checkRoutes(deps),
  ...templateApplyRoutes(deps),
  ...fileRoutes(deps),
  ...versionLabelRoutes(deps),
  ...unlockRequestRoutes(deps),
  ...notificationRoutes(deps),
];
