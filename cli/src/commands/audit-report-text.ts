/** One line for a person: OK with what was covered, or the first bad position and why. */
import type { AuditReport } from '@resoft/domain';

export function describeAuditReport(report: AuditReport, scope: string): string {
  if (!report.ok) {
    const p = report.firstProblem!;
    const link = p.link ? ` (stream ${p.link.streamId}, revision ${p.link.revision}, event ${p.link.eventId})` : '';
    return `BROKEN: ${scope}: first bad position ${p.position}${link}: ${p.reason}`;
  }
  const unsigned = report.unsignedEvents > 0 ? `, ${report.unsignedEvents} after the latest signed tree head` : '';
  return `OK: ${report.events} events in ${report.streams} streams, every hash chain intact; ${scope}: ${report.events - report.unsignedEvents} proven against signed tree heads (${report.treeHeads} checked, size ${report.signedSize})${unsigned}`;
}
