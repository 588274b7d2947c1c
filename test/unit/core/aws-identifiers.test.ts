import { describe, expect, it } from 'vitest';
import { isAccountId, isRoleName } from '../../../main/core/aws-identifiers';

describe('AWS account ids', () => {
  it.each<[string, unknown, boolean]>([
    ['twelve_digits', '111111111111', true],
    ['leading_zeros', '000000000001', true],
    ['eleven_digits', '11111111111', false],
    ['thirteen_digits', '1111111111111', false],
    ['a_letter', '11111111111a', false],
    ['trailing_newline', '111111111111\n', false],
    ['newline_then_injection', '111111111111\n[profile evil]', false],
    ['fullwidth_digits', '１１１１１１１１１１１１', false],
    ['arabic_indic_digits', '١١١١١١١١١١١١', false],
    ['a_number', 111111111111, false],
    ['empty', '', false],
  ])('%s', (_name, value, expected) => {
    expect(isAccountId(value)).toBe(expected);
  });
});

describe('IAM role names', () => {
  it.each<[string, unknown, boolean]>([
    ['plain', 'Developer', true],
    ['every_allowed_symbol', 'AWSReservedSSO_Admin+=,.@-', true],
    ['sixty_four_characters', 'x'.repeat(64), true],
    ['sixty_five_characters', 'x'.repeat(65), false],
    ['empty', '', false],
    ['config_injection', 'R\n[profile evil]\ncredential_process = touch /tmp/pwned', false],
    ['carriage_return', 'R\r', false],
    ['trailing_newline', 'Developer\n', false],
    ['slash', 'a/b', false],
    ['space', 'a b', false],
    ['comment_characters', 'a#b;c', false],
    ['non_ascii_letter', 'Développeur', false],
    ['escape_sequence', 'R\x1b[2J', false],
    ['a_number', 7, false],
  ])('%s', (_name, value, expected) => {
    expect(isRoleName(value)).toBe(expected);
  });
});
