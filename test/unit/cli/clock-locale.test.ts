import { describe, expect, it } from 'vitest';
import { clockLocale } from '../../../main/cli/clock-locale';

describe('clockLocale', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['posix_form_with_codeset', { LANG: 'en_US.UTF-8' }, 'en-US'],
    ['lower_case_codeset', { LANG: 'de_DE.utf8' }, 'de-DE'],
    ['language_alone', { LANG: 'fr' }, 'fr'],
    ['euro_modifier_changes_nothing', { LANG: 'de_DE@euro' }, 'de-DE'],
    ['script_modifier_becomes_a_script', { LANG: 'sr_RS.UTF-8@latin' }, 'sr-Latn-RS'],
    ['numeric_region', { LANG: 'es_419.UTF-8' }, 'es-419'],
    ['lc_time_over_lang', { LC_TIME: 'en_GB.UTF-8', LANG: 'en_US.UTF-8' }, 'en-GB'],
    ['lc_all_over_lc_time', { LC_ALL: 'de_DE.UTF-8', LC_TIME: 'en_GB.UTF-8', LANG: 'en_US.UTF-8' }, 'de-DE'],
    ['empty_lc_all_is_unset', { LC_ALL: '', LANG: 'en_GB.UTF-8' }, 'en-GB'],
    ['c_locale_is_the_default', { LANG: 'C' }, undefined],
    ['c_utf8_is_the_default', { LANG: 'C.UTF-8' }, undefined],
    ['posix_is_the_default', { LC_ALL: 'POSIX', LANG: 'de_DE.UTF-8' }, undefined],
    ['nothing_set_is_the_default', {}, undefined],
    ['garbage_is_the_default', { LANG: 'not a locale' }, undefined],
  ])('%s', (_name, env, locale) => {
    expect(clockLocale(env)).toBe(locale);
  });
});
