import type { PathPart } from './problems.js';
import type { FieldReader } from './field-reader.js';

/** What a reference must point at. */
export type RefKind =
  | 'unit' // any unit, party or actor id (a swimlane)
  | 'internal-unit'
  | 'external-unit'
  | 'relation-party'
  | 'target'
  | 'process'
  | 'subprocess'
  | 'code-or-unit';

/** A reference found while reading, checked once every file has been read. */
export interface PendingRef {
  readonly reader: FieldReader;
  readonly path: readonly PathPart[];
  readonly kind: RefKind;
  readonly value: string;
}

/** Collects references during reading. */
export class RefCollector {
  readonly refs: PendingRef[] = [];

  add(reader: FieldReader, path: readonly PathPart[], kind: RefKind, value: string | undefined): void {
    if (value !== undefined) this.refs.push({ reader, path, kind, value });
  }
}
