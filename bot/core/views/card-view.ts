import type { Lang } from '../i18n/messages.js';

/** The Adaptive Card templates in cards/, by file name. */
export type TemplateName = 'welcome' | 'help' | 'answer' | 'choices' | 'unit' | 'process-list' | 'steps' | 'guide-step' | 'guide-summary' | 'guide-list' | 'diagram' | 'task' | 'task-list' | 'roster-form' | 'remind-form' | 'onboarding-units' | 'onboarding-item' | 'onboarding-check' | 'onboarding-checklist' | 'onboarding-team' | 'review-step';

/**
 * A card ready to render: which template, the flat display-ready view model it binds, and a
 * plain-text summary (the card's fallbackText, for screen readers and notifications).
 */
export interface CardView {
  readonly template: TemplateName;
  readonly data: Readonly<Record<string, unknown>> & { readonly fallback: string; readonly lang: Lang };
}

/** A button: its title and the data it sends back (a verb from the closed table and ids). */
export interface ButtonView {
  readonly title: string;
  readonly data: Readonly<Record<string, string>>;
}
