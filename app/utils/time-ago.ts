const UNITS: Array<[unit: Intl.RelativeTimeFormatUnit, seconds: number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * A past moment as a person reads it wherever they are: "5 minutes ago", "yesterday".
 * Pages are rendered on the server, which cannot know the reader's time zone, so a clock
 * time would be in UTC and read wrong; the exact time is kept for a tooltip (`exact`).
 */
export function timeAgo(at: Date, now = new Date()): { ago: string; exact: string } {
  const seconds = Math.max(0, (now.getTime() - at.getTime()) / 1000);
  const exact = `${absolute.format(at)} UTC`;
  if (seconds < 60) return { ago: "just now", exact };
  const [unit, size] = UNITS.find(([, unitSeconds]) => seconds >= unitSeconds)!;
  return { ago: relative.format(-Math.floor(seconds / size), unit), exact };
}
