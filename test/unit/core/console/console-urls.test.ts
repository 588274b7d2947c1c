import { describe, expect, it } from 'vitest';
import { consoleDestination, consoleLoginUrl, consolePartition, federationSession } from '../../../../main/core/console/console-urls';

describe('the partition of a console sign-in', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in %s', (region, partition) => {
    expect(consolePartition(region)).toBe(partition);
  });

  it.each(['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1'])('refuses %s, whose console takes no federation sign-in', (region) => {
    expect(() => consolePartition(region)).toThrow(/takes no federation sign-in/);
  });

  it('refuses what is not a region', () => {
    expect(() => consolePartition('Europe')).toThrow(/not an AWS region name/);
  });
});

describe('where the console lands', () => {
  it('is the console home of the region without a destination', () => {
    expect(consoleDestination('aws', 'eu-west-1')).toBe('https://console.aws.amazon.com/console/home?region=eu-west-1');
  });

  it.each([
    ['aws', 's3', 'https://console.aws.amazon.com/s3/home?region=eu-west-1'],
    ['aws-cn', 'ec2', 'https://console.amazonaws.cn/ec2/home?region=eu-west-1'],
    ['aws-us-gov', 'cloudwatch', 'https://console.amazonaws-us-gov.com/cloudwatch/home?region=eu-west-1'],
  ] as const)('in %s, the service %s lands on its console in the region', (partition, service, url) => {
    expect(consoleDestination(partition, 'eu-west-1', service)).toBe(url);
  });

  it('keeps an https URL of the partition\'s console, subdomains included', () => {
    const url = 'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions';
    expect(consoleDestination('aws', 'eu-west-1', url)).toBe(url);
  });

  it.each([
    ['plain http', 'http://console.aws.amazon.com/s3/home'],
    ['another host', 'https://evil.example/console.aws.amazon.com'],
    ['a look-alike host', 'https://console.aws.amazon.com.evil.example/'],
    ['credentials before the host', 'https://console.aws.amazon.com@evil.example/'],
    ['an odd port', 'https://console.aws.amazon.com:8443/'],
    ['another partition\'s console', 'https://console.amazonaws.cn/s3/home'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['words that are neither', 'the s3 console'],
  ])('refuses %s', (_what, destination) => {
    expect(() => consoleDestination('aws', 'eu-west-1', destination)).toThrow(/destination/i);
  });
});

describe('the federation requests', () => {
  it('sends the credentials in the federation endpoint\'s own names', () => {
    expect(JSON.parse(federationSession({ accessKeyId: 'ASIA1', secretAccessKey: 'secret', sessionToken: 'token' }))).toEqual({
      sessionId: 'ASIA1',
      sessionKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('logs in with the token, names Latchkey as the issuer and lands on the destination', () => {
    const url = new URL(consoleLoginUrl('https://signin.aws.amazon.com', 'tok+en/=', 'https://console.aws.amazon.com/s3/home?region=eu-west-1'));
    expect(url.origin + url.pathname).toBe('https://signin.aws.amazon.com/federation');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'Latchkey',
      Destination: 'https://console.aws.amazon.com/s3/home?region=eu-west-1',
      SigninToken: 'tok+en/=',
    });
  });
});
