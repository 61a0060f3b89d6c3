/**
 * What the read handlers answer fits the answer schemas they publish (contracts/): checked by the
 * compiler, so a field added to a domain record or a read-model view without its contract (or the
 * other way round) breaks this build instead of a client. Nothing here runs.
 */
import type { z } from 'zod';
import type {
  ActivityEntry, AgentActivity, AuditKeys, AuditVerification, CheckReport, Finding, SignedTreeHeadAnswer, TemplateDescription, TemplateRun, TemplateSummary, AnswerFits,
} from '@resoft/contracts';
import type { AuditPublicKey, AuditReport, CheckReport as FoldedCheckReport, Finding as DomainFinding, SignedTreeHead } from '@resoft/domain';
import type { ActivityView, AgentActivityView, TemplateRunView } from '@resoft/projectors';
import type { describe as describeTemplate, summarize } from '@resoft/templates';

type In<S extends z.ZodType> = z.input<S>;

export const answerContractsHold: [
  AnswerFits<In<typeof Finding>, DomainFinding>,
  AnswerFits<In<typeof CheckReport>, FoldedCheckReport>,
  AnswerFits<In<typeof ActivityEntry>, ActivityView>,
  // A view holds a started activity: never the decider's 'none' (the state before the first event).
  AnswerFits<In<typeof AgentActivity>, AgentActivityView & { status: Exclude<AgentActivityView['status'], 'none'> }>,
  AnswerFits<In<typeof TemplateRun>, TemplateRunView>,
  AnswerFits<In<typeof TemplateSummary>, ReturnType<typeof summarize>>,
  AnswerFits<In<typeof TemplateDescription>, ReturnType<typeof describeTemplate>>,
  AnswerFits<In<typeof SignedTreeHeadAnswer>, SignedTreeHead>,
  AnswerFits<In<typeof AuditKeys>['keys'][number], AuditPublicKey>,
  AnswerFits<Omit<In<typeof AuditVerification>, 'scope' | 'projectId' | 'firstBrokenLink'>, AuditReport>,
] = [true, true, true, true, true, true, true, true, true, true];
