/**
 * The documents open on this gateway instance. A document loads when its first peer opens it and
 * unloads (after storing what is pending) when its last peer leaves. Other instances' changes and
 * cursors arrive on the document's ephemeral channel; stored changes from any writer arrive from
 * the broadcast hub. Both are idempotent: a change already in the document is skipped.
 */
import { DomainError, type ProjectRole } from '@resoft/domain';
import { newId, type Logger } from '@resoft/infra';
import { type Ephemeral, type EventStore, type ReadStore } from '@resoft/ports';
import { decodeChangeBytes, encodeChange, LiveTextDocument } from '@resoft/documents';
import type { Connection } from '../connection.js';
import type { CollaborationPort } from '../gateway-ports.js';
import type { CursorState } from '../protocol/protocol.js';
import { loadDocument } from './document-loader.js';
import { OpenDocument, type SharedDocumentMessage } from './open-document.js';
import { isReloadNotice, reloadNotice } from './reload-notice.js';

interface Entry {
  ready: Promise<OpenDocument> | null;
  document: OpenDocument | null;
  /** Changes that arrived while the document was loading. */
  readonly early: Uint8Array[];
  unsubscribe: (() => Promise<void>) | null;
}

export class DocumentRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: { store: EventStore; readStore: ReadStore; ephemeral: Ephemeral; commands: CollaborationPort; logger: Logger; instanceId: string; flushMs: number },
    private readonly onRefused: (connection: Connection, fileId: string, code: string, message: string) => void,
  ) {}

  get openCount(): number {
    return this.entries.size;
  }

  get(fileId: string): OpenDocument | null {
    return this.entries.get(fileId)?.document ?? null;
  }

  /** Opens the file for the connection (the caller has checked access) and starts syncing it. */
  async open(connection: Connection, projectId: string, fileId: string, info: { path: string; lockedBy: string | null; role: ProjectRole }): Promise<OpenDocument> {
    let entry = this.entries.get(fileId);
    if (!entry) {
      entry = { ready: null, document: null, early: [], unsubscribe: null };
      this.entries.set(fileId, entry);
      entry.ready = this.load(entry, projectId, fileId, info);
      entry.ready.catch(() => this.entries.delete(fileId));
    }
    const document = await entry.ready!;
    document.lockedBy = info.lockedBy;
    document.addPeer(connection, info.role);
    return document;
  }

  async close(connection: Connection, fileId: string): Promise<void> {
    const entry = this.entries.get(fileId);
    const document = entry?.document;
    if (!entry || !document) return;
    document.removePeer(connection);
    if (document.peerCount > 0) {
      await document.flush();
      return;
    }
    this.entries.delete(fileId);
    await document.flush();
    document.release();
    await entry.unsubscribe?.().catch(() => undefined);
  }

  /** Stored changes seen in the event log (from any writer). */
  applyStored(fileId: string, changes: readonly string[]): void {
    const entry = this.entries.get(fileId);
    if (!entry) return;
    const bytes = changes.map(decodeChangeBytes);
    if (entry.document) entry.document.applyExternal(bytes);
    else entry.early.push(...bytes);
  }

  lockChanged(fileId: string, lockedBy: string | null): void {
    this.get(fileId)?.setLock(lockedBy);
  }

  roleChanged(projectId: string, userId: string, role: ProjectRole | null): void {
    for (const entry of this.entries.values()) if (entry.document?.projectId === projectId) entry.document.setRole(userId, role);
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map(async (entry) => entry.document?.flush()));
  }

  async closeAll(): Promise<void> {
    await this.flushAll();
    await Promise.all([...this.entries.values()].map((entry) => entry.unsubscribe?.().catch(() => undefined)));
    this.entries.clear();
  }

  private async load(entry: Entry, projectId: string, fileId: string, info: { path: string; lockedBy: string | null }): Promise<OpenDocument> {
    const { store, readStore, ephemeral, commands, logger, instanceId, flushMs } = this.deps;
    const channel = `collab:doc:${fileId}`;
    entry.unsubscribe = await ephemeral.subscribe(channel, (raw) => this.onShared(fileId, raw)).catch((error: unknown) => {
      logger.warn({ err: error, fileId }, 'cannot follow other gateway instances for this document; stored changes still arrive from the event log');
      return null;
    });
    const doc = await loadDocument(store, readStore, projectId, fileId);
    const document = new OpenDocument(fileId, projectId, info.path, info.lockedBy, LiveTextDocument.fromDocument(doc), {
      store: async (userId, changes) => commands.applyChanges(userId, projectId, fileId, changes.map(encodeChange), { actor: userId, correlationId: newId(), causationId: null }),
      share: (message: SharedDocumentMessage) => {
        ephemeral.publish(channel, JSON.stringify({ from: instanceId, ...message })).catch(() => undefined);
      },
    }, flushMs, (connection, code, message) => this.onRefused(connection, fileId, code, message), (userId, error) => {
      logger.warn({ err: error, fileId, userId }, 'document changes were not stored');
      if (error instanceof DomainError) {
        void this.reloadFromStore(document, projectId, fileId);
        // Other instances got the refused changes over the channel: they reload too (see reload-notice).
        ephemeral.publish(channel, reloadNotice(instanceId)).catch(() => undefined);
      }
      for (const connection of document.connections()) {
        if (connection.user.id === userId) this.onRefused(connection, fileId, 'not_stored', error instanceof Error ? error.message : 'Your changes could not be stored');
      }
    }, () => void this.recoverBroken(document, projectId, fileId));
    entry.document = document;
    if (entry.early.length > 0) document.applyExternal(entry.early.splice(0));
    return document;
  }

  /**
   * Replaces the copy with the stored document (see OpenDocument.reload), unless the document was
   * unloaded meanwhile. Answers false when the store did not answer.
   */
  private async reloadFromStore(document: OpenDocument, projectId: string, fileId: string): Promise<boolean> {
    try {
      const stored = await loadDocument(this.deps.store, this.deps.readStore, projectId, fileId);
      if (this.get(fileId) === document) document.reload(stored);
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, fileId }, 'could not reload a document from the store');
      return false;
    }
  }

  /**
   * Automerge failed part-way through a peer's message, so this copy may be corrupt: what other
   * authors sent before is stored first (their changes were sound), then the stored document
   * replaces the copy. Retried while the store does not answer; the copy stays untouched meanwhile.
   */
  private async recoverBroken(document: OpenDocument, projectId: string, fileId: string): Promise<void> {
    this.deps.logger.warn({ fileId }, 'a peer sent a change Automerge could not apply: reloading the document from the store');
    await document.flush();
    for (let attempt = 0; this.get(fileId) === document && !(await this.reloadFromStore(document, projectId, fileId)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
    }
  }

  private onShared(fileId: string, raw: string): void {
    const document = this.get(fileId);
    let message: { from?: string } & Partial<SharedDocumentMessage>;
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (document && isReloadNotice(message, this.deps.instanceId)) return void this.reloadFromStore(document, document.projectId, fileId);
    if (!document || message.from === this.deps.instanceId) return;
    if (message.kind === 'changes' && Array.isArray(message.changes)) document.applyExternal(message.changes.map(decodeChangeBytes));
    if (message.kind === 'cursors' && Array.isArray(message.cursors)) document.applyRemoteCursors(String(message.from), message.cursors as CursorState[]);
  }
}
