/**
 * The onboarding path's texts, part of the one localization table in messages.ts (kept in their own
 * file so the table stays readable). Indonesian first; every key has its English twin.
 */
export const ONBOARDING_ID = {
  'onboarding.title': 'Orientasi Dinas Sosial Provinsi NTT',
} as const;

export const ONBOARDING_EN: Record<keyof typeof ONBOARDING_ID, string> = {
  'onboarding.title': 'Orientation to the NTT Social Services Department',
};
