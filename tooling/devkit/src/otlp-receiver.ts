import { buffer } from "node:stream/consumers";
import { listenLocalServer, sendJson, type LocalServer } from "./local-server.ts";

// A local stand-in for an OpenTelemetry collector: OTLP over HTTP, POST /v1/traces. Spans sent
// as JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json) are decoded and kept; protobuf ones (the SDK's
// default) are accepted and counted, which is all a benchmark needs of a collector.

/** OTLP's span kinds, by their number in the JSON encoding. */
const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;

export type SpanKindName = (typeof SPAN_KINDS)[number];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a trace's root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKindName;
  /** The resource's `service.name`: which process sent it. */
  service: string;
  /** The instrumentation scope that made it, e.g. "@prisma/instrumentation". */
  scope: string;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver extends LocalServer {
  /** Every span received as JSON, in order of arrival. */
  spans: ReceivedSpan[];
  /** Export requests received, whatever their encoding. */
  exports(): number;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

/** A span as OTLP/JSON encodes it: ids in hex, the kind as a number, attributes as key-value pairs. */
interface EncodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: KeyValue[];
}

interface ExportTraceServiceRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: EncodedSpan[] }[] }[];
}

/** An OTLP AnyValue as a plain value: its one member (stringValue, intValue, boolValue, …). */
const plainValue = (value: Record<string, unknown>): unknown => Object.values(value)[0];

const attributesOf = (pairs: KeyValue[] = []): Record<string, unknown> =>
  Object.fromEntries(pairs.map(({ key, value }) => [key, plainValue(value)]));

function spansOf(request: ExportTraceServiceRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap(({ resource, scopeSpans }) => {
    const service = attributesOf(resource?.attributes)["service.name"];
    return (scopeSpans ?? []).flatMap(({ scope, spans }) =>
      (spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? "",
        name: span.name,
        kind: SPAN_KINDS[span.kind ?? 0] ?? "UNSPECIFIED",
        service: typeof service === "string" ? service : "",
        scope: scope?.name ?? "",
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

export async function listenOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let exports = 0;
  const server = await listenLocalServer(async (request, response) => {
    const body = await buffer(request);
    if (request.method !== "POST" || request.url !== "/v1/traces") {
      sendJson(response, 404, { message: "not an OTLP endpoint" });
      return;
    }
    exports++;
    // Answered with an empty ExportTraceServiceResponse (everything accepted), in either encoding.
    if (request.headers["content-type"]?.startsWith("application/json")) {
      spans.push(...spansOf(JSON.parse(body.toString("utf8")) as ExportTraceServiceRequest));
      sendJson(response, 200, {});
    } else {
      response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    }
  });
  return { ...server, spans, exports: () => exports };
}
