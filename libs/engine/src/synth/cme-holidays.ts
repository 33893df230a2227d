// Holiday rules modelled on CME equity-index futures (Globex, times in America/New_York), kept
// deliberately few: full closures on New Year's Day, Thanksgiving and Christmas, early closes at
// 13:15 on the Friday after Thanksgiving and on Christmas Eve. A closed day's session is skipped
// and trading resumes at 18:00 that evening (the session of the next trading day), as on CME.
// Fixed-date holidays falling on a weekend are not moved to an observed weekday.

const DAY_MS = 86_400_000;

export const REGULAR_CLOSE_MINUTES = 17 * 60;
export const EARLY_CLOSE_MINUTES = 13 * 60 + 15;

export type DayKind = "weekend" | "closed" | "early" | "regular";

/** What kind of trading day the calendar date `day` (a day number) is. */
export function dayKind(day: number): DayKind {
  const date = new Date(day * DAY_MS);
  const weekday = date.getUTCDay(); // 0 Sunday … 6 Saturday
  if (weekday === 0 || weekday === 6) return "weekend";
  const month = date.getUTCMonth() + 1;
  const dom = date.getUTCDate();
  const thanksgiving = month === 11 && weekday === 4 && dom >= 22 && dom <= 28; // 4th Thursday
  if ((month === 1 && dom === 1) || (month === 12 && dom === 25) || thanksgiving) return "closed";
  const blackFriday = month === 11 && weekday === 5 && dom >= 23 && dom <= 29;
  if (blackFriday || (month === 12 && dom === 24)) return "early";
  return "regular";
}
