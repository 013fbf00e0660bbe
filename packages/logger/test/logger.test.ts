import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createLogger, DeferredChildLog, REDACTED, withoutPassword } from "@daycarat/logger";
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

describe("DeferredChildLog", () => {
  const withoutTime = (lines: Record<string, unknown>[]) => lines.map(({ time: _time, ...line }) => line);

  it("writes exactly the lines a pino child would, bindings of every generation and redaction included", () => {
    const write = (log: {
      child(bindings: Record<string, unknown>): { info(obj: object, msg: string): void; error(msg: string): void };
    }) => {
      const user = log.child({ userId: "u1", token: "binding-secret" });
      user.info({ input: { refreshToken: "field-secret" } }, "listed");
      user.error("failed");
    };
    const pinoLogs = captureLogs("server", "info");
    write(pinoLogs.logger.child({ reqId: "r1" }));
    const deferredLogs = captureLogs("server", "info");
    write(DeferredChildLog.of(deferredLogs.logger, { reqId: "r1" }));

    expect(withoutTime(deferredLogs.lines())).toEqual(withoutTime(pinoLogs.lines()));
    expect(deferredLogs.lines()[0]).toMatchObject({ reqId: "r1", userId: "u1", token: REDACTED, input: { refreshToken: REDACTED } });
    expect(deferredLogs.text()).not.toContain('secret"');
  });

  it("makes no pino child while its level drops every line, and still writes the lines it keeps with their bindings", () => {
    const logs = captureLogs("server", "warn");
    const makeChild = vi.spyOn(logs.logger, "child");
    const request = DeferredChildLog.of(logs.logger, { reqId: "r2" });
    const user = request.child({ userId: "u2" });
    request.info("incoming request");
    user.debug("details");
    expect(makeChild).not.toHaveBeenCalled();
    expect(logs.lines()).toEqual([]);

    user.warn("rate limit reached");
    // The request's child, then the user's (a pino child inherits the spied method).
    expect(makeChild).toHaveBeenCalledTimes(2);
    expect(logs.lines()).toMatchObject([{ level: 40, reqId: "r2", userId: "u2", msg: "rate limit reached" }]);
  });

  it("adds errorFields to the ERROR-and-worse lines of an error, however the error is logged, and to no other line", () => {
    const written: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString("utf8"));
        callback();
      },
    });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const errorFields = (error: unknown) => ((error as { code?: string }).code === "ECONNREFUSED" ? { refused: true } : undefined);
    const logger = createLogger({ service: "server", level: "info", pretty: false, destination, errorFields });
    logger.error({ err: refused }, "as err");
    DeferredChildLog.of(logger, { reqId: "r4" }).fatal({ error: refused }, "as error, on a child");
    logger.error(refused, "as the first argument");
    logger.warn({ err: refused }, "a warning");
    logger.error({ err: new Error("something else") }, "another error");
    logger.error("no error at all");
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.msg, line.refused])).toEqual([
      ["as err", true],
      ["as error, on a child", true],
      ["as the first argument", true],
      ["a warning", undefined],
      ["another error", undefined],
      ["no error at all", undefined],
    ]);
  });

  it("keeps a level of its own", () => {
    const logs = captureLogs("server", "warn");
    const chatty = DeferredChildLog.of(logs.logger, { reqId: "r3" }, { level: "debug" });
    chatty.debug("kept");
    expect(chatty.isLevelEnabled("debug")).toBe(true);
    expect(logs.lines()).toMatchObject([{ reqId: "r3", msg: "kept" }]);
  });
});
