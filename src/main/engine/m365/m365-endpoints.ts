/**
 * Where Microsoft 365 is, as the host was configured (its environment, its build): Microsoft's own
 * endpoints unless a field says otherwise (the tests' stand-ins, a sovereign cloud, a hybrid setup).
 * The engine never reads these from the environment itself; every host fills them in.
 */
export interface M365Endpoints {
  /** An OpenID provider URL replacing https://login.microsoftonline.com/<tenant>. */
  authority?: string;
  /** Replaces https://graph.microsoft.com. */
  graphUrl?: string;
  /** Replaces Exchange Online's IMAP endpoint, outlook.office365.com:993 (implicit TLS). */
  imap?: { host: string; port: number };
  /** The app registration to sign in with when the person names none; before an earlier sign-in's and the built-in one. */
  clientId?: string;
}
