import { describe, expect, it } from 'vitest';
import { addWorkingDays, dueDate, remaining, type WorkCalendar } from './clock.ts';
import { DEFAULT_JURISDICTIONS } from './defaults.ts';

// Expected values counted by hand on the 2026/2027 calendar (weekday of each date written beside
// it), not computed by the code under test. Rules: 21 CFR 803.50(a) 30 calendar days, 803.53 5
// work days "after the day" of awareness; EU MDR Art. 87(3)-(5) days; NMPA 2019 Art. 25-27 日/小时.
const NY: WorkCalendar = { timeZone: 'America/New_York', weekend: [0, 6], holidays: [] };
const US = DEFAULT_JURISDICTIONS.find((j) => j.jurisdiction === 'US')!;
const USCAL: WorkCalendar = { timeZone: US.timeZone, weekend: US.weekend, holidays: US.holidays };
const BRUSSELS: WorkCalendar = { timeZone: 'Europe/Brussels', weekend: [0, 6], holidays: [] };
const SHANGHAI: WorkCalendar = { timeZone: 'Asia/Shanghai', weekend: [0, 6], holidays: [] };
const wd5 = { amount: 5, unit: 'working_days' } as const;
const days = (amount: number) => ({ amount, unit: 'calendar_days' }) as const;
const hours = (amount: number) => ({ amount, unit: 'hours' }) as const;

