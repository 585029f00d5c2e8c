// The reporting clock, pure: an awareness instant, one rule row and the jurisdiction's working-day
// calendar give the due date. No database, no "now": the caller passes what it knows.
//
// How the regulations count:
// - 21 CFR 803.50(a): "no later than 30 calendar days after the day that you receive or otherwise
//   become aware" — day 1 is the day after awareness; weekends and holidays count.
// - 21 CFR 803.53: "no later than 5 work days after the day that you become aware" — only working
//   days count, starting with the first working day after the day of awareness.
// - EU MDR Art. 87(3)-(5) "not later than N days after … becomes aware": days as Regulation (EEC,
//   Euratom) No 1182/71 Art. 3(3) reads them — every day, public holidays, Sundays and Saturdays
//   included, unless working days are expressly named.
// - NMPA 医疗器械不良事件监测和再评价管理办法 (2019) Art. 25-27 say 日 (calendar days; 工作日 would
//   name working days) and 小时 (hours, counted from the moment of awareness).
// A calendar-day deadline is not moved off a weekend or holiday: none of these texts says so.

export const CLOCK_UNITS = ['calendar_days', 'working_days', 'hours'] as const;
export type ClockUnit = (typeof CLOCK_UNITS)[number];

export interface ClockRule {
  amount: number;
  unit: ClockUnit;
}

/**
 * Where working days are counted: the jurisdiction's time zone, its weekend days (0 = Sunday …
 * 6 = Saturday), public holidays, and weekend days declared working days. China moves working
 * days around its holidays (调休: the State Council's yearly 部分节假日安排的通知 names weekend days
 * "上班", e.g. Sat 2026-02-14 and Sat 2026-02-28 around the Spring Festival), so a weekend day
 * can be a working day and a weekday a holiday.
 */
export interface WorkCalendar {
  timeZone: string;
  weekend: number[];
  holidays: string[]; // YYYY-MM-DD, local dates
  /** Weekend dates that are working days (调休上班日); absent in calendars recorded before they existed. */
  workdays?: string[];
}

export interface Due {
  /** The last instant the report is on time (ISO, UTC): the end of the due day in the jurisdiction, or awareness + hours. */
  dueAt: string;
  /** The due day in the jurisdiction's calendar (YYYY-MM-DD). */
  dueDate: string;
}

const DAY_MS = 86_400_000;

/** The local calendar date of an instant in a time zone (YYYY-MM-DD). */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant at which a local date begins (00:00 local), daylight-saving changes included. */
function startOfLocalDay(date: string, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let t = guess - offsetAt(guess, timeZone);
  t = guess - offsetAt(t, timeZone); // once more: the offset at the answer, not at the guess
  return t;
}

export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of a date, 0 = Sunday. */
export const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export const isWorkingDay = (date: string, cal: WorkCalendar) =>
  !cal.holidays.includes(date) && (!cal.weekend.includes(weekday(date)) || (cal.workdays ?? []).includes(date));

/** The day `n` working days after `date` (the day itself does not count, 21 CFR 803.53 "after the day"). */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
  if (cal.weekend.length >= 7 && !cal.workdays?.length) throw new Error('a calendar with no working day');
  let d = date;
  for (let counted = 0; counted < n;) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d, cal)) counted++;
  }
  return d;
}

/** The end of a local day: the instant just before the next day begins there. */
const endOfLocalDay = (date: string, timeZone: string) =>
  new Date(startOfLocalDay(addCalendarDays(date, 1), timeZone) - 1).toISOString();

/** When a report whose clock started at `awareAt` is due, under `rule` and `cal`. */
export function dueDate(awareAt: string, rule: ClockRule, cal: WorkCalendar): Due {
  const aware = new Date(awareAt);
  if (Number.isNaN(aware.getTime())) throw new Error(`not an instant: ${awareAt}`);
  if (rule.unit === 'hours') {
    const dueAt = new Date(aware.getTime() + rule.amount * 3_600_000);
    return { dueAt: dueAt.toISOString(), dueDate: localDate(dueAt, cal.timeZone) };
  }
  const day = localDate(aware, cal.timeZone);
  const due = rule.unit === 'calendar_days' ? addCalendarDays(day, rule.amount) : addWorkingDays(day, rule.amount, cal);
  return { dueAt: endOfLocalDay(due, cal.timeZone), dueDate: due };
}

/**
 * What is left of a running clock at `now`: whole calendar days until the due day in the
 * jurisdiction (0 on the due day, negative once past), hours until the due instant, and whether
 * it is overdue.
 */
export function remaining(due: Due, now: Date, timeZone: string) {
  const today = localDate(now, timeZone);
  const ms = Date.parse(due.dueAt) - now.getTime();
  return {
    daysRemaining: Math.round((Date.parse(`${due.dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS),
    hoursRemaining: Math.floor(ms / 3_600_000),
    overdue: ms < 0,
  };
}
