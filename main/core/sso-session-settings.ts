/** What sign-in needs to know about one `[sso-session NAME]` section. */
export interface SsoSessionSettings {
  name: string;
  startUrl: string;
  region: string;
  registrationScopes: string[];
}
