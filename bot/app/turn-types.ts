import type { Lang } from '../core/i18n/messages.js';
import { EMPTY_GUIDES, type GuideDoc } from '../core/guide/walkthrough.js';
import type { OnboardingDoc } from '../core/onboarding/onboarding-progress.js';
import { EMPTY_REVIEWS, type ReviewsDoc } from '../core/review/review.js';
import { EMPTY_ONBOARDING_TEAM, type OnboardingTeamDoc } from '../core/onboarding/onboarding-team.js';
import { EMPTY_ROSTER, type RosterDoc } from '../core/roster/roster.js';
import { EMPTY_RUNS, type Run, type RunsDoc } from '../core/runs/run.js';
import type { PersonalReminder } from '../core/schedule/plan-deliveries.js';
import type { CardView } from '../core/views/card-view.js';

/** What happened in Teams, stripped of the SDK: the only input the app sees. */
export type TurnInput =
  | { readonly kind: 'message'; readonly text: string; readonly locale?: string }
  | { readonly kind: 'button'; readonly data: unknown; readonly locale?: string }
  /** A Universal Action (Action.Execute): the answer replaces the card in place. */
  | { readonly kind: 'action'; readonly data: unknown; readonly locale?: string }
  | { readonly kind: 'installed'; readonly locale?: string }
  | { readonly kind: 'search'; readonly query: string; readonly locale?: string };

/** Per-user preferences (key `user/<id>`). */
export interface UserDoc {
  readonly schema: 1;
  readonly lang?: Lang;
}

/** Per-conversation facts (key `conversation/<id>`). */
export interface ConversationDoc {
  readonly schema: 1;
  readonly welcomedAt?: string;
}

/** Questions a person asked that Pandu could not answer (key `stats/unanswered/<userId>`); text only when the admin allows it. */
export interface UnansweredDoc {
  readonly schema: 1;
  readonly total: number;
  readonly byDay: Readonly<Record<string, number>>;
  readonly recent: readonly { readonly at: string; readonly text?: string; readonly nearest?: string }[];
}

/** All the state a turn may read and change: read once before, written once after. */
export interface TurnState {
  readonly user: UserDoc;
  readonly conversation: ConversationDoc;
  readonly unanswered: UnansweredDoc;
  readonly guides: GuideDoc;
  readonly roster: RosterDoc;
  readonly runs: RunsDoc;
  /** Reviews of draft CFMs by their owner units (key `reviews/all`). */
  readonly reviews: ReviewsDoc;
  /** The person's conversation reference, for proactive messages (key `refs/<userId>`). */
  readonly ref: RefDoc;
  /** The hour bucket of personal reminders a turn adds to, when it sets one. */
  readonly reminders?: ReminderBucket;
  /** The person's onboarding progress (key `onboarding/<userId>`), once they started it. */
  readonly onboarding?: OnboardingDoc;
  /** Everyone's onboarding in figures (key `stats/onboarding`), for the managers' view. */
  readonly onboardingTeam: OnboardingTeamDoc;
}

/** How to reach a person proactively; marked unreachable after a 403/404 from Teams. */
export interface RefDoc {
  readonly schema: 1;
  readonly name?: string;
  readonly reference?: unknown;
  readonly updatedAt?: string;
  readonly unreachable?: { readonly status: number; readonly at: string };
}

/** Personal reminders due in one hour (key `remind/<YYYY-MM-DDTHH>`, UTC). */
export interface ReminderBucket {
  readonly schema: 1;
  readonly items: readonly PersonalReminder[];
}

export const EMPTY_STATE: TurnState = {
  reviews: EMPTY_REVIEWS,
  guides: EMPTY_GUIDES,
  roster: EMPTY_ROSTER,
  runs: EMPTY_RUNS,
  ref: { schema: 1 },
  user: { schema: 1 },
  conversation: { schema: 1 },
  unanswered: { schema: 1, total: 0, byDay: {}, recent: [] },
  onboardingTeam: EMPTY_ONBOARDING_TEAM,
};

export type Reply =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'card'; readonly view: CardView }
  /** A CFM's diagram, drawn by the edge (it needs the renderer and the public URL). */
  | { readonly kind: 'diagram'; readonly cfm: string; readonly step?: string }
  /** An admin's "muat ulang katalog": the edge reloads and answers with the result. */
  | { readonly kind: 'reload' };

export interface TurnResult {
  readonly replies: readonly Reply[];
  readonly state: TurnState;
  /** For a compose-box search: the result cards, best first. */
  readonly searchResults?: readonly CardView[];
  /** What kind of turn it was, for logs and metrics (never the message text). */
  readonly outcome: string;
  /** A run that just completed: the edge moves it to `runs/done/<id>`. */
  readonly archive?: Run;
}
