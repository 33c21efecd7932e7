import { describe, expect, it } from "vitest";
import { SessionOwner } from "./session.js";

interface Fake {
  readonly token: string;
}

function controlledLogins() {
  const calls: Array<{ resolve: (s: Fake) => void; reject: (e: unknown) => void }> = [];
  const owner = new SessionOwner<Fake>(
    () =>
      new Promise<Fake>((resolve, reject) => {
        calls.push({ resolve, reject });
      }),
  );
  return { owner, calls };
}

describe("SessionOwner", () => {
  it("shares one login among concurrent callers", async () => {
    const { owner, calls } = controlledLogins();
    const waiting = [owner.get(), owner.get(), owner.login(), owner.get()];
    expect(calls).toHaveLength(1);
    calls[0]!.resolve({ token: "t1" });
    const sessions = await Promise.all(waiting);
    expect(new Set(sessions).size).toBe(1);
    expect(await owner.get()).toBe(sessions[0]);
    expect(calls).toHaveLength(1);
  });

  it("renews a refused session once, however many callers saw it refused", async () => {
    const { owner, calls } = controlledLogins();
    const first = owner.get();
    calls[0]!.resolve({ token: "t1" });
    const stale = await first;
    const renewals = [owner.renew(stale), owner.renew(stale), owner.renew(stale)];
    expect(calls).toHaveLength(2);
    calls[1]!.resolve({ token: "t2" });
    const renewed = await Promise.all(renewals);
    expect(renewed.map((s) => s.token)).toEqual(["t2", "t2", "t2"]);
    expect((await owner.renew(stale)).token).toBe("t2");
    expect(calls).toHaveLength(2);
  });

  it("lets the next caller try again after a failed login", async () => {
    const { owner, calls } = controlledLogins();
    const failing = owner.get();
    calls[0]!.reject(new Error("refused"));
    await expect(failing).rejects.toThrow("refused");
    const retry = owner.get();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve({ token: "t2" });
    expect((await retry).token).toBe("t2");
  });

  it("does not keep a login that finishes after clear()", async () => {
    const { owner, calls } = controlledLogins();
    const pending = owner.get();
    owner.clear();
    calls[0]!.resolve({ token: "late" });
    await pending;
    expect(owner.peek()).toBeNull();
  });
});
