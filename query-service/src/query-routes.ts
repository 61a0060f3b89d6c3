/** Every read endpoint of the query service, feature by feature. */
import type { RouteSpec } from '@resoft/http-kit';
import { analyticsQueries } from './analytics/analytics-queries.js';
import { exportQueries } from './analytics/export-queries.js';
import { sqlQueries } from './analytics/sql-queries.js';
import { auditQueries } from './audit/audit-queries.js';
import { auditLogRoutes } from './audit/audit-log-routes.js';
import { meRoutes } from './auth/me-routes.js';
import { checkQueries } from './code-quality/check-queries.js';
import { roomQueries } from './rooms/room-queries.js';
import { fileQueries } from './files/file-queries.js';
import { fileHistoryQueries } from './files/file-history-queries.js';
import { notificationQueries } from './notifications/notification-queries.js';
import { projectQueries } from './projects/project-queries.js';
import type { QueryServiceDeps } from './query-service-deps.js';
import { templateQueries } from './templates/template-queries.js';
import { timelineQueries } from './timeline/timeline-queries.js';

export const queryRoutes = (deps: QueryServiceDeps): RouteSpec[] => [
  ...meRoutes(deps),
  ...projectQueries(deps),
  ...roomQueries(deps),
  ...timelineQueries(deps),
  ...auditQueries(deps),
  ...auditLogRoutes(deps),
  ...checkQueries(deps),
  ...templateQueries(deps),
  ...fileQueries(deps),
  ...analyticsQueries(deps),
  ...exportQueries(deps),
  ...sqlQueries(deps),
  ...notificationQueries(deps),
  ...fileHistoryQueries(deps),
];
