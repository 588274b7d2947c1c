import { describe, expect, it } from 'vitest';
import { ClockText, DEFAULT_CLOCK_LOCALE } from '../../../main/core/clock-text';

// Every case names its time zone, so the results hold on any machine.
const NOW = Date.UTC(2026, 10, 28, 9, 5); // Saturday 28 November 2026, 09:05 UTC
const AT_17_42 = Date.UTC(2026, 10, 28, 17, 42);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('ClockText.time', () => {
  it.each([
    ['en-US', '5:42 PM'],
    ['en-GB', '17:42'],
    ['de-DE', '17:42'],
  ])('writes a time today as %s does: %s', (locale, text) => {
    expect(new ClockText(locale, 'UTC').time(AT_17_42, NOW)).toBe(text);
  });

  it.each([
    ['en-US', '9:05 AM'],
    ['en-GB', '09:05'],
    ['de-DE', '09:05'],
    ['es-ES', '9:05'],
  ])('writes a morning hour with the digits %s uses: %s', (locale, text) => {
    expect(new ClockText(locale, 'UTC').time(NOW, NOW)).toBe(text);
  });

  it.each([
    ['en-US', 'Sun 1:30 AM'],
    ['en-GB', 'Sun 01:30'],
    ['de-DE', 'So., 01:30'],
  ])('adds the weekday when the time is past midnight: %s %s', (locale, text) => {
    // An 8-hour sign-in that cannot renew, started late in the evening.
    const evening = Date.UTC(2026, 10, 28, 17, 30);
    expect(new ClockText(locale, 'UTC').time(evening + 8 * HOUR, evening)).toBe(text);
  });

  it('tells the day apart in the time zone it writes in, not in UTC', () => {
    // 23:30 UTC on the 28th is already 00:30 on the 29th in Berlin.
    const lateUtc = Date.UTC(2026, 10, 28, 23, 30);
    expect(new ClockText('en-GB', 'UTC').time(lateUtc, NOW)).toBe('23:30');
    expect(new ClockText('en-GB', 'Europe/Berlin').time(lateUtc, NOW)).toBe('Sun 00:30');
  });

  it('writes the weekday for a time earlier this week, and the date once a weekday would be ambiguous', () => {
    const clock = new ClockText('en-US', 'UTC');
    expect(clock.time(NOW - 6 * 24 * HOUR, NOW)).toBe('Sun 9:05 AM');
    expect(clock.time(NOW - 7 * 24 * HOUR, NOW)).toBe('Nov 21, 9:05 AM');
    expect(clock.time(NOW + 30 * 24 * HOUR, NOW)).toBe('Dec 28, 9:05 AM');
  });

  it('adds the year to a date in another year', () => {
    const longAgo = Date.UTC(2025, 0, 2, 14, 2);
    expect(new ClockText('en-US', 'UTC').time(longAgo, NOW)).toBe('Jan 2, 2025, 2:02 PM');
    expect(new ClockText('de-DE', 'UTC').time(longAgo, NOW)).toBe('2. Jan. 2025, 14:02');
  });

  it('writes a plain space before AM and PM, whichever space ICU puts there', () => {
    expect(new ClockText('en-US', 'UTC').time(AT_17_42, NOW)).not.toMatch(/[\u202f\u00a0]/);
  });

  it('counts days on the Gregorian calendar whatever calendar the locale writes in', () => {
    expect(new ClockText('th-TH', 'UTC').time(AT_17_42, NOW)).toBe('17:42');
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['malformed', 'en_US.UTF-8'],
    ['unknown to the runtime', 'xx-YY'],
  ])('uses the 24-hour English default for a locale that is %s', (_name, locale) => {
    const clock = new ClockText(locale, 'UTC');
    expect(clock.locale).toBe(DEFAULT_CLOCK_LOCALE);
    expect(clock.time(AT_17_42, NOW)).toBe('17:42');
    expect(clock.time(NOW, NOW)).toBe('09:05');
    expect(clock.time(AT_17_42 + 24 * HOUR, NOW)).toBe('Sun 17:42');
  });

  it('keeps the hour cycle a locale tag asks for', () => {
    expect(new ClockText('en-US-u-hc-h23', 'UTC').time(AT_17_42, NOW)).toBe('17:42');
  });
});

describe('ClockText.timeLeft', () => {
  it.each([
    [52 * MINUTE + 5000, '52 min left'],
    [3 * HOUR + 5 * MINUTE, '3 h 5 min left'],
    [3 * HOUR, '3 h left'],
    [30_000, 'less than a minute left'],
    [0, 'ended'],
    [-1, 'ended'],
  ])('words %d ms as "%s"', (remainingMs, text) => {
    expect(new ClockText('en-US').timeLeft(remainingMs)).toBe(text);
  });
});
