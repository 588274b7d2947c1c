import { LatchkeyError, type LatchkeyErrorCode } from '../../main/core/errors';
import type {
  ClientRegistration,
  CreateTokenInput,
  DeviceAuthorization,
  OidcApi,
  RegisterClientInput,
  StartDeviceAuthorizationInput,
  TokenResponse,
} from '../../main/core/identity-center-api';

type TokenStep = TokenResponse | LatchkeyErrorCode;

/**
 * An OidcApi whose CreateToken answers follow a script: each step is a token or the
 * code of the error to throw. Retryable codes are marked as the real client marks them.
 */
export class ScriptedOidc implements OidcApi {
  readonly tokenCalls: CreateTokenInput[] = [];
  readonly registrations: RegisterClientInput[] = [];
  readonly authorizations: StartDeviceAuthorizationInput[] = [];

  constructor(
    private readonly tokenSteps: TokenStep[],
    private readonly authorization: DeviceAuthorization = sampleAuthorization(),
  ) {}

  async registerClient(input: RegisterClientInput): Promise<ClientRegistration> {
    this.registrations.push(input);
    return { clientId: `client-${this.registrations.length}`, clientSecret: 'secret', clientIdIssuedAt: 0, clientSecretExpiresAt: 4_000_000_000 };
  }

  async startDeviceAuthorization(input: StartDeviceAuthorizationInput): Promise<DeviceAuthorization> {
    this.authorizations.push(input);
    return this.authorization;
  }

  async createToken(input: CreateTokenInput): Promise<TokenResponse> {
    this.tokenCalls.push(input);
    const step = this.tokenSteps.shift();
    if (step === undefined) throw new Error('ScriptedOidc: no more CreateToken steps');
    if (typeof step === 'string') {
      const retryable = step === 'network_error' || step === 'server_error' || step === 'throttled' || step === 'timeout';
      throw new LatchkeyError(step, `scripted ${step}`, { retryable });
    }
    return step;
  }
}

export function sampleAuthorization(overrides: Partial<DeviceAuthorization> = {}): DeviceAuthorization {
  return {
    deviceCode: 'device-code-1',
    userCode: 'BCDF-GHJK',
    verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
    verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=BCDF-GHJK',
    expiresIn: 600,
    interval: 1,
    ...overrides,
  };
}

export function sampleToken(overrides: Partial<TokenResponse> = {}): TokenResponse {
  return { accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'refresh-1', ...overrides };
}
