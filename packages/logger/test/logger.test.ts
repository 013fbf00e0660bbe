import { describe, expect, it } from "vitest";
import { REDACTED, withoutPassword } from "@daycarat/logger";
import { captureLogs } from "@daycarat/testkit";

describe("logger", () => {
  it("writes JSON lines with the service name and an ISO time", () => {
    const logs = captureLogs("server");
    logs.logger.info({ userId: "u1" }, "hello");
    const [line] = logs.lines();
    expect(line).toMatchObject({ service: "server", msg: "hello", userId: "u1", level: 30 });
    expect(new Date(line?.time as string).toISOString()).toBe(line?.time);
  });

  it("redacts secrets wherever a log line nests them", () => {
    const logs = captureLogs();
    logs.logger.info(
      {
        req: { headers: { authorization: "Bearer header-secret", cookie: "sid=cookie-secret", "x-slack-signature": "v0=sig-secret" } },
        input: { refreshToken: "refresh-secret", identityToken: "apple-secret", profile: { password: "pw-secret" } },
        openai: { apiKey: "sk-key-secret" },
        config: { auth: { jwtSecret: "jwt-secret-value" }, database: { DATABASE_URL: "postgres://u:db-secret@h/d" } },
        token: "top-level-secret",
        nickname: "지우",
      },
      "signed in",
    );
    const text = logs.text();
    for (const secret of [
      "header-secret",
      "cookie-secret",
      "sig-secret",
      "refresh-secret",
      "apple-secret",
      "pw-secret",
      "sk-key-secret",
      "jwt-secret-value",
      "db-secret",
      "top-level-secret",
    ]) {
      expect(text).not.toContain(secret);
    }
    const [line] = logs.lines();
    expect(line).toMatchObject({ token: REDACTED, nickname: "지우", input: { refreshToken: REDACTED } });
  });

  it("serialises errors with their message and stack", () => {
    const logs = captureLogs();
    logs.logger.error({ err: new Error("boom") }, "failed");
    expect(logs.lines()[0]).toMatchObject({ err: { type: "Error", message: "boom" } });
  });

  it("prints connection strings without their password", () => {
    expect(withoutPassword("postgresql://postgres:s3cret@127.0.0.1:5432/daycarat")).toBe(
      "postgresql://postgres:***@127.0.0.1:5432/daycarat",
    );
    expect(withoutPassword("not a url")).toBe("[unparsable url]");
  });
});
