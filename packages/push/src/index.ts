// What the rest of the system needs to speak about pushes, without a push SDK: the server
// loads this entry, so firebase-admin (worker-only) stays behind "@daycarat/push/fcm".
export { createLogTransport } from "./log-transport.ts";
export {
  NOTICES_TOPIC,
  PUSH_TRANSPORT_NAMES,
  PushError,
  SEND_BATCH_LIMIT,
  TOPIC_BATCH_LIMIT,
  TOPIC_CALL_CONCURRENCY,
  type PushContent,
  type PushMessage,
  type PushOutcome,
  type PushTransport,
  type PushTransportName,
  type SendOutcome,
  type TopicOutcome,
} from "./transport.ts";