describe('due dates (pure)', () => {
  it('803.53: aware on Friday 2026-11-06 → 5 work days are Mon 9 … Fri 13', () => {
    // awareness 14:00 in New York (EST, UTC-5): due at the end of Fri 2026-11-13 New York time
    expect(dueDate('2026-11-06T19:00:00Z', wd5, NY)).toEqual({
      dueDate: '2026-11-13',
      dueAt: '2026-11-14T04:59:59.999Z',
    });
  });

  it('803.53: a configured holiday inside the window (Veterans Day, Wed 2026-11-11) moves it to Mon 2026-11-16', () => {
    // Mon 9 (1), Tue 10 (2), Wed 11 holiday, Thu 12 (3), Fri 13 (4), Sat/Sun, Mon 16 (5)
    expect(dueDate('2026-11-06T19:00:00Z', wd5, USCAL).dueDate).toBe('2026-11-16');
    expect(dueDate('2026-11-06T19:00:00Z', wd5, { ...NY, holidays: ['2026-11-11'] }).dueDate).toBe('2026-11-16');
  });

  it('803.53 across a month end: aware Fri 2026-01-30 → Mon 2 … Fri 2026-02-06', () => {
    expect(dueDate('2026-01-30T15:00:00Z', wd5, NY).dueDate).toBe('2026-02-06');
  });

  it('awareness on a Saturday: the count starts on Monday (Sat 2026-11-07 → Fri 2026-11-13)', () => {
    expect(addWorkingDays('2026-11-07', 5, NY)).toBe('2026-11-13');
  });

  it('the day is the one in the jurisdiction: 23:30 Friday in New York is already Saturday in UTC', () => {
    // 2026-11-07T04:30Z = Fri 2026-11-06 23:30 EST → still a Friday awareness
    expect(dueDate('2026-11-07T04:30:00Z', wd5, NY).dueDate).toBe('2026-11-13');
  });

  it('the end of the due day follows daylight saving (EDT → EST on 2026-11-01)', () => {
    // aware Fri 2026-10-30 (EDT): Mon 2 … Fri 2026-11-06, whose end is 05:00Z (EST)
    expect(dueDate('2026-10-30T14:00:00Z', wd5, NY)).toEqual({
      dueDate: '2026-11-06',
      dueAt: '2026-11-07T04:59:59.999Z',
    });
  });

  it('803.50(a): 30 calendar days over a month end, landing on a Sunday, not moved (Fri 2026-01-30 → Sun 2026-03-01)', () => {
    // Jan 31 is day 1, Feb 28 is day 29, Mar 1 is day 30; weekends and holidays count
    expect(dueDate('2026-01-30T15:00:00Z', days(30), USCAL).dueDate).toBe('2026-03-01');
  });

  it('calendar-day clocks ignore weekends and configured holidays (EU MDR 87(3) 15 days, 87(4) 2, 87(5) 10)', () => {
    const aware = '2026-12-24T08:00:00Z'; // Thu 2026-12-24, 09:00 in Brussels
    const xmas = { ...BRUSSELS, holidays: ['2026-12-25', '2026-12-26', '2027-01-01'] };
    expect(dueDate(aware, days(15), xmas).dueDate).toBe('2027-01-08');
    expect(dueDate(aware, days(2), xmas)).toEqual({ dueDate: '2026-12-26', dueAt: '2026-12-26T22:59:59.999Z' });
    expect(dueDate(aware, days(10), xmas).dueDate).toBe('2027-01-03');
  });

  it('NMPA Art. 25: death 7 日, serious injury 20 日, in Beijing time', () => {
    // 2026-11-06T17:00Z is Sat 2026-11-07 01:00 in Shanghai
    expect(dueDate('2026-11-06T17:00:00Z', days(7), SHANGHAI)).toEqual({
      dueDate: '2026-11-14',
      dueAt: '2026-11-14T15:59:59.999Z',
    });
    expect(dueDate('2026-12-25T02:00:00Z', days(20), SHANGHAI).dueDate).toBe('2027-01-14');
  });

  it('NMPA Art. 27: cluster events 12 hours, individual reports 24 hours, from the moment of awareness', () => {
    const aware = '2026-11-06T12:00:00Z'; // Fri 20:00 in Shanghai
    expect(dueDate(aware, hours(12), SHANGHAI)).toEqual({ dueAt: '2026-11-07T00:00:00.000Z', dueDate: '2026-11-07' });
    expect(dueDate(aware, hours(24), SHANGHAI)).toEqual({ dueAt: '2026-11-07T12:00:00.000Z', dueDate: '2026-11-07' });
  });

  it('days remaining count the jurisdiction’s days; overdue only after the end of the due day', () => {
    const due = { dueDate: '2026-11-13', dueAt: '2026-11-14T04:59:59.999Z' };
    expect(remaining(due, new Date('2026-11-10T15:00:00Z'), NY.timeZone)).toMatchObject({
      daysRemaining: 3,
      overdue: false,
    });
    expect(remaining(due, new Date('2026-11-14T04:59:00Z'), NY.timeZone)).toMatchObject({
      daysRemaining: 0,
      overdue: false,
    });
    expect(remaining(due, new Date('2026-11-14T05:00:00Z'), NY.timeZone)).toMatchObject({
      daysRemaining: -1,
      overdue: true,
    });
  });

  describe("China's 调休: weekend days worked in exchange for holidays (State Council notice of 4 Nov 2025)", () => {
    const CN = DEFAULT_JURISDICTIONS.find((j) => j.jurisdiction === 'CN')!;
    const CNCAL: WorkCalendar = {
      timeZone: CN.timeZone,
      weekend: CN.weekend,
      holidays: CN.holidays,
      workdays: CN.workdays,
    };

    it('Spring Festival: aware Fri 2026-02-13 → 5 working days end Fri 2026-02-27, counting Sat 2-14 (上班)', () => {
      // Sat 14 works (1); Sun 15 … Mon 23 holidays; Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5)
      expect(addWorkingDays('2026-02-13', 5, CNCAL)).toBe('2026-02-27');
      // the 6th is Sat 2026-02-28, itself a 调休 working day
      expect(addWorkingDays('2026-02-13', 6, CNCAL)).toBe('2026-02-28');
      // without the adjusted working days the same count ends on Mon 2026-03-02
      expect(addWorkingDays('2026-02-13', 5, { ...CNCAL, workdays: [] })).toBe('2026-03-02');
    });

    it('National Day: aware Tue 2026-09-29 → Wed 30 (1), 1-7 Oct off, Thu 8 (2), Fri 9 (3), Sat 10 Oct (4, 上班)', () => {
      expect(addWorkingDays('2026-09-29', 3, CNCAL)).toBe('2026-10-09');
      expect(addWorkingDays('2026-09-29', 4, CNCAL)).toBe('2026-10-10');
      // Sun 2026-09-20 is a working day: aware Fri 18 → 1 working day is that Sunday
      expect(addWorkingDays('2026-09-18', 1, CNCAL)).toBe('2026-09-20');
    });

    it('the NMPA clocks stay calendar days: 20 days from Fri 2026-02-13 (Beijing) is Thu 2026-03-05 despite the holiday', () => {
      expect(dueDate('2026-02-13T02:00:00Z', days(20), CNCAL).dueDate).toBe('2026-03-05');
    });
  });
});
