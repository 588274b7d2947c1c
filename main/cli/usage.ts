/** The `--help` text of the CLI and of each command. Plain text: no colour, fits 80 columns. */
export const MAIN_USAGE = `Usage: latchkey <command> [options]

Latchkey keeps you signed in to AWS IAM Identity Center and hands credentials to your tools.

Commands:
  login --session NAME         sign in to an sso-session
  logout --session NAME|--all  sign out and forget the tokens
  status                       sessions and how long they stay signed in
  doctor                       check what Latchkey needs, with a fix for each failure
  accounts [WORDS...]          accounts and roles you can use, filtered by WORDS
  credential-process ...       credentials for the AWS CLI's credential_process
  export ...                   credentials as shell export lines or JSON
  exec ... -- CMD ARGS...      run a command with credentials from Latchkey
  console ...                  open the AWS console signed in as a role
  setup-profiles --session N   write a profile per account and role into the AWS config
  agent                        run the agent in the foreground

Options:
  --version   print the version
  --help      print this help; "latchkey <command> --help" for a command

Exit codes: 0 ok, 1 failure, 2 usage error, 3 not signed in.
`;

const TARGET = `Choose the role with --profile P (a profile in the AWS config that Latchkey serves),
or with --session S --account ID --role R.`;

const NAMED_TARGET = `Choose the role with --profile P (a profile in the AWS config that Latchkey serves),
or with --session S --account ID --role R. --account also takes the account's name
(its full name, or a part only one account's name has); several matches are listed.`;

export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  agent: `Usage: latchkey agent

Runs the agent in the foreground (headless) until SIGINT or SIGTERM. Exits 1 if another
agent already owns the socket. Other commands start one in the background when needed.
`,
  login: `Usage: latchkey login --session NAME [--device-code | --pkce] [--no-browser] [--force]

Signs in to the [sso-session NAME] of the AWS config. Prints the code and the sign-in
address on stderr, opens the browser (unless --no-browser), and waits until you approve.
A session that is signed in already is left as it is (it says until when); a sign-in in
progress elsewhere is joined, and its code shown here.

Options:
  --session NAME   the sso-session to sign in to
  --device-code    use a device code (for another device, or no browser here)
  --pkce           use the browser with a loopback redirect (default when a browser can open)
  --no-browser     print the address only; do not open a browser
  --force          sign in again even when the session is signed in
`,
  logout: `Usage: latchkey logout (--session NAME | --all)

Signs out at the AWS access portal and deletes the session's tokens and cached
credentials from the keychain.
`,
  status: `Usage: latchkey status [--json]

Lists the sessions of the AWS config, whether each is signed in, and until when.
--json prints a stable JSON document (see docs/cli.md).
`,
  doctor: `Usage: latchkey doctor [--json]

Checks, in order, what Latchkey needs on this machine and prints one line per check,
with what to do under each failure: the AWS config (found, with an [sso-session], no
problems), the agent (answers, reads the same config), its socket (nobody else can use
it), the agent's secret store, the OIDC endpoint of each session's region (through the
proxy and CA bundle the agent uses) and the clock (within 5 minutes of AWS's). Starts no
agent and writes nothing. Exits 0 when every check passes, 1 otherwise.
--json prints a stable JSON document (see docs/cli.md).
`,
  accounts: `Usage: latchkey accounts [WORDS...] [--session NAME] [--json] [--refresh]

Lists the accounts the session can use, with their roles. With WORDS, only the roles
whose account name, account id or role name contain every word (ignoring case):
"latchkey accounts prod read" lists the ReadOnly roles of the prod accounts.
--session may be left out when the AWS config has one sso-session. A listing made in the
last 10 minutes is reused (setup-profiles reuses it too); --refresh lists anew.
--json prints a stable JSON document (see docs/cli.md).
`,
  console: `Usage: latchkey console (--profile P | --session S --account ID|NAME --role R)
                        [--region REGION] [--destination SERVICE|URL] [--print]

Opens the AWS console in your browser, signed in as the role, with the credentials
Latchkey holds (no password, no second sign-in).
${NAMED_TARGET}
Options:
  --region REGION         the console's region (default: the profile's region, else the
                          session's sso_region)
  --destination SERVICE   land on a service's console: s3, ec2, cloudwatch, iam...
  --destination URL       or on an https page of the AWS console
  --print                 print the sign-in URL instead of opening it. It signs in
                          whoever opens it for 15 minutes: treat it as a password.
`,
  'credential-process': `Usage: latchkey credential-process (--profile P | --session S --account ID --role R) [--no-wait]

Prints credentials as the AWS CLI and SDKs expect from credential_process:
  credential_process = latchkey credential-process --profile P
${TARGET}
When the session is signed out and the desktop app runs, waits (up to 2 minutes) for you
to sign in there; --no-wait fails at once with exit code 3.
`,
  export: `Usage: latchkey export (--profile P | --session S --account ID|NAME --role R) [--format env|json]

Prints credentials for a shell: eval "$(latchkey export --profile P)".
${NAMED_TARGET}
--format json prints the credential_process JSON instead.
`,
  exec: `Usage: latchkey exec (--profile P | --session S --account ID|NAME --role R) -- CMD [ARGS...]

Runs CMD with AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN
pointing at the agent, so the AWS SDKs in CMD fetch (and refresh) credentials from
Latchkey. Exits with CMD's exit code.
${NAMED_TARGET}
`,
  'setup-profiles': `Usage: latchkey setup-profiles --session NAME [--region REGION] [--refresh]

Writes one profile per account and role of the session into the AWS config, inside a
block that Latchkey owns; lines outside the block are left exactly as they are, and a
backup is kept as config.latchkey-backup. A profile name, once written, keeps naming the
same account and role on every run; a new role whose name is taken gets -<account id>.
Each profile gets the region REGION, else the session's sso_region; a region you edit
inside the block is kept. A listing of the accounts made in the last 10 minutes (by
latchkey accounts, say) is reused; --refresh lists anew.
`,
};
