import { Counter, type Registry } from "prom-client";
import { PushError, type PushOutcome, type PushTransport, type SendOutcome } from "@daycarat/push";

const PUSH_OUTCOMES: readonly PushOutcome[] = ["sent", "unregistered", "retried", "failed", "deferred", "skipped"];

function outcomeOf(sent: SendOutcome): PushOutcome {
  if (sent.status !== "FAILED") return "sent";
  if (sent.tokenRetired) return "unregistered";
  return sent.retryable ? "retried" : "failed";
}

/** `daycarat_push_total{outcome}`; returns how to count pushes (every outcome starts at 0). */
export function createPushCounter(registry: Registry): (outcome: PushOutcome, count: number) => void {
  const pushes = new Counter({
    name: "daycarat_push_total",
    help: "Pushes by outcome: sent (or logged without FCM), unregistered (dead token), retried (retryable failure), failed, deferred (quiet hours), skipped (turned off).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  for (const outcome of PUSH_OUTCOMES) pushes.inc({ outcome }, 0);
  return (outcome, count) => {
    pushes.inc({ outcome }, count);
  };
}

/** `transport`, its sends (to devices and to topics) counted by how they ended. */
export function measuredTransport(transport: PushTransport, countPushes: (outcome: PushOutcome, count: number) => void): PushTransport {
  return {
    name: transport.name,
    async send(messages) {
      const outcomes = await transport.send(messages);
      for (const outcome of outcomes) countPushes(outcomeOf(outcome), 1);
      return outcomes;
    },
    async sendToTopic(topic, content) {
      try {
        const messageId = await transport.sendToTopic(topic, content);
        countPushes("sent", 1);
        return messageId;
      } catch (error) {
        countPushes(error instanceof PushError && error.retryable ? "retried" : "failed", 1);
        throw error;
      }
    },
    subscribe: (topic, tokens) => transport.subscribe(topic, tokens),
    unsubscribe: (topic, tokens) => transport.unsubscribe(topic, tokens),
    close: () => transport.close(),
  };
}
