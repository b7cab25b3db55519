/**
 * The process catalogue as the rest of Pandu sees it: the decree's four maps, the CFM steps rebuilt
 * from the regulations, and the glossary. Plain, immutable data; built once by `buildCatalogue` from
 * validated files and never changed in place (a reload builds a new one).
 */

/** An internal unit of the department or an outside party (a swimlane of a CFM). */
export interface Unit {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly short: string;
  readonly kind: 'internal' | 'external';
  /** pimpinan | sekretariat | bidang | upt | peran for internal units; relasi | pihak for outside ones. */
  readonly type: UnitType;
  /** For an outside actor: the relation-map party it belongs to. */
  readonly group?: string;
  readonly aliases: readonly string[];
  readonly description?: string;
  readonly descriptionEn?: string;
  /** False for a unit that exists now but is not in the decree. */
  readonly inDecree: boolean;
}

export const INTERNAL_UNIT_TYPES = ['pimpinan', 'sekretariat', 'bidang', 'upt', 'peran'] as const;
export const EXTERNAL_UNIT_TYPES = ['relasi', 'pihak'] as const;
export type UnitType = (typeof INTERNAL_UNIT_TYPES)[number] | (typeof EXTERNAL_UNIT_TYPES)[number];

/** An RPJMD target (sasaran) that main processes serve, as printed at the head of the relation map. */
export interface Target {
  readonly id: string;
  readonly title: string;
  readonly titleEn: string;
  readonly indicators: readonly string[];
}

export interface CodeAlias {
  readonly scheme: string;
  readonly code: string;
  readonly title: string;
}

export interface Process {
  readonly code: string;
  readonly title: string;
  readonly titleEn: string;
  readonly kind: 'utama' | 'pendukung';
  readonly description: string;
  readonly descriptionEn: string;
  readonly targets: readonly string[];
  /** Internal units of the relation map, in the decree's order. */
  readonly units: readonly string[];
  /** Outside parties of the relation map, in the decree's order. */
  readonly parties: readonly string[];
  readonly aliases: readonly CodeAlias[];
}

export interface Subprocess {
  readonly code: string;
  readonly process: string;
  readonly title: string;
  readonly titleEn: string;
}

export interface LegalBasis {
  readonly ref: string;
  readonly status: 'verified' | 'unverified';
  readonly note?: string;
}

export interface Source {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
}

/** A change of the rules since the decree; the bot shows it as a warning on the CFM. */
export interface RuleChange {
  readonly since?: string;
  readonly note: string;
  readonly noteEn: string;
  readonly ref?: string;
}

export interface Branch {
  readonly label: string;
  readonly labelEn: string;
  readonly next: string;
}

interface StepBase {
  readonly id: string;
  /** The swimlane: a unit or party id. */
  readonly actor: string;
  readonly action: string;
  readonly actionEn: string;
  readonly inputs: readonly string[];
  readonly output: string;
  /** Time limit in working days, only where a rule sets one. */
  readonly slaDays?: number;
  readonly slaNote?: string;
  readonly basis: 'sourced' | 'inferred';
  readonly source: readonly string[];
}

/** A step is a task that leads to one next step, a decision with labelled branches, or an end. */
export type Step =
  | (StepBase & { readonly kind: 'task'; readonly next: string })
  | (StepBase & {
      readonly kind: 'decision';
      readonly question: string;
      readonly questionEn: string;
      readonly branches: readonly Branch[];
    })
  | (StepBase & { readonly kind: 'end' });

export interface Confirmation {
  readonly by: string;
  readonly at: string;
  readonly catalogueVersion?: string;
  /** The fingerprint of the steps that were confirmed: a later change of them makes the CFM a draft again. */
  readonly fingerprint?: string;
}

export interface Cfm {
  readonly code: string;
  readonly subprocess: string;
  readonly title: string;
  readonly titleEn: string;
  readonly printedTitle?: string;
  readonly owner: string;
  readonly status: 'draft' | 'confirmed';
  readonly confirmation?: Confirmation;
  readonly summary: string;
  readonly summaryEn: string;
  readonly legalBasis: readonly LegalBasis[];
  readonly sources: readonly Source[];
  readonly changes: readonly RuleChange[];
  readonly steps: readonly Step[];
}

export interface GlossaryTerm {
  readonly term: string;
  readonly expansion?: string;
  readonly meaning: string;
  readonly meaningEn: string;
  readonly synonyms: readonly string[];
  /** Catalogue codes and unit ids the term points at. */
  readonly refs: readonly string[];
}

/** The decree's own facts, for onboarding. Kept as the data file has them. */
export interface Profile {
  readonly decree: Readonly<Record<string, unknown>> & { readonly number: string; readonly title: string };
  readonly rpjmd: Readonly<Record<string, unknown>> & {
    readonly vision: string;
    readonly visionEn: string;
    readonly missions: readonly string[];
    readonly goals: readonly string[];
    readonly objectives: readonly string[];
  };
  readonly department: Readonly<Record<string, unknown>> & {
    readonly name: string;
    readonly task: string;
    readonly taskEn: string;
    readonly functions: readonly string[];
    readonly functionsEn: readonly string[];
    readonly upt: readonly string[];
  };
  readonly staff: Readonly<Record<string, unknown>> & { readonly total: number };
  readonly resources: Readonly<Record<string, unknown>>;
  readonly decreeNotes: readonly DecreeNote[];
}

export interface DecreeNote {
  readonly id: string;
  readonly where: string;
  readonly note: string;
  readonly resolution: string;
}

export interface Catalogue {
  /** Changes whenever the data changes (a hash of the normalised content). */
  readonly version: string;
  readonly profile: Profile;
  readonly targets: readonly Target[];
  readonly units: readonly Unit[];
  readonly processes: readonly Process[];
  readonly subprocesses: readonly Subprocess[];
  readonly cfms: readonly Cfm[];
  readonly glossary: readonly GlossaryTerm[];
}
