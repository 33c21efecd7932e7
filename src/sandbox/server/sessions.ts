import { randomBytes } from "node:crypto";

export type SessionKind = "interactive" | "market";

export interface Session {
  readonly kind: SessionKind;
  readonly appKey: string;
  readonly userID: string;
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/**
 * Session tokens as XTS issues them: a JWT whose payload carries `userID` = `<USER>_<APPKEY>`,
 * `publicKey`, `iat` and `exp` (xts-protocol.md §1.6). The signature is random bytes: nobody
 * verifies it, the store looks the whole token up.
 */
function makeToken(userID: string, appKey: string, issuedAt: number, expiresAt: number): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      userID: `${userID}_${appKey.toUpperCase()}`,
      publicKey: appKey,
      iat: Math.floor(issuedAt / 1000),
      exp: Math.floor(expiresAt / 1000),
    }),
  );
  return `${header}.${payload}.${base64url(randomBytes(32))}`;
}

/**
 * Live sessions. XTS allows one session per app key: a second login silently kills the first
 * token (xts-protocol.md §1.6 and §7.4), so sessions are keyed by app key.
 */
export class SessionStore {
  private readonly byKey = new Map<string, Session>();
  private readonly byToken = new Map<string, Session>();
  private readonly uniqueKeys = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  login(kind: SessionKind, appKey: string, userID: string): Session {
    this.drop(this.byKey.get(appKey));
    const issuedAt = this.now();
    const expiresAt = issuedAt + this.ttlMs;
    const session: Session = { kind, appKey, userID, issuedAt, expiresAt, token: makeToken(userID, appKey, issuedAt, expiresAt) };
    this.byKey.set(appKey, session);
    this.byToken.set(session.token, session);
    return session;
  }

  /** The live session of this kind for a token; expired sessions are removed on sight. */
  verify(token: string | undefined, kind: SessionKind): Session | undefined {
    if (token === undefined || token === "") return undefined;
    const session = this.byToken.get(token);
    if (session === undefined) return undefined;
    if (this.now() >= session.expiresAt) {
      this.drop(session);
      return undefined;
    }
    return session.kind === kind ? session : undefined;
  }

  logout(session: Session): void {
    this.drop(session);
  }

  expireAll(): void {
    this.byKey.clear();
    this.byToken.clear();
  }

  /** Hostlookup hands out a uniqueKey that the session login through the connection string must present. */
  issueUniqueKey(): string {
    const key = randomBytes(12).toString("hex");
    this.uniqueKeys.add(key);
    return key;
  }

  isUniqueKey(key: string): boolean {
    return this.uniqueKeys.has(key);
  }

  private drop(session: Session | undefined): void {
    if (session === undefined) return;
    this.byToken.delete(session.token);
    if (this.byKey.get(session.appKey) === session) this.byKey.delete(session.appKey);
  }
}
