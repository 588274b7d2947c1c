import { describe, expect, it } from 'vitest';
import { regionVariables } from '../../../main/core/region-variables';

describe('regionVariables', () => {
  it.each([
    ['profile_region_over_the_callers', { AWS_REGION: 'ap-south-1' }, { profileRegion: 'eu-west-2', sessionRegion: 'us-east-1' }, { AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-2' }],
    ['caller_region_kept_and_copied', { AWS_REGION: 'ap-south-1' }, { sessionRegion: 'us-east-1' }, { AWS_DEFAULT_REGION: 'ap-south-1' }],
    ['caller_default_region_kept_and_copied', { AWS_DEFAULT_REGION: 'sa-east-1' }, { sessionRegion: 'us-east-1' }, { AWS_REGION: 'sa-east-1' }],
    ['caller_both_kept', { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' }, { sessionRegion: 'us-east-1' }, {}],
    ['empty_caller_variable_ignored', { AWS_REGION: '' }, { sessionRegion: 'us-east-1' }, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' }],
    ['session_region_last', {}, { sessionRegion: 'us-east-1' }, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' }],
    ['nothing_known', {}, {}, {}],
  ])('%s', (_name, env, sources, expected) => {
    expect(regionVariables(env, sources)).toEqual(expected);
  });
});
