/**
 * Opens the store the configuration asks for: lowdb in the data folder (the default, one process)
 * or Azure Blob Storage (PANDU_STORE=blob, for several instances).
 */
import type { StateStore } from '../core/ports/state-store.js';
import { openBlobStore } from './blob-store.js';
import { openLowdbStore } from './lowdb-store.js';

/** What {@link openConfiguredStore} needs to know. */
export interface StoreSettings {
  readonly store: 'lowdb' | 'blob';
  /** The lowdb store's folder. */
  readonly dataDir: string;
  /** Required when `store` is 'blob'. */
  readonly blob?: { readonly connectionString: string; readonly container: string };
}

/** The settings of {@link openConfiguredStore} from a loaded configuration (its `store` and `dataDir`). */
export function storeSettingsOf(config: {
  readonly dataDir: string;
  readonly store: { readonly kind: 'lowdb' } | { readonly kind: 'blob'; readonly connectionString: string; readonly container: string };
}): StoreSettings {
  const { store, dataDir } = config;
  return store.kind === 'blob' ? { store: 'blob', dataDir, blob: { connectionString: store.connectionString, container: store.container } } : { store: 'lowdb', dataDir };
}

/**
 * Opens the configured backend; `onWarning` receives what is worth a log line (a stale lock taken
 * over, an incomplete rollback). Rejects with the backend's own message when it cannot be opened.
 */
export async function openConfiguredStore(config: StoreSettings, onWarning?: (message: string) => void): Promise<StateStore> {
  const warn = onWarning ?? (() => undefined);
  switch (config.store) {
    case 'lowdb':
      return openLowdbStore(config.dataDir, { onWarning: warn });
    case 'blob': {
      if (config.blob === undefined) throw new TypeError('The store is "blob" but no Blob settings were given; set PANDU_BLOB_CONNECTION_STRING (and PANDU_BLOB_CONTAINER), or PANDU_STORE=lowdb.');
      return openBlobStore({ connectionString: config.blob.connectionString, container: config.blob.container, onWarning: warn });
    }
    default:
      throw new TypeError(`Unknown store ${JSON.stringify((config as { store: unknown }).store)}; use "lowdb" or "blob" (PANDU_STORE).`);
  }
}
