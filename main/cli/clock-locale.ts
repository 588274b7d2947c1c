/** glibc's script modifiers (`sr_RS@latin`), as BCP 47 scripts; other modifiers (`@euro`) do not change a clock. */
const SCRIPT_MODIFIERS: Readonly<Record<string, string>> = { latin: 'Latn', cyrillic: 'Cyrl' };

/**
 * The BCP 47 locale for clock times, from the variables POSIX `setlocale` reads for
 * LC_TIME: the first non-empty of LC_ALL, LC_TIME and LANG decides, as it does for `date`.
 * `en_US.UTF-8` is `en-US`. Undefined for `C`, `POSIX`, nothing set, or a value that is
 * not `language[_TERRITORY][.codeset][@modifier]`: ClockText then uses its default.
 */
export function clockLocale(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = [env['LC_ALL'], env['LC_TIME'], env['LANG']].find((v) => v !== undefined && v !== '');
  const match = value === undefined ? null : /^([a-zA-Z]{2,3})(?:_([a-zA-Z]{2}|\d{3}))?(?:\.[^@]*)?(?:@(.*))?$/.exec(value);
  if (match === null) return undefined;
  const [, language = '', territory, modifier] = match;
  const script = modifier === undefined ? undefined : SCRIPT_MODIFIERS[modifier.toLowerCase()];
  return [language.toLowerCase(), script, territory?.toUpperCase()].filter((part) => part !== undefined).join('-');
}
