import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import { buildLookupIndex, type LookupIndex } from '../../bot/core/lookup/build-index.js';
import type { Catalogue } from '../../bot/core/catalogue/types.js';

let shared: { catalogue: Catalogue; index: LookupIndex } | undefined;

/** The real catalogue and its lookup index, built once for all tests. */
export async function realKnowledge(): Promise<{ catalogue: Catalogue; index: LookupIndex }> {
  if (!shared) {
    const loaded = await loadCatalogue();
    if (!loaded.ok) throw new Error('the real catalogue is invalid: run npm run catalogue:check');
    shared = { catalogue: loaded.catalogue, index: buildLookupIndex(loaded.catalogue) };
  }
  return shared;
}
