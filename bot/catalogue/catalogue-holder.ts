import { watch, type FSWatcher } from 'node:fs';
import type { Catalogue } from '../core/catalogue/types.js';
import type { Problem } from '../core/catalogue/problems.js';
import { buildLookupIndex, type LookupIndex } from '../core/lookup/build-index.js';
import { loadCatalogue } from './load-catalogue.js';

/** The catalogue in use and its lookup index, swapped together. */
export interface Knowledge {
  readonly catalogue: Catalogue;
  readonly index: LookupIndex;
}

export type ReloadResult =
  | { readonly status: 'reloaded'; readonly version: string; readonly previous: string }
  | { readonly status: 'unchanged'; readonly version: string }
  | { readonly status: 'refused'; readonly problems: readonly Problem[]; readonly keeping: string };

/**
 * Holds the catalogue the bot serves and reloads it without a restart: the new files are checked
 * first; an invalid catalogue is refused and the last good one stays in use. New turns use the new
 * catalogue; walkthroughs in flight carry the fingerprint of their CFM and are told if it changed.
 */
export class CatalogueHolder {
  private current: Knowledge;
  private watcher: FSWatcher | undefined;
  private pending: Promise<ReloadResult> | undefined;
  lastRefusal: { readonly at: Date; readonly problems: readonly Problem[] } | undefined;

  constructor(
    private readonly dir: string,
    initial: Catalogue,
  ) {
    this.current = { catalogue: initial, index: buildLookupIndex(initial) };
  }

  knowledge = (): Knowledge => this.current;

  /** Reads and checks the files again; one reload at a time. */
  reload(): Promise<ReloadResult> {
    this.pending ??= this.doReload().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async doReload(): Promise<ReloadResult> {
    const loaded = await loadCatalogue(this.dir);
    const keeping = this.current.catalogue.version;
    if (!loaded.ok) {
      this.lastRefusal = { at: new Date(), problems: loaded.problems };
      return { status: 'refused', problems: loaded.problems, keeping };
    }
    this.lastRefusal = undefined;
    if (loaded.catalogue.version === keeping) return { status: 'unchanged', version: keeping };
    this.current = { catalogue: loaded.catalogue, index: buildLookupIndex(loaded.catalogue) };
    return { status: 'reloaded', version: loaded.catalogue.version, previous: keeping };
  }

  /** Reloads when a file of the catalogue changes (debounced); `onResult` reports every attempt. */
  watch(onResult: (result: ReloadResult) => void, debounceMs = 750): void {
    let timer: NodeJS.Timeout | undefined;
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload().then(onResult), debounceMs);
        timer.unref();
      });
      this.watcher.unref();
    } catch {
      // Recursive watching is not available everywhere; the admin command still reloads.
    }
  }

  close(): void {
    this.watcher?.close();
  }
}
