/** Every projection the platform runs, by name. */
import type { Projection } from '../runtime/projection.js';
import { activityProjection } from './activity-projection.js';
import { analyticsProjection } from './analytics-projection.js';
import { agentActivitiesProjection } from './agent-activities-projection.js';
import { filesProjection } from './files-projection.js';
import { chatProjection } from './chat-projection.js';
import { checksProjection } from './code-quality-projection.js';
import { projectStreamsProjection } from './project-streams-projection.js';
import { projectsProjection } from './projects-projection.js';
import { roomsProjection } from './rooms-projection.js';
import { templateRunsProjection } from './template-runs-projection.js';
import { usersProjection } from './users-projection.js';
import { notificationsProjection } from './notifications-projection.js';

export const allProjections: readonly Projection[] = [
  usersProjection,
  projectsProjection,
  roomsProjection,
  chatProjection,
  activityProjection,
  agentActivitiesProjection,
  projectStreamsProjection,
  checksProjection,
  templateRunsProjection,
  filesProjection,
  analyticsProjection,
  notificationsProjection,
];
