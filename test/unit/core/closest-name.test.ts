import { describe, expect, it } from 'vitest';
import { closestName } from '../../../main/core/closest-name';

const COMMANDS = ['login', 'logout', 'status', 'accounts', 'credential-process', 'export', 'exec', 'setup-profiles', 'agent'];

describe('closestName', () => {
  it.each([
    ['missing_letter', 'lgin', COMMANDS, 'login'],
    ['extra_letter', 'statuss', COMMANDS, 'status'],
    ['swapped_neighbours', 'crop', ['corp', 'lab'], 'corp'],
    ['different_case', 'Corp', ['corp', 'lab'], 'corp'],
    ['long_name_two_edits', 'credentail-proces', COMMANDS, 'credential-process'],
    ['plural', 'setup-profile', COMMANDS, 'setup-profiles'],
    ['flag_name', '--jsno', ['--json', '--help'], '--json'],
    ['nearest_wins', 'export', ['exporter', 'exports'], 'exports'],
    ['tie_goes_to_first_listed', 'lab', ['lap', 'lib'], 'lap'],
  ])('%s: %s suggests the right name', (_name, typed, candidates, expected) => {
    expect(closestName(typed, candidates)).toBe(expected);
  });

  it.each([
    ['unrelated_word', 'frobnicate', COMMANDS],
    ['short_name_two_edits_away', 'qa', ['corp', 'lab']],
    ['too_many_edits_for_a_short_name', 'xyz', ['corp']],
    ['nothing_to_choose_from', 'corp', []],
    ['only_itself', 'corp', ['corp']],
  ])('%s: suggests nothing', (_name, typed, candidates) => {
    expect(closestName(typed, candidates)).toBeUndefined();
  });
});
