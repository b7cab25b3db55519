/**
 * The due index of personal reminders: one document per hour (UTC), `remind/<YYYY-MM-DDTHH>`. A sweep
 * reads only the buckets between its cursor and now, so finding what is due costs the number of due
 * reminders, not the number stored.
 */
export function bucketOf(at: Date): string {
  return `remind/${at.toISOString().slice(0, 13)}`;
}

/** The bucket keys from the hour after `cursor` (exclusive) up to the hour of `now` (inclusive), at most `max`. */
export function bucketsBetween(cursor: Date | undefined, now: Date, max = 24 * 14): string[] {
  const hour = 3_600_000;
  const end = Math.floor(now.getTime() / hour);
  const start = cursor ? Math.floor(cursor.getTime() / hour) : end - 1;
  const keys: string[] = [];
  for (let h = Math.max(start, end - max); h <= end; h++) keys.push(bucketOf(new Date(h * hour)));
  return keys;
}
