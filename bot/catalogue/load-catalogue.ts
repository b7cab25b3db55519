import { buildCatalogue, type BuildResult } from '../core/catalogue/build-catalogue.js';
import { DEFAULT_CATALOGUE_DIR, readCatalogueFiles } from './read-catalogue-files.js';

/** Reads, checks and builds the catalogue in `dir` (the shipped one by default). */
export async function loadCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): Promise<BuildResult> {
  return buildCatalogue(await readCatalogueFiles(dir));
}
