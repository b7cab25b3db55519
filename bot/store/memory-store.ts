/**
 * An in-memory store with the same semantics as the lowdb store (eTags, conflicts, all-or-nothing
 * writes, copied values), for tests of the parts of Pandu that keep state. Nothing is persisted.
 */
import type { DocumentChange, StateStore, StoredDocument } from '../core/ports/state-store.js';
import { applyChanges, createEtagGenerator, listKeys, readDocuments, type DocumentTable } from './apply-changes.js';

/** Creates an empty in-memory store. Use it in tests; it forgets everything when the process ends. */
export function createMemoryStore(): StateStore {
  const newEtag = createEtagGenerator();
  let documents: DocumentTable = new Map<string, StoredDocument>();
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new Error('The memory store was closed; create a new one.');
  };
  return {
    async read(keys: readonly string[]) {
      assertOpen();
      return readDocuments(documents, keys);
    },
    async write(changes: readonly DocumentChange[]) {
      assertOpen();
      const applied = applyChanges(documents, changes, newEtag);
      documents = applied.documents;
      return applied.etags;
    },
    async list(prefix: string) {
      assertOpen();
      return listKeys(documents, prefix);
    },
    async health() {
      return closed ? { ok: false, detail: 'memory store (closed)' } : { ok: true, detail: 'memory store' };
    },
    async close() {
      closed = true;
    },
  };
}
