/**
 * Who is who: people known by their Teams (Entra) user id, each with a unit and a role; acting
 * officials (Plt./Plh.) for a period; Teams channels linked to units. Plain, versioned JSON.
 */
export const ROLES = ['kadis', 'sekretaris', 'kepala-unit', 'kepala-seksi', 'staf'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that manage a unit: they get escalations and the daily digest for it. */
export const MANAGER_ROLES: readonly Role[] = ['kadis', 'sekretaris', 'kepala-unit'];

export interface Acting {
  readonly role: Role;
  readonly unit: string;
  /** Inclusive dates, YYYY-MM-DD (WITA). */
  readonly from: string;
  readonly to: string;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly unit?: string;
  readonly role?: Role;
  readonly acting?: readonly Acting[];
  /** Whether Pandu can message the person: unset until they open Pandu in a personal chat. */
  readonly reachable?: { readonly ok: true; readonly at: string } | { readonly ok: false; readonly status: number; readonly at: string };
  readonly updatedAt: string;
}

export interface RosterDoc {
  readonly schema: 1;
  readonly people: Readonly<Record<string, Person>>;
  /** unit id → the Teams channel conversation linked to it. */
  readonly channels: Readonly<Record<string, { readonly conversationId: string; readonly linkedBy: string; readonly at: string }>>;
}

export const EMPTY_ROSTER: RosterDoc = { schema: 1, people: {}, channels: {} };

/** The roles a person holds on a date: their own, plus any acting role whose period covers it. */
export function rolesOn(person: Person, day: string): { role: Role; unit: string }[] {
  const own = person.role && person.unit ? [{ role: person.role, unit: person.unit }] : [];
  const acting = (person.acting ?? []).filter((a) => a.from <= day && day <= a.to).map((a) => ({ role: a.role, unit: a.unit }));
  return [...own, ...acting];
}

/**
 * The managers of a unit on a date: its head (kepala-unit), or an acting head in the period; for the
 * Sekretariat, the Sekretaris; for kadis, the Kepala Dinas. Falls back to nobody (the caller escalates).
 */
export function managersOf(roster: RosterDoc, unit: string, day: string): Person[] {
  const wanted: Role = unit === 'kadis' ? 'kadis' : unit === 'sekretariat' ? 'sekretaris' : 'kepala-unit';
  const people = Object.values(roster.people);
  const acting = people.filter((p) => (p.acting ?? []).some((a) => a.unit === unit && a.role === wanted && a.from <= day && day <= a.to));
  if (acting.length > 0) return acting;
  return people.filter((p) => p.unit === unit && p.role === wanted);
}

/** Everyone who holds `role` (own or acting) on a date, in any unit. */
export function holdersOf(roster: RosterDoc, role: Role, day: string): Person[] {
  return Object.values(roster.people).filter((p) => rolesOn(p, day).some((r) => r.role === role));
}

/** The people of a unit (staff and managers) on a date. */
export function membersOf(roster: RosterDoc, unit: string, day: string): Person[] {
  return Object.values(roster.people).filter((p) => p.unit === unit || rolesOn(p, day).some((r) => r.unit === unit));
}

/** Units a person manages on a date (for the manager views and digests). */
export function managedUnits(person: Person, day: string): string[] {
  return rolesOn(person, day)
    .filter((r) => MANAGER_ROLES.includes(r.role))
    .map((r) => (r.role === 'kadis' ? '*' : r.unit));
}

export function upsertPerson(roster: RosterDoc, person: Person): RosterDoc {
  return { ...roster, people: { ...roster.people, [person.id]: person } };
}
