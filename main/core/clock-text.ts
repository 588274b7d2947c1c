/**
 * The locale for clock times when none is known (unset, `C`, `POSIX`) or the one given is
 * unusable: English words as the C locale prints them, on its 24-hour clock.
 */
export const DEFAULT_CLOCK_LOCALE = 'en-US-u-hc-h23';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Up to this many days away a time carries its weekday ("Tue 9:05 AM"); further, its date, as a weekday would be ambiguous. */
const WEEKDAY_MAX_DAYS = 6;

/**
 * Clock times and time left as every surface shows them (CLI, tray, notifications, window),
 * in one locale, so that a person reads the same "17:42" or "5:42 PM" everywhere. Whoever
 * constructs it picks the locale: the CLI from LC_ALL/LC_TIME/LANG, the desktop app from
 * the OS (Electron's `app.getSystemLocale()`), which it also hands to the window.
 */
export class ClockText {
  /** The BCP 47 tag in use: the one given when the runtime can format it, else the default. */
  readonly locale: string;
  private readonly timeOnly: Intl.DateTimeFormat;
  private readonly withWeekday: Intl.DateTimeFormat;
  private readonly withDate: Intl.DateTimeFormat;
  private readonly withYear: Intl.DateTimeFormat;
  /** Gregorian year, month and day in the same time zone, whatever calendar the locale uses. */
  private readonly calendarDay: Intl.DateTimeFormat;

  /** `timeZone` is for tests; the default is the system's. */
  constructor(locale: string | undefined, timeZone?: string) {
    this.locale = usableLocale(locale);
    const zone = timeZone === undefined ? {} : { timeZone };
    const clock = { hour: hourDigits(this.locale), minute: '2-digit', ...zone } as const;
    this.timeOnly = new Intl.DateTimeFormat(this.locale, clock);
    this.withWeekday = new Intl.DateTimeFormat(this.locale, { ...clock, weekday: 'short' });
    this.withDate = new Intl.DateTimeFormat(this.locale, { ...clock, month: 'short', day: 'numeric' });
    this.withYear = new Intl.DateTimeFormat(this.locale, { ...clock, year: 'numeric', month: 'short', day: 'numeric' });
    this.calendarDay = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { year: 'numeric', month: 'numeric', day: 'numeric', ...zone });
  }

  /**
   * "17:42" or "5:42 PM" today; "Tue 17:42" within six days either side; "Nov 28, 17:42"
   * further, with the year when it is another ("Jan 2, 2025, 14:02").
   */
  time(epochMs: number, nowMs: number): string {
    const at = this.calendarDate(epochMs);
    const now = this.calendarDate(nowMs);
    const days = Math.abs(at.dayNumber - now.dayNumber);
    const format =
      days === 0 ? this.timeOnly : days <= WEEKDAY_MAX_DAYS ? this.withWeekday : at.year === now.year ? this.withDate : this.withYear;
    // ICU 72 and later put a narrow no-break space before AM/PM, which terminals without
    // the glyph draw as a box and scripts do not match as a space; runtimes on older ICU
    // write a plain space. A plain space everywhere keeps all surfaces the same.
    return format.format(epochMs).replace(/\u202f/g, ' ');
  }

  /** "52 min left", "3 h 5 min left", "3 h left", "less than a minute left", "ended". */
  timeLeft(remainingMs: number): string {
    if (remainingMs <= 0) return 'ended';
    if (remainingMs < MINUTE_MS) return 'less than a minute left';
    const hours = Math.floor(remainingMs / HOUR_MS);
    const minutes = Math.floor((remainingMs % HOUR_MS) / MINUTE_MS);
    if (hours === 0) return `${minutes} min left`;
    return minutes === 0 ? `${hours} h left` : `${hours} h ${minutes} min left`;
  }

  /** The year, and the days since the epoch, of the calendar day `epochMs` falls on in this time zone. */
  private calendarDate(epochMs: number): { year: number; dayNumber: number } {
    const parts = this.calendarDay.formatToParts(epochMs);
    const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
    return { year: part('year'), dayNumber: Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS) };
  }
}

/**
 * Whether the locale's own short time writes a morning hour with two digits ("09:05" in
 * de-DE and en-GB, "9:05 AM" in en-US, "9:05" in es-ES): Intl's `hour: 'numeric'` alone
 * drops the zero even where the locale writes it.
 */
function hourDigits(locale: string): 'numeric' | '2-digit' {
  const morning = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' }).formatToParts(Date.UTC(2000, 0, 1, 9, 5));
  return morning.find((part) => part.type === 'hour')?.value.length === 2 ? '2-digit' : 'numeric';
}

/**
 * A tag the runtime formats as asked. Intl throws on a malformed tag and silently uses
 * the runtime's own default for one it has no data for: either way the surfaces would
 * disagree, so both become the default.
 */
function usableLocale(locale: string | undefined): string {
  if (locale === undefined || locale === '') return DEFAULT_CLOCK_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? DEFAULT_CLOCK_LOCALE;
  } catch {
    return DEFAULT_CLOCK_LOCALE;
  }
}
